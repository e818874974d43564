import type { CommerceDb } from '../../db/client.ts';
import type { ContactMessage } from '../../db/types.ts';
import { notFound } from '../../http/store-error.ts';

type Db = CommerceDb;

/** Contact-form messages, newest first; `unread` only those not yet read. */
export async function listMessages(
	db: Db,
	query: { unread?: boolean; limit?: number; offset?: number } = {},
): Promise<{ messages: ContactMessage[]; count: number; unread: number }> {
	const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
	const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
	let base = db.selectFrom('contact_message');
	if (query.unread) base = base.where('read_at', 'is', null);
	const [messages, total, unread] = await Promise.all([
		base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
		db
			.selectFrom('contact_message')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('read_at', 'is', null)
			.executeTakeFirstOrThrow(),
	]);
	return { messages, count: Number(total.n), unread: Number(unread.n) };
}

/** Marks a message read (now) or unread again. */
export async function markMessageRead(db: Db, id: string, read: boolean): Promise<ContactMessage> {
	const result = await db
		.updateTable('contact_message')
		.set({ read_at: read ? new Date().toISOString() : null })
		.where('id', '=', id)
		.executeTakeFirst();
	if (!result.numUpdatedRows) throw notFound(`Message with id ${id} was not found`);
	return db.selectFrom('contact_message').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

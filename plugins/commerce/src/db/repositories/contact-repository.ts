import type { Kysely, Selectable } from 'kysely';
import type { ContactMessageTable, Database } from '../types.ts';

type Db = Kysely<Database>;

/** A contact-form message as the admin reads it. */
export interface ContactMessage {
	id: string;
	name: string;
	email: string;
	subject: string;
	message: string;
	/** The sender's customer id when they were logged in. */
	customerId: string | null;
	/** When an admin marked it read; null while unread. */
	readAt: string | null;
	createdAt: string;
}

/** The one row → domain mapping of a contact message. */
export function toContactMessage(row: Selectable<ContactMessageTable>): ContactMessage {
	return {
		id: row.id,
		name: row.name,
		email: row.email,
		subject: row.subject,
		message: row.message,
		customerId: row.customer_id,
		readAt: row.read_at,
		createdAt: row.created_at,
	};
}

export async function insertContactMessage(db: Db, message: Omit<ContactMessage, 'readAt'>): Promise<void> {
	await db
		.insertInto('contact_message')
		.values({
			id: message.id,
			name: message.name,
			email: message.email,
			subject: message.subject,
			message: message.message,
			customer_id: message.customerId,
			read_at: null,
			created_at: message.createdAt,
		})
		.execute();
}

/** A page of messages, newest first, with the number of matches. */
export async function listContactMessages(
	db: Db,
	query: { unreadOnly: boolean; limit: number; offset: number },
): Promise<{ messages: ContactMessage[]; count: number }> {
	let base = db.selectFrom('contact_message');
	if (query.unreadOnly) base = base.where('read_at', 'is', null);
	const [rows, total] = await Promise.all([
		base
			.selectAll()
			.orderBy('created_at', 'desc')
			.orderBy('id', 'desc')
			.limit(query.limit)
			.offset(query.offset)
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
	]);
	return { messages: rows.map(toContactMessage), count: Number(total.n) };
}

export async function countUnreadMessages(db: Db): Promise<number> {
	const row = await db
		.selectFrom('contact_message')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('read_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function findContactMessage(db: Db, id: string): Promise<ContactMessage | undefined> {
	const row = await db.selectFrom('contact_message').selectAll().where('id', '=', id).executeTakeFirst();
	return row && toContactMessage(row);
}

/** Sets when a message was read (null: unread again); false when there is no such message. */
export async function setMessageReadAt(db: Db, id: string, readAt: string | null): Promise<boolean> {
	const result = await db
		.updateTable('contact_message')
		.set({ read_at: readAt })
		.where('id', '=', id)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** An admin's emailed answer to a contact message. */
export interface ContactReply {
	id: string;
	messageId: string;
	body: string;
	/** The admin's email. */
	author: string;
	createdAt: string;
}

export async function insertContactReply(db: Db, reply: ContactReply): Promise<void> {
	await db
		.insertInto('contact_reply')
		.values({
			id: reply.id,
			message_id: reply.messageId,
			body: reply.body,
			author: reply.author,
			created_at: reply.createdAt,
		})
		.execute();
}

/** The replies to these messages, oldest first (the thread order). */
export async function listRepliesTo(db: Db, messageIds: string[]): Promise<ContactReply[]> {
	if (!messageIds.length) return [];
	const rows = await db
		.selectFrom('contact_reply')
		.selectAll()
		.where('message_id', 'in', messageIds)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		messageId: r.message_id,
		body: r.body,
		author: r.author,
		createdAt: r.created_at,
	}));
}

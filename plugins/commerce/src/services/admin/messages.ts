import { notFound } from '../../core/errors.ts';
import { INTEGER_RANGES } from '../../core/safe-integers.ts';
import type { CommerceDb } from '../../db/client.ts';
import {
	type ContactMessage,
	countUnreadMessages,
	findContactMessage,
	listContactMessages,
	setMessageReadAt,
} from '../../db/repositories/contact-repository.ts';

type Db = CommerceDb;

/** Contact-form messages, newest first; `unread` only those not yet read. */
export async function listMessages(
	db: Db,
	query: { unread?: boolean; limit?: number; offset?: number } = {},
): Promise<{ messages: ContactMessage[]; count: number; unread: number }> {
	const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
	// Clamped to the safe range: SQLite refuses an OFFSET it cannot store as an integer (1e23).
	const offset = Math.min(Math.max(Math.trunc(query.offset ?? 0), 0), INTEGER_RANGES.offset.max);
	const [page, unread] = await Promise.all([
		listContactMessages(db, { unreadOnly: query.unread ?? false, limit, offset }),
		countUnreadMessages(db),
	]);
	return { messages: page.messages, count: page.count, unread };
}

/** Marks a message read (now) or unread again. */
export async function markMessageRead(db: Db, id: string, read: boolean): Promise<ContactMessage> {
	if (!(await setMessageReadAt(db, id, read ? new Date().toISOString() : null)))
		throw notFound(`Message with id ${id} was not found`);
	const message = await findContactMessage(db, id);
	if (!message) throw notFound(`Message with id ${id} was not found`);
	return message;
}

import { invalid, notFound } from '../../core/errors.ts';
import { INTEGER_RANGES } from '../../core/safe-integers.ts';
import type { CommerceDb } from '../../db/client.ts';
import { newId } from '../../db/ids.ts';
import {
	type ContactMessage,
	type ContactReply,
	countUnreadMessages,
	findContactMessage,
	insertContactReply,
	listContactMessages,
	listRepliesTo,
	setMessageReadAt,
} from '../../db/repositories/contact-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { contactReplyEmail } from '../../email/index.ts';
import type { ResolvedOptions } from '../../options.ts';
import { emailShopOf } from '../email-shop.ts';
import { enqueueEmail } from '../outbox/outbox-email.ts';

type Db = CommerceDb;

/** Contact-form messages, newest first; `unread` only those not yet read. */
export async function listMessages(
	db: Db,
	query: { unread?: boolean; limit?: number; offset?: number } = {},
): Promise<{ messages: (ContactMessage & { replies: ContactReply[] })[]; count: number; unread: number }> {
	const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
	// Clamped to the safe range: SQLite refuses an OFFSET it cannot store as an integer (1e23).
	const offset = Math.min(Math.max(Math.trunc(query.offset ?? 0), 0), INTEGER_RANGES.offset.max);
	const [page, unread] = await Promise.all([
		listContactMessages(db, { unreadOnly: query.unread ?? false, limit, offset }),
		countUnreadMessages(db),
	]);
	const replies = await listRepliesTo(
		db,
		page.messages.map((m) => m.id),
	);
	const messages = page.messages.map((m) => ({ ...m, replies: replies.filter((r) => r.messageId === m.id) }));
	return { messages, count: page.count, unread };
}

/** Marks a message read (now) or unread again. */
export async function markMessageRead(db: Db, id: string, read: boolean): Promise<ContactMessage> {
	if (!(await setMessageReadAt(db, id, read ? new Date().toISOString() : null)))
		throw notFound(`Message with id ${id} was not found`);
	const message = await findContactMessage(db, id);
	if (!message) throw notFound(`Message with id ${id} was not found`);
	return message;
}

/** The longest reply the inbox accepts (a mail, not a document). */
export const MAX_REPLY_LENGTH = 5000;

/**
 * Answers a contact message by email: the reply is stored on the message (the thread), the message is marked read,
 * and the email — the answer, then the earlier messages quoted — is queued in the same transaction (the outbox sends
 * it after the commit, retrying until it goes through). One email per reply.
 */
export async function replyToMessage(
	deps: { db: Db; options: ResolvedOptions },
	input: { messageId: string; body: string; author: string; origin: string },
): Promise<ContactReply> {
	const body = input.body.replace(/\r\n/g, '\n').trim();
	if (!body) throw invalid('Write a reply before sending it.', 'reply_empty');
	if (body.length > MAX_REPLY_LENGTH)
		throw invalid(`A reply can be at most ${MAX_REPLY_LENGTH} characters.`, 'reply_too_long');
	const message = await findContactMessage(deps.db, input.messageId);
	if (!message) throw notFound(`Message with id ${input.messageId} was not found`);
	const at = new Date().toISOString();
	const reply: ContactReply = { id: newId('mrep'), messageId: message.id, body, author: input.author, createdAt: at };
	const earlier = await listRepliesTo(deps.db, [message.id]);
	const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
	const email = contactReplyEmail({
		name: message.name,
		subject: message.subject,
		reply: body,
		thread: [
			{ from: `${message.name} <${message.email}>`, at: when(message.createdAt), text: message.message },
			...earlier.map((r) => ({ from: deps.options.storeName, at: when(r.createdAt), text: r.body })),
		],
		shopName: deps.options.storeName,
		shop: emailShopOf(deps.options, input.origin),
	});
	await writeTransaction(deps.db, async (trx) => {
		await insertContactReply(trx, reply);
		if (!message.readAt) await setMessageReadAt(trx, message.id, at);
		await enqueueEmail(trx, { to: message.email, ...email }, `contact_reply:${reply.id}`, at);
	});
	return reply;
}

import type { Kysely } from 'kysely';
import { enqueueOutbox } from '../../db/repositories/outbox-repository.ts';
import type { Database } from '../../db/types.ts';
import type { EmailMessage, Mailer } from '../../email/index.ts';
import type { OutboxHandler } from './outbox-drainer.ts';

/** The outbox kind of an email: its payload is the rendered message. */
export const EMAIL_KIND = 'email';

/**
 * Queues a rendered email in the caller's transaction; the drainer sends it after the commit (SMTP, or the dev
 * `.eml` outbox), retrying until it goes through. `dedupeKey` (e.g. `order_confirmation:<order id>`) makes a repeat
 * of the same use case send nothing more. Only for messages without secrets: a link that logs in or resets a
 * password must not rest in the database, so those are sent directly.
 */
export async function enqueueEmail(trx: Kysely<Database>, message: EmailMessage, dedupeKey: string, at: string) {
	await enqueueOutbox(trx, { kind: EMAIL_KIND, payload: message, dedupeKey }, at);
}

function isEmailMessage(value: unknown): value is EmailMessage {
	const m = value as Partial<EmailMessage> | null;
	return (
		typeof m === 'object' &&
		m !== null &&
		typeof m.to === 'string' &&
		typeof m.subject === 'string' &&
		typeof m.text === 'string' &&
		typeof m.html === 'string'
	);
}

/** The drainer's handler for `email` messages: sends them with the runtime's mailer. */
export function emailHandler(mailer: Mailer): OutboxHandler {
	return async (payload) => {
		if (!isEmailMessage(payload)) throw new Error('The outbox email payload is not a rendered message.');
		// Fields one by one: a payload carrying more (bcc, attachments) cannot widen the message.
		await mailer.send({ to: payload.to, subject: payload.subject, text: payload.text, html: payload.html });
	};
}

import type { Kysely } from 'kysely';
import type { Database } from '../types.ts';

// Provider webhook event ids seen before: inserted in the same transaction as the event's effect, so a duplicate
// (or a concurrent delivery of the same event) fails that transaction instead of repeating the effect.

type Db = Kysely<Database>;

export async function hasWebhookEvent(db: Db, providerId: string, eventId: string): Promise<boolean> {
	const row = await db
		.selectFrom('webhook_event')
		.select('event_id')
		.where('provider_id', '=', providerId)
		.where('event_id', '=', eventId)
		.executeTakeFirst();
	return Boolean(row);
}

/** Records an event id; the primary key refuses a second insert of the same id. */
export async function insertWebhookEvent(
	db: Db,
	event: { providerId: string; eventId: string; type: string },
	at: string,
): Promise<void> {
	await db
		.insertInto('webhook_event')
		.values({ provider_id: event.providerId, event_id: event.eventId, type: event.type, processed_at: at })
		.execute();
}

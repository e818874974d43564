import type { Kysely } from 'kysely';
import type { Database } from '../types.ts';

// Provider webhook event ids seen before: claimed first in the transaction of the event's effect. A concurrent
// delivery of the same event (another server) waits on the claim's row and then finds it taken: the effect happens once.

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

/**
 * Records an event id inside the caller's transaction; false when it was recorded before (a duplicate: apply nothing).
 * On PostgreSQL a concurrent claim of the same id waits for the first transaction and then returns false.
 */
export async function claimWebhookEvent(
	db: Db,
	event: { providerId: string; eventId: string; type: string },
	at: string,
): Promise<boolean> {
	const inserted = await db
		.insertInto('webhook_event')
		.values({ provider_id: event.providerId, event_id: event.eventId, type: event.type, processed_at: at })
		.onConflict((oc) => oc.columns(['provider_id', 'event_id']).doNothing())
		.returning('event_id')
		.executeTakeFirst();
	return Boolean(inserted);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import { pruneExpiredData, RETENTION } from '../../plugins/commerce/src/services/retention/prune.ts';

// The retention rules against a real (in-memory) SQLite database: each kind of data just past its limit is deleted,
// just inside it is kept, and a cart an order points at is never deleted.

let db: CommerceDb;
const NOW = new Date('2026-12-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MINUTE = 60_000;

beforeAll(async () => {
	db = openDatabase(':memory:');
	await migrateToLatest(db);
});
afterAll(async () => db?.destroy());

async function seed() {
	const key = (id: string, at: string) =>
		db
			.insertInto('idempotency_key')
			.values({ idempotency_key: id, scope: 'POST /x', request_hash: 'h', created_at: at, expires_at: at })
			.execute();
	await key('old', ago(RETENTION.idempotencyKeysMs + MINUTE));
	await key('fresh', ago(RETENTION.idempotencyKeysMs - MINUTE));

	const cart = (id: string, at: string, completed = false) =>
		db
			.insertInto('cart')
			.values({
				id,
				region_id: 'reg_us',
				currency_code: 'usd',
				email: 'shopper@example.com',
				completed_at: completed ? at : null,
				created_at: at,
				updated_at: at,
			} as never)
			.execute();
	await cart('cart_abandoned', ago(RETENTION.abandonedCartsMs + MINUTE));
	await cart('cart_recent', ago(RETENTION.abandonedCartsMs - MINUTE));
	await cart('cart_completed', ago(RETENTION.abandonedCartsMs + MINUTE), true);

	const event = (id: string, at: string) =>
		db
			.insertInto('analytics_event')
			.values({ id, type: 'page_view', path: '/', occurred_at: at, received_at: at } as never)
			.execute();
	await event('ev_old', ago(RETENTION.analyticsEventsMs + MINUTE));
	await event('ev_fresh', ago(RETENTION.analyticsEventsMs - MINUTE));

	const delivery = (id: string, at: string) =>
		db
			.insertInto('webhook_delivery')
			.values({
				id,
				endpoint_id: 'whep_1',
				message_id: 'msg_1',
				event_type: 'order.placed',
				outbox_id: null,
				attempt: 1,
				status: 'succeeded',
				response_status: 200,
				latency_ms: 3,
				error: null,
				payload: '{}',
				created_at: at,
			})
			.execute();
	await delivery('whd_old', ago(RETENTION.webhookDeliveriesMs + MINUTE));
	await delivery('whd_fresh', ago(RETENTION.webhookDeliveriesMs - MINUTE));
}

describe('retention', () => {
	it('removes exactly what is past its limit, and a second pass finds nothing', async () => {
		await seed();
		expect(await pruneExpiredData(db, NOW)).toEqual({
			idempotencyKeys: 1,
			abandonedCarts: 1,
			analyticsEvents: 1,
			webhookDeliveries: 1,
		});
		const ids = async (table: 'cart' | 'analytics_event' | 'webhook_delivery') =>
			(await db.selectFrom(table).select('id').orderBy('id').execute()).map((r) => r.id);
		expect(await ids('cart')).toEqual(['cart_completed', 'cart_recent']);
		expect(await ids('analytics_event')).toEqual(['ev_fresh']);
		expect(await ids('webhook_delivery')).toEqual(['whd_fresh']);
		expect(
			(await db.selectFrom('idempotency_key').select('idempotency_key').execute()).map((r) => r.idempotency_key),
		).toEqual(['fresh']);
		expect(await pruneExpiredData(db, NOW)).toEqual({
			idempotencyKeys: 0,
			abandonedCarts: 0,
			analyticsEvents: 0,
			webhookDeliveries: 0,
		});
	});

	it('keeps 13 months of analytics and 90 days of carts', () => {
		expect(RETENTION.analyticsEventsMs / 86_400_000).toBeGreaterThanOrEqual(395);
		expect(RETENTION.abandonedCartsMs / 86_400_000).toBe(90);
		expect(RETENTION.idempotencyKeysMs).toBe(86_400_000);
		expect(RETENTION.webhookDeliveriesMs / 86_400_000).toBe(30);
	});
});

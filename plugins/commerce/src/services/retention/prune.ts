import type { CommerceDb } from '../../db/client.ts';
import {
	pruneAbandonedCarts,
	pruneAnalyticsEvents,
	pruneIdempotencyKeys,
} from '../../db/repositories/retention-repository.ts';
import { pruneWebhookDeliveries } from '../../db/repositories/webhook-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { logger } from '../../log/logger.ts';
import { startLeasedSchedule } from '../../ops/leased-schedule.ts';

// Data retention (issue 14): what is deleted, when. Run by the server every hour (one process at a time: the
// `retention` lease) and by `commerce prune`. Every pass logs what it removed.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long each kind of data is kept. */
export const RETENTION = {
	/** Idempotency keys: a client retries within minutes; a day covers any sane retry. */
	idempotencyKeysMs: DAY,
	/** Carts never completed: long enough for a shopper to come back, short enough not to hoard addresses. */
	abandonedCartsMs: 90 * DAY,
	/** Analytics events: a year plus a month, so the dashboard can compare a month with the same month last year. */
	analyticsEventsMs: 396 * DAY,
	/** Webhook delivery logs: for debugging a receiver; the messages themselves are long delivered. */
	webhookDeliveriesMs: 30 * DAY,
} as const;

export interface PruneReport {
	idempotencyKeys: number;
	abandonedCarts: number;
	analyticsEvents: number;
	webhookDeliveries: number;
}

const CART_BATCH = 500;

/** Deletes everything older than its rule allows, as of `now`; each kind in its own short transactions. */
export async function pruneExpiredData(db: CommerceDb, now = new Date()): Promise<PruneReport> {
	const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
	const idempotencyKeys = await writeTransaction(db, (trx) =>
		pruneIdempotencyKeys(trx, before(RETENTION.idempotencyKeysMs)),
	);
	let abandonedCarts = 0;
	for (;;) {
		const removed = await writeTransaction(db, (trx) =>
			pruneAbandonedCarts(trx, before(RETENTION.abandonedCartsMs), CART_BATCH),
		);
		abandonedCarts += removed;
		if (removed < CART_BATCH) break;
	}
	const analyticsEvents = await writeTransaction(db, (trx) =>
		pruneAnalyticsEvents(trx, before(RETENTION.analyticsEventsMs)),
	);
	const webhookDeliveries = await writeTransaction(db, (trx) =>
		pruneWebhookDeliveries(trx, before(RETENTION.webhookDeliveriesMs)),
	);
	const report = { idempotencyKeys, abandonedCarts, analyticsEvents, webhookDeliveries };
	logger().info({ removed: report }, '[commerce] retention pass done');
	return report;
}

/**
 * Prunes every `intervalMs` (first pass a minute after start) while this process holds the `retention` lease, so
 * several servers on one database never prune at once. Returns a stop function.
 */
export function startRetentionSchedule(db: CommerceDb, holder: string, intervalMs = HOUR): () => void {
	return startLeasedSchedule(db, {
		name: 'retention',
		holder,
		intervalMs,
		firstDelayMs: Math.min(60_000, intervalMs),
		work: (now) => pruneExpiredData(db, now),
	});
}

import type { ClientEventType } from '../../core/analytics/events.ts';
import type { CommerceDb } from '../../db/client.ts';
import { newId } from '../../db/ids.ts';
import { insertAnalyticsEventOnce, type PurchaseFacts } from '../../db/repositories/analytics-repository.ts';
import { optionalWrites } from '../../db/transaction.ts';
import type { NewAnalyticsEvent } from '../../db/types.ts';
import { logger } from '../../log/logger.ts';
import { rollEvents } from './rollups.ts';

/** A browser event after validation (`routes/analytics/event-validators.ts`). */
export interface BeaconEvent {
	type: ClientEventType;
	visit_id: string;
	path?: string;
	product_id?: string;
	variant_id?: string;
	cart_id?: string;
	value?: number;
	currency?: string;
	/** Epoch milliseconds by the browser's clock. */
	occurred_at?: number;
}

/** A browser clock is believed this far back (a beacon sent late from a sleeping tab) … */
const MAX_PAST_MS = 24 * 60 * 60 * 1000;
/** … and this far ahead (a fast clock); otherwise the event happened when it arrived. */
const MAX_FUTURE_MS = 5 * 60 * 1000;

/** Rows for validated browser events; the browser's time is kept only when plausible, ids are the server's. */
export function beaconRows(events: BeaconEvent[], receivedAt: Date): NewAnalyticsEvent[] {
	const received = receivedAt.getTime();
	return events.map((event) => {
		const claimed = event.occurred_at;
		const plausible = claimed !== undefined && claimed >= received - MAX_PAST_MS && claimed <= received + MAX_FUTURE_MS;
		return {
			id: newId('aev', received),
			visit_id: event.visit_id,
			type: event.type,
			path: event.path ?? null,
			product_id: event.product_id ?? null,
			variant_id: event.variant_id ?? null,
			cart_id: event.cart_id ?? null,
			order_id: null,
			value: event.value ?? null,
			currency: event.currency ?? null,
			occurred_at: new Date(plausible ? claimed : received).toISOString(),
			received_at: receivedAt.toISOString(),
		};
	});
}

/** The `purchase` event of an order: value = order total, with its order, cart and currency, and the visit if any. */
function purchaseRow(order: PurchaseFacts, visitId: string | null, now: Date): NewAnalyticsEvent {
	return {
		id: newId('aev', now.getTime()),
		visit_id: visitId,
		type: 'purchase',
		path: null,
		product_id: null,
		variant_id: null,
		cart_id: order.cartId,
		order_id: order.orderId,
		value: order.total,
		currency: order.currency,
		occurred_at: order.placedAt,
		received_at: now.toISOString(),
	};
}

/** Stores the event (at most once per order: a partial unique index) and adds it to the traffic rollup. */
async function writePurchase(trx: CommerceDb, row: NewAnalyticsEvent): Promise<void> {
	if (await insertAnalyticsEventOnce(trx, row)) await rollEvents(trx, [row]);
}

const notRecorded = (orderId: string, error: unknown) =>
	logger().error(
		{ reason: (error as Error).message },
		`[commerce] analytics: the purchase of order ${orderId} was not recorded`,
	);

/**
 * Records the `purchase` of the order being placed, inside checkout's transaction (`trx`): one commit per order
 * instead of a second transaction after it. Its writes run under a savepoint, so a failure undoes only them, is logged
 * and the order commits: analytics must not fail a checkout.
 */
export async function recordPurchaseInOrder(
	trx: CommerceDb,
	facts: PurchaseFacts,
	visitId: string | null,
	now = new Date(),
): Promise<void> {
	const row = purchaseRow(facts, visitId, now);
	const failed = await optionalWrites(trx, () => writePurchase(trx, row));
	if (failed) notRecorded(facts.orderId, failed);
}

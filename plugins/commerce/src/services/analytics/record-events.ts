import type { ClientEventType } from '../../core/analytics/events.ts';
import type { CommerceDb } from '../../db/client.ts';
import { newId } from '../../db/ids.ts';
import {
	findPurchaseFacts,
	insertAnalyticsEventOnce,
	type PurchaseFacts,
} from '../../db/repositories/analytics-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
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

/**
 * Records the `purchase` of an order just placed: value = order total, with its order, cart and currency; the visit
 * id when the completing browser sent one (and allowed tracking), else null. Written directly, not queued (one row,
 * right after the order's transaction), and at most once per order. Never throws: analytics must not fail a checkout.
 */
export async function recordPurchase(
	db: CommerceDb,
	orderId: string,
	visitId: string | null = null,
	now = new Date(),
	/** The order's facts when the caller has them (checkout, which just placed it): spares reading them back. */
	facts?: PurchaseFacts,
): Promise<void> {
	try {
		const order = facts ?? (await findPurchaseFacts(db, orderId));
		if (!order) return;
		const row: NewAnalyticsEvent = {
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
		await writeTransaction(db, async (trx) => {
			if (await insertAnalyticsEventOnce(trx, row)) await rollEvents(trx, [row]);
		});
	} catch (error) {
		logger().error(
			{ reason: (error as Error).message },
			`[commerce] analytics: the purchase of order ${orderId} was not recorded`,
		);
	}
}

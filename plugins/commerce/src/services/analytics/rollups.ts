import type { Kysely } from 'kysely';
import { dayOf } from '../../core/analytics/days.ts';
import type { AnalyticsEventType } from '../../core/analytics/events.ts';
import {
	isFunnelStep,
	orderContribution,
	productDeltas,
	type RollupOrder,
	salesDelta,
} from '../../core/analytics/rollup.ts';
import type { Order, OrderLine, Payment } from '../../core/orders/index.ts';
import { findOrderDetail } from '../../db/repositories/order-repository.ts';
import {
	addEventsToTraffic,
	addProductDays,
	addSalesDay,
	findCartFact,
	findCartRollupFacts,
	readRollupTimeZone,
	setCartFact,
} from '../../db/repositories/rollup-repository.ts';
import type { Database } from '../../db/types.ts';

/**
 * Incremental rollup maintenance, called by the writers inside their own transactions (one commit: an order and its
 * rollup change together or not at all). Each call costs a handful of indexed statements.
 */

type Db = Kysely<Database>;

/** The rollup view of an order as a writer holds it. */
export function rollupOrderOf(order: Order, payment: Payment | null, lines: OrderLine[]): RollupOrder {
	return {
		status: order.status,
		currencyCode: order.currencyCode,
		total: order.total,
		refunded: payment?.amountRefunded ?? 0,
		createdAt: order.createdAt,
		lines: lines.map((line) => ({
			variantId: line.variantId,
			productId: line.productId,
			title: line.title,
			quantity: line.quantity,
			returnedQuantity: line.returnedQuantity,
			netAmount: line.subtotal - line.discountTotal,
		})),
	};
}

/**
 * Applies an order's change to its day's rollups: contribution after − before (`before` null for a new order). A
 * caller that holds no lines (a provider refund) passes empty lines; they are read when the order stops or starts
 * counting, since that moves its products too.
 */
export async function rollOrderChange(
	trx: Db,
	orderId: string,
	before: RollupOrder | null,
	after: RollupOrder,
): Promise<void> {
	let b = before;
	let a = after;
	if (b && !b.lines.length && !a.lines.length && (b.status === 'canceled') !== (a.status === 'canceled')) {
		const detail = await findOrderDetail(trx, orderId);
		const lines = detail ? rollupOrderOf(detail.order, null, detail.lines).lines : [];
		b = { ...b, lines };
		a = { ...a, lines };
	}
	const day = dayOf(a.createdAt, await readRollupTimeZone(trx));
	const was = b ? orderContribution(b) : null;
	const now = orderContribution(a);
	await addSalesDay(trx, day, now.currency, salesDelta(was?.sales ?? null, now.sales));
	await addProductDays(trx, day, now.currency, productDeltas(was?.products ?? [], now.products));
}

/** Adds events just stored (in the same transaction) to the traffic rollup. */
export async function rollEvents(
	trx: Db,
	events: { visit_id?: string | null; type: AnalyticsEventType; occurred_at: string }[],
): Promise<void> {
	if (!events.length) return;
	const timeZone = await readRollupTimeZone(trx);
	await addEventsToTraffic(
		trx,
		events.map((e) => ({
			day: dayOf(e.occurred_at, timeZone),
			visitId: e.visit_id ?? null,
			step: isFunnelStep(e.type) ? e.type : null,
		})),
	);
}

/**
 * Brings a cart's rollup contribution up to date after a cart write (lines added or removed, completion, deletion):
 * compares what the cart is now with what was counted, and applies the difference to its creation day.
 */
export async function rollCart(trx: Db, cartId: string): Promise<void> {
	const [facts, stored] = await Promise.all([findCartRollupFacts(trx, cartId), findCartFact(trx, cartId)]);
	if (!facts) {
		if (stored) await setCartFact(trx, cartId, stored.day, stored, null);
		return;
	}
	const after = { has_items: facts.hasItems ? 1 : 0, completed: facts.completed ? 1 : 0 };
	if (stored && Number(stored.has_items) === after.has_items && Number(stored.completed) === after.completed) return;
	const day = stored?.day ?? dayOf(facts.createdAt, await readRollupTimeZone(trx));
	await setCartFact(trx, cartId, day, stored, after);
}

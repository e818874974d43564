import { roundMinor } from '../pricing/rounding.ts';
import type { AnalyticsEventType } from './events.ts';

/**
 * Shop KPIs as pure functions of plain arrays (no I/O). Amounts are integer minor units of ONE currency: callers pass
 * the orders of one currency (the dashboard filters by currency first). Rates are fractions (0.25 = 25 %), unrounded.
 *
 * Definitions (also in system_design.md, "Analytics"):
 * - an order *counts* when its status is not `canceled`;
 * - an order's revenue is `total − refunded` (never below 0), 0 when canceled: tax and shipping included, refunds out;
 * - a visit is a distinct non-null visit id with at least one event.
 */

/** What the KPIs need of an analytics event. */
export interface KpiEvent {
	visitId: string | null;
	type: AnalyticsEventType;
}

/** What the KPIs need of an order line (a snapshot taken when the order was placed). */
export interface KpiOrderLine {
	productId: string;
	title: string;
	quantity: number;
	/** Units returned (refunded with restock); they leave `units` and, in proportion, `revenue`. @default 0 */
	returnedQuantity?: number;
	/** The line's net amount: subtotal − discount, excluding tax and shipping. */
	netAmount: number;
}

/** What the KPIs need of an order. */
export interface KpiOrder {
	status: string;
	/** Order total (goods − discounts + shipping + tax), minor units. */
	total: number;
	/** Amount refunded so far, minor units. @default 0 */
	refunded?: number;
	/** ISO-8601 timestamp of placement. */
	createdAt: string;
	lines?: KpiOrderLine[];
}

/** What the KPIs need of a cart. */
export interface KpiCart {
	/** The cart has (or had, when it was completed) at least one line. */
	hasItems: boolean;
	/** The cart became an order. */
	completed: boolean;
}

/** `numerator / denominator`, and 0 instead of NaN or Infinity when the denominator is 0. */
export function ratio(numerator: number, denominator: number): number {
	return denominator > 0 ? numerator / denominator : 0;
}

/** True when the order counts for orders, revenue, AOV and top products: every status but `canceled`. */
export const countsAsOrder = (order: Pick<KpiOrder, 'status'>): boolean => order.status !== 'canceled';

/** An order's revenue: `total − refunded`, at least 0; 0 for a canceled order. */
export function orderRevenue(order: KpiOrder): number {
	if (!countsAsOrder(order)) return 0;
	return Math.max(0, order.total - (order.refunded ?? 0));
}

/** Number of orders that count (not canceled). */
export const orderCount = (orders: KpiOrder[]): number => orders.filter(countsAsOrder).length;

/** Sum of the orders' revenue (canceled orders add 0; refunds are subtracted). */
export const totalRevenue = (orders: KpiOrder[]): number => orders.reduce((sum, order) => sum + orderRevenue(order), 0);

/** Distinct non-null visit ids among the events. */
export function visitCount(events: KpiEvent[]): number {
	const visits = new Set<string>();
	for (const event of events) if (event.visitId) visits.add(event.visitId);
	return visits.size;
}

/** Conversion rate: orders / visits; 0 when there are no visits. Can exceed 1 when orders come from untracked browsers. */
export const conversionRate = (orders: number, visits: number): number => ratio(orders, visits);

/**
 * Average order value: revenue / counted orders, rounded to a whole minor unit half away from zero (the pricing
 * core's `roundMinor`); 0 when no order counts.
 */
export function averageOrderValue(orders: KpiOrder[]): number {
	const count = orderCount(orders);
	return count ? roundMinor(totalRevenue(orders) / count) : 0;
}

/** Cart abandonment: (carts with items − completed carts with items) / carts with items; 0 when no cart has items. */
export function cartAbandonmentRate(carts: KpiCart[]): number {
	const withItems = carts.filter((cart) => cart.hasItems);
	const completed = withItems.filter((cart) => cart.completed).length;
	return ratio(withItems.length - completed, withItems.length);
}

/** Distinct visits that reached each step of the funnel. */
export interface FunnelCounts {
	productView: number;
	addToCart: number;
	checkoutStart: number;
	purchase: number;
}

const FUNNEL_STEPS: Record<string, keyof FunnelCounts> = {
	product_view: 'productView',
	add_to_cart: 'addToCart',
	checkout_start: 'checkoutStart',
	purchase: 'purchase',
};

/**
 * Funnel counts: per step, the distinct visits with at least one event of that type (an open funnel: a visit counts
 * at a step whether or not it was seen at the earlier ones, so a shopper who added to the cart yesterday and checks
 * out today counts at checkout). Events without a visit id (purchases from browsers that refuse tracking, API or
 * webhook completions) are left out, so the funnel only compares visits with visits.
 */
export function funnelCounts(events: KpiEvent[]): FunnelCounts {
	const visits: Record<keyof FunnelCounts, Set<string>> = {
		productView: new Set(),
		addToCart: new Set(),
		checkoutStart: new Set(),
		purchase: new Set(),
	};
	for (const event of events) {
		const step = FUNNEL_STEPS[event.type];
		if (step && event.visitId) visits[step].add(event.visitId);
	}
	return {
		productView: visits.productView.size,
		addToCart: visits.addToCart.size,
		checkoutStart: visits.checkoutStart.size,
		purchase: visits.purchase.size,
	};
}

/** One product's sales over the counted orders. */
export interface ProductSales {
	productId: string;
	/** The title of its most recent order line. */
	title: string;
	/** Units sold minus units returned. */
	units: number;
	/** Net line amounts (excluding tax and shipping), less the share of returned units. */
	revenue: number;
}

/**
 * Sales per product over the counted orders' lines. A line with returned units keeps `quantity − returned` units and
 * that share of its net amount (rounded half away from zero); order-level refunds without returned units stay in
 * the order's revenue only, since they are not tied to a line.
 */
export function productSales(orders: KpiOrder[]): ProductSales[] {
	const byProduct = new Map<string, ProductSales>();
	const sorted = [...orders]
		.filter(countsAsOrder)
		.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
	for (const order of sorted) {
		for (const line of order.lines ?? []) {
			const returned = Math.min(line.quantity, Math.max(0, line.returnedQuantity ?? 0));
			const units = line.quantity - returned;
			const revenue = returned ? roundMinor((line.netAmount * units) / line.quantity) : line.netAmount;
			const entry = byProduct.get(line.productId) ?? {
				productId: line.productId,
				title: line.title,
				units: 0,
				revenue: 0,
			};
			entry.title = line.title;
			entry.units += units;
			entry.revenue += revenue;
			byProduct.set(line.productId, entry);
		}
	}
	return [...byProduct.values()];
}

/**
 * The best-selling products by `revenue` or by `units`, at most `limit`. Ties go to the other measure, then to the
 * title and the product id, so the order is stable. Products with nothing left (all returned) are left out.
 */
export function topProducts(orders: KpiOrder[], by: 'revenue' | 'units', limit = 5): ProductSales[] {
	return rankProducts(productSales(orders), by, limit);
}

/** The ranking of `topProducts` over sales already summed per product (the dashboard's rollups). */
export function rankProducts(sales: ProductSales[], by: 'revenue' | 'units', limit = 5): ProductSales[] {
	const other = by === 'revenue' ? 'units' : 'revenue';
	return sales
		.filter((p) => p[by] > 0)
		.sort(
			(a, b) =>
				b[by] - a[by] ||
				b[other] - a[other] ||
				a.title.localeCompare(b.title) ||
				a.productId.localeCompare(b.productId),
		)
		.slice(0, limit);
}

/** One UTC day of the revenue chart. */
export interface DayRevenue {
	/** `YYYY-MM-DD` (UTC). */
	day: string;
	revenue: number;
	/** Orders that count, placed that day. */
	orders: number;
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** Parses a `YYYY-MM-DD` UTC day to its midnight in ms; throws RangeError for anything else (e.g. 2026-02-30). */
export function parseDay(day: string): number {
	const ms = DAY_PATTERN.test(day) ? Date.parse(`${day}T00:00:00.000Z`) : Number.NaN;
	if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day)
		throw new RangeError(`${day} is not a date: write YYYY-MM-DD`);
	return ms;
}

/** The UTC days from `from` to `to`, both included, as `YYYY-MM-DD`; empty when `from` is after `to`. */
export function daysBetween(from: string, to: string): string[] {
	const days: string[] = [];
	for (let ms = parseDay(from), end = parseDay(to); ms <= end; ms += DAY_MS)
		days.push(new Date(ms).toISOString().slice(0, 10));
	return days;
}

/**
 * Revenue per UTC day from `from` to `to` (both `YYYY-MM-DD`, included): one entry per day, days without orders at 0.
 * An order's revenue (refunds already out) goes to the UTC day it was placed; orders outside the range are ignored.
 */
export function revenuePerDay(orders: KpiOrder[], from: string, to: string): DayRevenue[] {
	const buckets = new Map(daysBetween(from, to).map((day) => [day, { day, revenue: 0, orders: 0 }]));
	for (const order of orders) {
		if (!countsAsOrder(order)) continue;
		const placed = Date.parse(order.createdAt);
		if (Number.isNaN(placed)) continue;
		const bucket = buckets.get(new Date(placed).toISOString().slice(0, 10));
		if (!bucket) continue;
		bucket.revenue += orderRevenue(order);
		bucket.orders += 1;
	}
	return [...buckets.values()];
}

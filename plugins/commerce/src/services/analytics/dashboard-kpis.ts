import {
	averageOrderValue,
	cartAbandonmentRate,
	conversionRate,
	type DayRevenue,
	daysBetween,
	type FunnelCounts,
	funnelCounts,
	type KpiOrder,
	orderCount,
	type ProductSales,
	parseDay,
	revenuePerDay,
	topProducts,
	totalRevenue,
	visitCount,
} from '../../core/analytics/kpis.ts';
import type { CommerceDb } from '../../db/client.ts';
import {
	countActiveProducts,
	countCustomers,
	countPendingOrders,
	type LowStockVariant,
	listCartFacts,
	listLowStockVariants,
	listOrderFacts,
	listOrderLineFacts,
	listRecentOrders,
	listVisitEventTypes,
	type RecentOrder,
	type TimeRange,
} from '../../db/repositories/analytics-repository.ts';

/** Low-stock threshold of variants that have none of their own. */
export const DEFAULT_LOW_STOCK_THRESHOLD = 5;
/** The longest range the dashboard computes in one call (about two years of daily buckets). */
export const MAX_RANGE_DAYS = 800;

export interface DashboardQuery {
	/** First UTC day, `YYYY-MM-DD`, included. */
	from: string;
	/** Last UTC day, `YYYY-MM-DD`, included. */
	to: string;
	/**
	 * Currency of the money figures and of the orders behind them (revenue, AOV, revenue per day, top products).
	 * Orders in other currencies still count in `orders` and the conversion rate. @default the currency with the most
	 * orders in the range (`usd` when there are none)
	 */
	currency?: string;
	/** @default 5 */
	lowStockThreshold?: number;
	/** How many recent orders, top products and low-stock variants to list. @default 10, 5, 10 */
	recentOrders?: number;
	topProducts?: number;
	lowStockList?: number;
}

export interface DashboardKpis {
	range: { from: string; to: string; days: number };
	currency: string;
	/** Currencies of the orders in the range, most orders first. */
	currencies: string[];
	/** In `currency`: order totals − refunds over orders placed in the range and not canceled. */
	revenue: number;
	/** Orders placed in the range and not canceled (every currency). */
	orders: number;
	/** Orders placed in the range and canceled since. */
	canceledOrders: number;
	/** Open orders now (status pending or requires_action), whenever placed. */
	pendingOrders: number;
	/** revenue / orders in `currency`, minor units. */
	averageOrderValue: number;
	/** Distinct visit ids with an event in the range. */
	visits: number;
	/** orders / visits, a fraction. */
	conversionRate: number;
	/** (carts with items − completed) / carts with items, over carts created in the range; a fraction. */
	cartAbandonmentRate: number;
	cartsWithItems: number;
	completedCarts: number;
	funnel: FunnelCounts;
	revenuePerDay: DayRevenue[];
	topProductsByRevenue: ProductSales[];
	topProductsByUnits: ProductSales[];
	/** Customer records with role `customer` (guests included); null when the database has no customer table. */
	customers: number | null;
	/** Active products. */
	products: number;
	lowStock: { threshold: number; count: number; variants: LowStockVariant[] };
	recentOrders: RecentOrder[];
}

/** The half-open timestamp range covering the UTC days `from`..`to`. */
export function dayRange(from: string, to: string): TimeRange {
	const start = parseDay(from);
	const end = parseDay(to);
	if (start > end) throw new RangeError(`The range starts (${from}) after it ends (${to}).`);
	const days = (end - start) / 86_400_000 + 1;
	if (days > MAX_RANGE_DAYS)
		throw new RangeError(`The range covers ${days} days; the dashboard computes at most ${MAX_RANGE_DAYS}.`);
	return { from: new Date(start).toISOString(), to: new Date(end + 86_400_000).toISOString() };
}

/** The currency with the most orders (ties: alphabetical), for the default money view. */
function currenciesByOrders(orders: { currency: string }[]): string[] {
	const counts = new Map<string, number>();
	for (const order of orders) counts.set(order.currency, (counts.get(order.currency) ?? 0) + 1);
	return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([currency]) => currency);
}

/**
 * Every dashboard figure for the UTC days `from`..`to` (both included): KPIs from the pure core over rows read in a
 * handful of indexed queries, plus the current counts (pending orders, customers, products, low stock) and the latest
 * orders. Read-only; throws RangeError for a malformed or too long range.
 */
export async function dashboardKpis(db: CommerceDb, query: DashboardQuery): Promise<DashboardKpis> {
	const range = dayRange(query.from, query.to);
	const threshold = query.lowStockThreshold ?? DEFAULT_LOW_STOCK_THRESHOLD;
	const [visitTypes, orderFacts, lineFacts, carts, pendingOrders, customers, products, lowStock, recentOrders] =
		await Promise.all([
			listVisitEventTypes(db, range),
			listOrderFacts(db, range),
			listOrderLineFacts(db, range),
			listCartFacts(db, range),
			countPendingOrders(db),
			countCustomers(db),
			countActiveProducts(db),
			listLowStockVariants(db, threshold, query.lowStockList ?? 10),
			listRecentOrders(db, query.recentOrders ?? 10),
		]);

	const currencies = currenciesByOrders(orderFacts);
	const currency = query.currency ?? currencies[0] ?? 'usd';
	const linesByOrder = new Map<string, KpiOrder['lines']>();
	for (const line of lineFacts) {
		const lines = linesByOrder.get(line.orderId) ?? [];
		lines.push(line);
		linesByOrder.set(line.orderId, lines);
	}
	const allOrders: (KpiOrder & { currency: string })[] = orderFacts.map((o) => ({
		...o,
		lines: linesByOrder.get(o.id) ?? [],
	}));
	const inCurrency = allOrders.filter((o) => o.currency === currency);
	const orders = orderCount(allOrders);
	const visits = visitCount(visitTypes);
	const withItems = carts.filter((c) => c.hasItems);
	const top = query.topProducts ?? 5;

	return {
		range: { from: query.from, to: query.to, days: daysBetween(query.from, query.to).length },
		currency,
		currencies,
		revenue: totalRevenue(inCurrency),
		orders,
		canceledOrders: allOrders.length - orders,
		pendingOrders,
		averageOrderValue: averageOrderValue(inCurrency),
		visits,
		conversionRate: conversionRate(orders, visits),
		cartAbandonmentRate: cartAbandonmentRate(carts),
		cartsWithItems: withItems.length,
		completedCarts: withItems.filter((c) => c.completed).length,
		funnel: funnelCounts(visitTypes),
		revenuePerDay: revenuePerDay(inCurrency, query.from, query.to),
		topProductsByRevenue: topProducts(inCurrency, 'revenue', top),
		topProductsByUnits: topProducts(inCurrency, 'units', top),
		customers,
		products,
		lowStock: { threshold, ...lowStock },
		recentOrders,
	};
}

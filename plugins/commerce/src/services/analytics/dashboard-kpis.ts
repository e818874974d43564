import { daySpan, isTimeZone } from '../../core/analytics/days.ts';
import {
	cartAbandonmentRate,
	conversionRate,
	type DayRevenue,
	daysBetween,
	type FunnelCounts,
	type ProductSales,
	parseDay,
	rankProducts,
	ratio,
} from '../../core/analytics/kpis.ts';
import { roundMinor } from '../../core/pricing/rounding.ts';
import type { CommerceDb } from '../../db/client.ts';
import {
	countActiveProducts,
	countCustomers,
	countPendingOrders,
	type LowStockVariant,
	listLowStockVariants,
	listRecentOrders,
	type RecentOrder,
	type TimeRange,
} from '../../db/repositories/analytics-repository.ts';
import {
	readRollupTimeZone,
	salesPerDay,
	sumCarts,
	sumProducts,
	sumSalesByCurrency,
	sumTraffic,
} from '../../db/repositories/rollup-repository.ts';
import { type RebuildStatus, rebuildStatus } from './rollup-rebuild.ts';

/** Low-stock threshold of variants that have none of their own. */
export const DEFAULT_LOW_STOCK_THRESHOLD = 5;
/** The longest range the dashboard computes in one call (about two years of daily buckets). */
export const MAX_RANGE_DAYS = 800;

export interface DashboardQuery {
	/** First day, `YYYY-MM-DD` in the reporting time zone, included. */
	from: string;
	/** Last day, `YYYY-MM-DD` in the reporting time zone, included. */
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
	range: { from: string; to: string; days: number; timeZone: string };
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
	/** Visits with an event in the range, counted per day (a visit that spans midnight counts on both days). */
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
	/** The rollups behind the figures: their time zone, and the rebuild in progress (figures still filling) or null. */
	rollups: { timeZone: string; rebuilding: RebuildStatus | null };
}

/**
 * The half-open timestamp range covering the days `from`..`to` in `timeZone` (default UTC); throws RangeError for a
 * malformed, reversed or overlong range.
 */
export function dayRange(from: string, to: string, timeZone = 'UTC'): TimeRange {
	const start = parseDay(from);
	const end = parseDay(to);
	if (start > end) throw new RangeError(`The range starts (${from}) after it ends (${to}).`);
	const days = (end - start) / 86_400_000 + 1;
	if (days > MAX_RANGE_DAYS)
		throw new RangeError(`The range covers ${days} days; the dashboard computes at most ${MAX_RANGE_DAYS}.`);
	if (!isTimeZone(timeZone)) throw new RangeError(`${timeZone} is not a time zone.`);
	return daySpan(from, to, timeZone);
}

/**
 * Every dashboard figure for the days `from`..`to` (both included, in the rollups' reporting time zone), read from
 * the rollup tables only — a few dozen rows per day whatever the shop's size — plus the current counts (pending
 * orders, customers, products, low stock) and the latest orders, each one indexed query. The KPI definitions are
 * those of core/analytics/kpis.ts, applied per day by the writers and the rebuild. Read-only; throws RangeError for a
 * malformed or too long range.
 */
export async function dashboardKpis(db: CommerceDb, query: DashboardQuery): Promise<DashboardKpis> {
	const timeZone = await readRollupTimeZone(db);
	dayRange(query.from, query.to, timeZone);
	const { from, to } = query;
	const threshold = query.lowStockThreshold ?? DEFAULT_LOW_STOCK_THRESHOLD;
	const [sales, traffic, carts, pendingOrders, customers, products, lowStock, recentOrders] = await Promise.all([
		sumSalesByCurrency(db, from, to),
		sumTraffic(db, from, to),
		sumCarts(db, from, to),
		countPendingOrders(db),
		countCustomers(db),
		countActiveProducts(db),
		listLowStockVariants(db, threshold, query.lowStockList ?? 10),
		listRecentOrders(db, query.recentOrders ?? 10),
	]);

	const placed = sales
		.filter((s) => s.orders > 0)
		.sort((a, b) => b.orders - a.orders || a.currency.localeCompare(b.currency));
	const currencies = placed.map((s) => s.currency);
	const currency = query.currency ?? currencies[0] ?? 'usd';
	const [perDay, productRows] = await Promise.all([
		salesPerDay(db, from, to, currency),
		sumProducts(db, from, to, currency),
	]);
	const inCurrency = sales.find((s) => s.currency === currency);
	const countedInCurrency = inCurrency ? inCurrency.orders - inCurrency.canceledOrders : 0;
	const revenue = inCurrency?.revenue ?? 0;
	const canceledOrders = sales.reduce((sum, s) => sum + s.canceledOrders, 0);
	const orders = sales.reduce((sum, s) => sum + s.orders, 0) - canceledOrders;
	const byDay = new Map(perDay.map((d) => [d.day, d]));
	const top = query.topProducts ?? 5;

	return {
		range: { from, to, days: daysBetween(from, to).length, timeZone },
		currency,
		currencies,
		revenue,
		orders,
		canceledOrders,
		pendingOrders,
		averageOrderValue: countedInCurrency ? roundMinor(revenue / countedInCurrency) : 0,
		visits: traffic.visits,
		conversionRate: conversionRate(orders, traffic.visits),
		cartAbandonmentRate: carts.withItems
			? ratio(carts.withItems - carts.completed, carts.withItems)
			: cartAbandonmentRate([]),
		cartsWithItems: carts.withItems,
		completedCarts: carts.completed,
		funnel: {
			productView: traffic.productView,
			addToCart: traffic.addToCart,
			checkoutStart: traffic.checkoutStart,
			purchase: traffic.purchase,
		},
		revenuePerDay: daysBetween(from, to).map((day) => byDay.get(day) ?? { day, revenue: 0, orders: 0 }),
		topProductsByRevenue: rankProducts(productRows, 'revenue', top),
		topProductsByUnits: rankProducts(productRows, 'units', top),
		customers,
		products,
		lowStock: { threshold, ...lowStock },
		recentOrders,
		rollups: { timeZone, rebuilding: rebuildStatus(db) },
	};
}

import type { AnalyticsEventType } from './events.ts';
import { countsAsOrder, orderRevenue } from './kpis.ts';

/**
 * What one order adds to the rollups (pure, no I/O): the same definitions as the KPIs in kpis.ts, so summing
 * contributions over a range gives what the KPI functions compute from the raw rows. Writers apply the difference
 * between an order's contribution before and after a change; the rebuild computes the same figures in SQL.
 */

export interface RollupOrderLine {
	variantId: string;
	productId: string;
	title: string;
	quantity: number;
	returnedQuantity: number;
	/** subtotal − discount, minor units. */
	netAmount: number;
}

export interface RollupOrder {
	status: string;
	currencyCode: string;
	total: number;
	refunded: number;
	createdAt: string;
	lines: RollupOrderLine[];
}

export interface SalesFigures {
	orders: number;
	canceledOrders: number;
	revenue: number;
	refunded: number;
	units: number;
}

export interface ProductFigures {
	variantId: string;
	productId: string;
	title: string;
	units: number;
	revenue: number;
}

export interface OrderContribution {
	currency: string;
	sales: SalesFigures;
	products: ProductFigures[];
}

/**
 * A line's units (sold − returned) and revenue (its net amount less the returned share, rounded half up: the
 * integer form of kpis.ts' `roundMinor(net × units / quantity)` for non-negative amounts, which SQL computes alike).
 */
export function lineFigures(line: Pick<RollupOrderLine, 'quantity' | 'returnedQuantity' | 'netAmount'>): {
	units: number;
	revenue: number;
} {
	const returned = Math.min(line.quantity, Math.max(0, line.returnedQuantity));
	const units = line.quantity - returned;
	if (!returned) return { units, revenue: line.netAmount };
	return { units, revenue: Math.floor((2 * line.netAmount * units + line.quantity) / (2 * line.quantity)) };
}

/** An order's contribution to its day's rollups. */
export function orderContribution(order: RollupOrder): OrderContribution {
	const counts = countsAsOrder(order);
	const products = counts
		? order.lines.map((line) => ({
				variantId: line.variantId,
				productId: line.productId,
				title: line.title,
				...lineFigures(line),
			}))
		: [];
	return {
		currency: order.currencyCode,
		sales: {
			orders: 1,
			canceledOrders: counts ? 0 : 1,
			revenue: orderRevenue(order),
			refunded: order.refunded,
			units: products.reduce((sum, p) => sum + p.units, 0),
		},
		products,
	};
}

/** `after − before` per figure (either side may be absent: a new order, a deleted one). */
export function salesDelta(before: SalesFigures | null, after: SalesFigures | null): SalesFigures {
	const zero: SalesFigures = { orders: 0, canceledOrders: 0, revenue: 0, refunded: 0, units: 0 };
	const b = before ?? zero;
	const a = after ?? zero;
	return {
		orders: a.orders - b.orders,
		canceledOrders: a.canceledOrders - b.canceledOrders,
		revenue: a.revenue - b.revenue,
		refunded: a.refunded - b.refunded,
		units: a.units - b.units,
	};
}

/** Per (variant, product): `after − before`; entries that do not change are left out. */
export function productDeltas(before: ProductFigures[], after: ProductFigures[]): ProductFigures[] {
	const byKey = new Map<string, ProductFigures>();
	const add = (p: ProductFigures, sign: 1 | -1) => {
		const key = `${p.variantId}\u0000${p.productId}`;
		const entry = byKey.get(key) ?? { ...p, units: 0, revenue: 0 };
		if (sign > 0) entry.title = p.title;
		entry.units += sign * p.units;
		entry.revenue += sign * p.revenue;
		byKey.set(key, entry);
	};
	for (const p of before) add(p, -1);
	for (const p of after) add(p, 1);
	return [...byKey.values()].filter((p) => p.units !== 0 || p.revenue !== 0);
}

/** The funnel steps kept per visit and day (page and cart views only count as visits). */
export const FUNNEL_STEP_COLUMNS = ['product_view', 'add_to_cart', 'checkout_start', 'purchase'] as const;
export type FunnelStepColumn = (typeof FUNNEL_STEP_COLUMNS)[number];

export const isFunnelStep = (type: AnalyticsEventType): type is FunnelStepColumn =>
	(FUNNEL_STEP_COLUMNS as readonly string[]).includes(type);

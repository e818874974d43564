import { describe, expect, it } from 'vitest';
import {
	averageOrderValue,
	cartAbandonmentRate,
	conversionRate,
	daysBetween,
	funnelCounts,
	type KpiCart,
	type KpiEvent,
	type KpiOrder,
	orderCount,
	orderRevenue,
	parseDay,
	productSales,
	revenuePerDay,
	topProducts,
	totalRevenue,
	visitCount,
} from '../../plugins/commerce/src/core/analytics/kpis.ts';

// Fixed data; every expected figure below is computed by hand in the comment beside it.

const V1 = 'a'.repeat(32);
const V2 = 'b'.repeat(32);
const V3 = 'c'.repeat(32);
const V4 = 'd'.repeat(32);

const EVENTS: KpiEvent[] = [
	// v1 goes all the way.
	{ visitId: V1, type: 'page_view' },
	{ visitId: V1, type: 'product_view' },
	{ visitId: V1, type: 'add_to_cart' },
	{ visitId: V1, type: 'checkout_start' },
	{ visitId: V1, type: 'purchase' },
	// v2 views twice and adds to the cart.
	{ visitId: V2, type: 'page_view' },
	{ visitId: V2, type: 'product_view' },
	{ visitId: V2, type: 'product_view' },
	{ visitId: V2, type: 'add_to_cart' },
	{ visitId: V2, type: 'view_cart' },
	// v3 looks at one product; v4 only at a page.
	{ visitId: V3, type: 'product_view' },
	{ visitId: V4, type: 'page_view' },
	// A purchase from a browser that refused tracking: no visit.
	{ visitId: null, type: 'purchase' },
];

const P1 = { productId: 'prod_1', title: 'Hoodie' };
const P2 = { productId: 'prod_2', title: 'Mug' };
const P3 = { productId: 'prod_3', title: 'Cap' };

const ORDERS: KpiOrder[] = [
	// A: revenue 5000.
	{
		status: 'pending',
		total: 5000,
		refunded: 0,
		createdAt: '2026-11-01T10:00:00.000Z',
		lines: [
			{ ...P1, quantity: 2, netAmount: 4000 },
			{ ...P2, quantity: 1, netAmount: 1000 },
		],
	},
	// B: revenue 3001 − 1000 = 2001; one of its three mugs came back → 2 units, 3000 × 2/3 = 2000.
	{
		status: 'completed',
		total: 3001,
		refunded: 1000,
		createdAt: '2026-11-01T23:59:59.999Z',
		lines: [{ ...P2, quantity: 3, returnedQuantity: 1, netAmount: 3000 }],
	},
	// C: canceled: no revenue, no order, no product sales.
	{
		status: 'canceled',
		total: 9999,
		refunded: 0,
		createdAt: '2026-11-02T12:00:00.000Z',
		lines: [{ ...P3, quantity: 5, netAmount: 9999 }],
	},
	// D: fully refunded and returned: counts as an order, revenue 0, units 0. Placed 2026-11-03T23:00Z (UTC day 11-03).
	{
		status: 'completed',
		total: 2000,
		refunded: 2000,
		createdAt: '2026-11-04T01:00:00+02:00',
		lines: [{ ...P1, quantity: 1, returnedQuantity: 1, netAmount: 2000 }],
	},
];

describe('visits and conversion', () => {
	it('counts distinct non-null visit ids', () => {
		expect(visitCount(EVENTS)).toBe(4);
	});

	it('conversion rate = orders / visits', () => {
		// A, B and D count (C is canceled): 3 orders over 4 visits.
		expect(orderCount(ORDERS)).toBe(3);
		expect(conversionRate(orderCount(ORDERS), visitCount(EVENTS))).toBe(0.75);
		expect(conversionRate(1, 8)).toBe(0.125);
	});

	it('is 0 without visits (no division by zero), and may pass 1 when orders come from untracked browsers', () => {
		expect(visitCount([])).toBe(0);
		expect(visitCount([{ visitId: null, type: 'purchase' }])).toBe(0);
		expect(conversionRate(3, 0)).toBe(0);
		expect(conversionRate(0, 0)).toBe(0);
		expect(conversionRate(3, 2)).toBe(1.5);
	});
});

describe('revenue and average order value', () => {
	it('revenue = totals − refunds over orders that are not canceled', () => {
		expect(ORDERS.map(orderRevenue)).toEqual([5000, 2001, 0, 0]);
		expect(totalRevenue(ORDERS)).toBe(7001);
	});

	it('a refund above the total never makes revenue negative', () => {
		expect(orderRevenue({ status: 'completed', total: 1000, refunded: 1500, createdAt: '2026-11-01T00:00:00Z' })).toBe(
			0,
		);
	});

	it('AOV = revenue / orders, rounded half away from zero', () => {
		// 7001 / 3 = 2333.67 → 2334
		expect(averageOrderValue(ORDERS)).toBe(2334);
		// (1 + 2) / 2 = 1.5 → 2
		const half: KpiOrder[] = [
			{ status: 'pending', total: 1, createdAt: '2026-11-01T00:00:00Z' },
			{ status: 'pending', total: 2, createdAt: '2026-11-01T00:00:00Z' },
		];
		expect(averageOrderValue(half)).toBe(2);
		// (1000 + 2001) / 2 = 1500.5 → 1501
		expect(
			averageOrderValue([
				{ ...half[0]!, total: 1000 },
				{ ...half[0]!, total: 2001 },
			]),
		).toBe(1501);
	});

	it('AOV is 0 with no orders, or only canceled ones', () => {
		expect(averageOrderValue([])).toBe(0);
		expect(averageOrderValue([ORDERS[2]!])).toBe(0);
		expect(totalRevenue([])).toBe(0);
	});

	it('refunds lower the AOV: a fully refunded order still counts as an order', () => {
		// A + D: (5000 + 0) / 2 = 2500
		expect(averageOrderValue([ORDERS[0]!, ORDERS[3]!])).toBe(2500);
	});
});

describe('cart abandonment', () => {
	const carts: KpiCart[] = [
		{ hasItems: true, completed: true },
		{ hasItems: true, completed: true },
		{ hasItems: true, completed: false },
		{ hasItems: true, completed: false },
		{ hasItems: true, completed: false },
		{ hasItems: false, completed: false },
		{ hasItems: false, completed: false },
	];

	it('(carts with items − completed) / carts with items; empty carts are not abandoned carts', () => {
		// (5 − 2) / 5
		expect(cartAbandonmentRate(carts)).toBe(0.6);
	});

	it('is 0 when no cart has items, and 0 when every cart was completed', () => {
		expect(cartAbandonmentRate([])).toBe(0);
		expect(cartAbandonmentRate([{ hasItems: false, completed: false }])).toBe(0);
		expect(cartAbandonmentRate([{ hasItems: true, completed: true }])).toBe(0);
		expect(cartAbandonmentRate([{ hasItems: true, completed: false }])).toBe(1);
	});
});

describe('funnel', () => {
	it('counts distinct visits per step; repeats and events without a visit do not add', () => {
		// product_view: v1, v2 (twice), v3 → 3; add_to_cart: v1, v2; checkout_start: v1; purchase: v1 (the null one is out).
		expect(funnelCounts(EVENTS)).toEqual({ productView: 3, addToCart: 2, checkoutStart: 1, purchase: 1 });
	});

	it('is open: a visit counts at a step without the earlier ones', () => {
		expect(funnelCounts([{ visitId: V4, type: 'checkout_start' }])).toEqual({
			productView: 0,
			addToCart: 0,
			checkoutStart: 1,
			purchase: 0,
		});
	});

	it('is all zeros without events', () => {
		expect(funnelCounts([])).toEqual({ productView: 0, addToCart: 0, checkoutStart: 0, purchase: 0 });
	});
});

describe('top products', () => {
	it('sums units and net revenue per product over orders that count, less returned units', () => {
		// Hoodie: A 2 units 4000, D returned → 0; Mug: A 1 unit 1000 + B 2 units 2000; the canceled cap is out.
		expect(productSales(ORDERS).sort((a, b) => a.productId.localeCompare(b.productId))).toEqual([
			{ productId: 'prod_1', title: 'Hoodie', units: 2, revenue: 4000 },
			{ productId: 'prod_2', title: 'Mug', units: 3, revenue: 3000 },
		]);
	});

	it('ranks by revenue and by units', () => {
		expect(topProducts(ORDERS, 'revenue').map((p) => [p.title, p.revenue])).toEqual([
			['Hoodie', 4000],
			['Mug', 3000],
		]);
		expect(topProducts(ORDERS, 'units').map((p) => [p.title, p.units])).toEqual([
			['Mug', 3],
			['Hoodie', 2],
		]);
		expect(topProducts(ORDERS, 'units', 1).map((p) => p.title)).toEqual(['Mug']);
	});

	it('breaks ties by the other measure, then by title', () => {
		const at = '2026-11-01T00:00:00Z';
		const orders: KpiOrder[] = [
			{
				status: 'pending',
				total: 0,
				createdAt: at,
				lines: [{ productId: 'prod_b', title: 'Beta', quantity: 1, netAmount: 500 }],
			},
			{
				status: 'pending',
				total: 0,
				createdAt: at,
				lines: [{ productId: 'prod_a', title: 'Alpha', quantity: 1, netAmount: 500 }],
			},
			{
				status: 'pending',
				total: 0,
				createdAt: at,
				lines: [{ productId: 'prod_c', title: 'Gamma', quantity: 5, netAmount: 500 }],
			},
		];
		expect(topProducts(orders, 'revenue').map((p) => p.title)).toEqual(['Gamma', 'Alpha', 'Beta']);
	});

	it('rounds the kept share of a partly returned line half away from zero', () => {
		// 1000 × 2/3 = 666.67 → 667; 5 × 1/2 = 2.5 → 3
		const at = '2026-11-01T00:00:00Z';
		expect(
			productSales([
				{
					status: 'pending',
					total: 0,
					createdAt: at,
					lines: [{ ...P1, quantity: 3, returnedQuantity: 1, netAmount: 1000 }],
				},
			])[0],
		).toMatchObject({ units: 2, revenue: 667 });
		expect(
			productSales([
				{
					status: 'pending',
					total: 0,
					createdAt: at,
					lines: [{ ...P1, quantity: 2, returnedQuantity: 1, netAmount: 5 }],
				},
			])[0],
		).toMatchObject({ units: 1, revenue: 3 });
	});

	it('is empty without orders', () => {
		expect(topProducts([], 'revenue')).toEqual([]);
	});
});

describe('revenue per day', () => {
	it('has one UTC bucket per day of the range, days without orders at 0', () => {
		expect(revenuePerDay(ORDERS, '2026-10-31', '2026-11-04')).toEqual([
			{ day: '2026-10-31', revenue: 0, orders: 0 },
			// A 5000 + B 2001 (23:59:59.999 UTC is still the 1st)
			{ day: '2026-11-01', revenue: 7001, orders: 2 },
			// C is canceled
			{ day: '2026-11-02', revenue: 0, orders: 0 },
			// D: 01:00 at +02:00 is 23:00 UTC the day before; fully refunded
			{ day: '2026-11-03', revenue: 0, orders: 1 },
			{ day: '2026-11-04', revenue: 0, orders: 0 },
		]);
	});

	it('ignores orders outside the range', () => {
		expect(revenuePerDay(ORDERS, '2026-11-02', '2026-11-02')).toEqual([{ day: '2026-11-02', revenue: 0, orders: 0 }]);
	});

	it('is all zeros without orders, across month ends and leap days', () => {
		expect(revenuePerDay([], '2028-02-28', '2028-03-01')).toEqual([
			{ day: '2028-02-28', revenue: 0, orders: 0 },
			{ day: '2028-02-29', revenue: 0, orders: 0 },
			{ day: '2028-03-01', revenue: 0, orders: 0 },
		]);
	});

	it('days: inclusive, empty when reversed, and refuses what is not a date', () => {
		expect(daysBetween('2026-12-31', '2027-01-01')).toEqual(['2026-12-31', '2027-01-01']);
		expect(daysBetween('2026-11-02', '2026-11-01')).toEqual([]);
		expect(() => parseDay('2026-02-30')).toThrow(RangeError);
		expect(() => parseDay('2026-1-1')).toThrow(RangeError);
		expect(() => parseDay('yesterday')).toThrow(RangeError);
	});
});

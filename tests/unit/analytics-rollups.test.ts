import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProductFile } from '../../plugins/commerce/src/content/parse-product-file.ts';
import { dayOf } from '../../plugins/commerce/src/core/analytics/days.ts';
import {
	funnelCounts,
	orderCount,
	topProducts,
	totalRevenue,
	visitCount,
} from '../../plugins/commerce/src/core/analytics/kpis.ts';
import { orderStateOf, transition } from '../../plugins/commerce/src/core/orders/index.ts';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import { findOrderDetail } from '../../plugins/commerce/src/db/repositories/order-repository.ts';
import { dumpRollups } from '../../plugins/commerce/src/db/repositories/rollup-repository.ts';
import { writeTransaction } from '../../plugins/commerce/src/db/transaction.ts';
import { parseOptions } from '../../plugins/commerce/src/options.ts';
import { dashboardKpis } from '../../plugins/commerce/src/services/analytics/dashboard-kpis.ts';
import { createEventQueue } from '../../plugins/commerce/src/services/analytics/event-queue.ts';
import { rebuildRollups } from '../../plugins/commerce/src/services/analytics/rollup-rebuild.ts';
import { rollCart } from '../../plugins/commerce/src/services/analytics/rollups.ts';
import { addLineItem, createCart, deleteLineItem } from '../../plugins/commerce/src/services/cart/cart-service.ts';
import { syncCatalog } from '../../plugins/commerce/src/services/catalog-sync.ts';
import { writeOrderChange } from '../../plugins/commerce/src/services/orders/order-writer.ts';
import { placeOrder } from '../../plugins/commerce/src/services/orders/place-order.ts';
import { recordProviderRefund } from '../../plugins/commerce/src/services/orders/provider-refund.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-db.ts';

// Rollups kept incrementally by the real writers (cart service, placeOrder, writeOrderChange, provider refunds, the
// event queue) over random activity spread across days and time zones must equal a full recomputation from the raw
// rows (the rebuild), and the dashboard read from them must equal the pure KPI functions over the raw rows. On both
// dialects (vitest.config.ts: DB_UNIT_TESTS).

const TIME_ZONE = 'America/New_York';
const options = (() => {
	const parsed = parseOptions({ storeName: 'Test shop', reportingTimeZone: TIME_ZONE });
	if (!parsed.ok) throw new Error(parsed.message);
	return parsed.options;
})();

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number) {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

let testDb: TestDatabase;
let db: CommerceDb;
const variants: { id: string; productId: string; title: string; price: number }[] = [];
// 2026-11-10 00:00 UTC, and 6 days of activity from there, so days in New York and UTC differ near midnight.
const START = Date.parse('2026-11-10T00:00:00.000Z');
const SPAN = 6 * 86_400_000;

function product(handle: string, title: string) {
	return parseProductFile(
		`content/products/${handle}.md`,
		`---\ntitle: ${title}\ncategory: Apparel\nimages:\n  - src: /images/${handle}.svg\n    alt: ${title}\noptions:\n  - title: Size\n    values: [S, M]\nvariants:\n  - sku: ${handle.toUpperCase()}-S\n    options: { Size: S }\n    prices: { usd: 10.00, eur: 9.00 }\n    stock: 100000\n  - sku: ${handle.toUpperCase()}-M\n    options: { Size: M }\n    prices: { usd: 12.50, eur: 11.00 }\n    stock: 100000\n---\n${title}.\n`,
	);
}

/** Normalised rows: numbers as numbers, rows whose figures are all zero left out (a rebuild does not write them). */
async function rollups() {
	const dump = await dumpRollups(db);
	const clean = (rows: Record<string, unknown>[], keys: string[]) =>
		rows
			.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, keys.includes(k) ? v : Number(v)])))
			.filter((r) => Object.entries(r).some(([k, v]) => !keys.includes(k) && v !== 0));
	return {
		sales: clean(dump.sales, ['day', 'currency']),
		products: clean(dump.products, ['day', 'currency', 'variant_id', 'product_id', 'title']),
		traffic: clean(dump.traffic, ['day']),
		carts: clean(dump.carts, ['day']),
	};
}

beforeAll(async () => {
	testDb = await createTestDatabase('rollups');
	db = testDb.db;
	await syncCatalog(db, [product('hoodie', 'Hoodie'), product('mug', 'Mug'), product('cap', 'Cap')]);
	for (const v of await db
		.selectFrom('product_variant as v')
		.innerJoin('product as p', 'p.id', 'v.product_id')
		.select(['v.id', 'p.id as pid', 'p.title'])
		.execute())
		variants.push({ id: v.id, productId: v.pid, title: v.title, price: 1000 });
	// The rollups' days are New York days from here on (what the server does when its option changes).
	await rebuildRollups(db, { timeZone: TIME_ZONE });

	const rand = random(0x18_2026);
	const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)]!;
	const instant = () => new Date(START + Math.floor(rand() * SPAN));
	const queue = createEventQueue(db, { intervalMs: 60_000, batchSize: 1_000_000 });
	const visits = Array.from({ length: 40 }, (_, i) => i.toString(16).padStart(32, '0'));
	const orderIds: string[] = [];

	for (let step = 0; step < 400; step++) {
		const roll = rand();
		if (roll < 0.35) {
			// Browsing: a few events of one visit, sometimes around midnight in New York (05:00 UTC).
			const visit = rand() < 0.9 ? pick(visits) : null;
			const base =
				rand() < 0.3 ? START + Math.floor(rand() * 6) * 86_400_000 + 5 * 3_600_000 - 60_000 : instant().getTime();
			queue.push(
				Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, i) => ({
					id: `aev_${step}_${i}`,
					visit_id: visit,
					type: pick(['page_view', 'product_view', 'add_to_cart', 'view_cart', 'checkout_start', 'purchase'] as const),
					path: '/',
					occurred_at: new Date(base + i * 40_000).toISOString(),
					received_at: new Date(base + i * 40_000).toISOString(),
				})),
			);
			if (rand() < 0.3) await queue.flush();
		} else if (roll < 0.6) {
			// A cart: created with items or empty, sometimes changed afterwards.
			const at = instant();
			const deps = { db, options, now: () => at };
			const cart = await createCart(
				deps,
				{
					regionId: rand() < 0.7 ? 'reg_us' : 'reg_eu',
					items: rand() < 0.6 ? [{ variantId: pick(variants).id, quantity: 1 }] : [],
				},
				{},
			).catch(() => null);
			if (!cart) continue;
			if (rand() < 0.4) await addLineItem(deps, cart.cart.id, pick(variants).id, 1, null).catch(() => null);
			if (rand() < 0.2 && cart.lines?.[0]) await deleteLineItem(deps, cart.cart.id, cart.lines[0].id).catch(() => null);
		} else if (roll < 0.85) {
			// An order placed by checkout's writer, its cart completed in the same transaction.
			const at = instant().toISOString();
			const currency = rand() < 0.75 ? 'usd' : 'eur';
			const cartId = `cart_o${step}`;
			await db
				.insertInto('cart')
				.values({
					id: cartId,
					email: 'x@example.com',
					customer_id: null,
					region_id: currency === 'usd' ? 'reg_us' : 'reg_eu',
					currency_code: currency,
					shipping_address_id: null,
					billing_address_id: null,
					client_ip: null,
					user_agent: null,
					metadata: null,
					completed_at: null,
					created_at: at,
					updated_at: at,
				})
				.execute();
			await writeTransaction(db, (trx) => rollCart(trx, cartId));
			const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => {
				const v = variants[(step + i) % variants.length]!;
				const quantity = 1 + Math.floor(rand() * 4);
				const unitPrice = 500 + Math.floor(rand() * 3000);
				const subtotal = unitPrice * quantity;
				const discountTotal = rand() < 0.3 ? Math.floor(subtotal / 7) : 0;
				return {
					variantId: v.id,
					productId: v.productId,
					sku: `SKU-${i}`,
					title: v.title,
					variantTitle: 'S',
					thumbnail: null,
					unitPrice,
					quantity,
					subtotal,
					discountTotal,
					taxTotal: 0,
					total: subtotal - discountTotal,
				};
			});
			const goods = lines.reduce((s, l) => s + l.total, 0);
			const total = goods + 500;
			const order = await writeTransaction(db, async (trx) => {
				const placed = await placeOrder(
					trx,
					{
						cartId,
						customerId: null,
						email: 'x@example.com',
						regionId: currency === 'usd' ? 'reg_us' : 'reg_eu',
						currencyCode: currency,
						taxRate: 0,
						totals: {
							subtotal: lines.reduce((s, l) => s + l.subtotal, 0),
							discountTotal: lines.reduce((s, l) => s + l.discountTotal, 0),
							shippingTotal: 500,
							shippingTaxTotal: 0,
							itemTaxTotal: 0,
							taxTotal: 0,
							total,
						},
						shipping: null,
						shippingAddress: null,
						billingAddressId: null,
						lines,
						discounts: [],
						payment: { providerId: 'test', amountAuthorized: total, captured: true, data: { id: `pi_${step}` } },
					},
					{
						origin: 'http://shop.test',
						paths: { orders: '/account/orders/', orderLookup: '/order/lookup/' },
						shopName: 'Test shop',
						shop: {},
						at,
					},
				);
				await trx.updateTable('cart').set({ completed_at: at }).where('id', '=', cartId).execute();
				await rollCart(trx, cartId);
				return placed.order;
			});
			orderIds.push(order.id);
		} else if (orderIds.length) {
			// A change to an earlier order: cancel, refund with returned goods, or a refund made at the provider.
			const orderId = pick(orderIds);
			const detail = await findOrderDetail(db, orderId);
			if (!detail?.payment) continue;
			const kind = rand();
			if (kind < 0.35) {
				await recordProviderRefund(db, {
					orderId,
					providerId: 'test',
					refundedTotal: detail.payment.amountRefunded + 1 + Math.floor(rand() * detail.order.total),
				});
				continue;
			}
			const line = pick(detail.lines);
			const returnable = line.quantity - line.returnedQuantity;
			const action =
				kind < 0.6
					? ({ type: 'cancel' } as const)
					: ({
							type: 'refund',
							amount: Math.min(line.total, detail.payment.amountCaptured - detail.payment.amountRefunded),
						} as const);
			if (action.type === 'refund' && action.amount <= 0) continue;
			const decided = transition(orderStateOf(detail.order, detail.payment), action);
			if (!decided.ok) continue;
			await writeTransaction(db, (trx) =>
				writeOrderChange(
					trx,
					detail,
					{ action, ...decided },
					{
						actor: 'test',
						at: new Date().toISOString(),
						providerData: null,
						restockLines:
							action.type === 'refund' && returnable > 0
								? [{ lineId: line.id, quantity: 1 + Math.floor(rand() * returnable) }]
								: [],
						mail: null,
					},
				),
			);
		}
	}
	await queue.flush();
	queue.stop();
}, 60_000);

afterAll(async () => {
	await testDb?.destroy();
});

describe('analytics rollups', () => {
	it('kept incrementally by the writers equal a full rebuild from the raw rows', async () => {
		const incremental = await rollups();
		expect(incremental.sales.length).toBeGreaterThan(5);
		expect(incremental.products.length).toBeGreaterThan(5);
		expect(incremental.traffic.length).toBeGreaterThan(3);
		expect(incremental.carts.length).toBeGreaterThan(3);
		expect(incremental.sales.some((r) => r.canceled_orders)).toBe(true);
		expect(incremental.sales.some((r) => r.refunded)).toBe(true);
		const result = await rebuildRollups(db);
		expect(result.timeZone).toBe(TIME_ZONE);
		expect(await rollups()).toEqual(incremental);
		// Idempotent: a second rebuild changes nothing; on SQLite the worker thread (own connection to the file) gives
		// the same.
		await rebuildRollups(db);
		expect(await rollups()).toEqual(incremental);
		await db.deleteFrom('analytics_sales_day').execute();
		await rebuildRollups(db, { databasePath: onPostgres ? undefined : testDb.target });
		expect(await rollups()).toEqual(incremental);
	});

	it('give the dashboard the figures the KPI functions compute from the raw rows, on New York days', async () => {
		const from = '2026-11-11';
		const to = '2026-11-14';
		const inRange = (iso: string) => {
			const day = dayOf(iso, TIME_ZONE);
			return day >= from && day <= to;
		};
		const orders = (
			await db
				.selectFrom('orders as o')
				.leftJoin('payment as p', 'p.order_id', 'o.id')
				.select(['o.id', 'o.status', 'o.total', 'o.currency_code', 'o.created_at', 'p.amount_refunded'])
				.execute()
		).filter((o) => inRange(o.created_at));
		const lines = await db.selectFrom('order_line').selectAll().execute();
		const kpiOrders = orders.map((o) => ({
			status: o.status,
			total: o.total,
			refunded: o.amount_refunded ?? 0,
			createdAt: o.created_at,
			currency: o.currency_code,
			lines: lines
				.filter((l) => l.order_id === o.id)
				.map((l) => ({
					productId: l.product_id,
					title: l.title,
					quantity: l.quantity,
					returnedQuantity: l.returned_quantity,
					netAmount: l.subtotal - l.discount_total,
				})),
		}));
		const usd = kpiOrders.filter((o) => o.currency === 'usd');
		const events = (await db.selectFrom('analytics_event').selectAll().execute()).filter((e) => inRange(e.occurred_at));
		// Visits and funnel steps are counted per day (a visit that spans midnight counts on both days).
		const days = [...new Set(events.map((e) => dayOf(e.occurred_at, TIME_ZONE)))];
		const perDay = days.map((day) =>
			events.filter((e) => dayOf(e.occurred_at, TIME_ZONE) === day).map((e) => ({ visitId: e.visit_id, type: e.type })),
		);
		const kpis = await dashboardKpis(db, { from, to, currency: 'usd', topProducts: 10 });
		expect(kpis.range.timeZone).toBe(TIME_ZONE);
		expect(kpis.orders).toBe(orderCount(kpiOrders));
		expect(kpis.orders).toBeGreaterThan(10);
		expect(kpis.revenue).toBe(totalRevenue(usd));
		expect(kpis.visits).toBe(perDay.reduce((s, e) => s + visitCount(e), 0));
		expect(kpis.funnel.productView).toBe(perDay.reduce((s, e) => s + funnelCounts(e).productView, 0));
		expect(kpis.funnel.checkoutStart).toBe(perDay.reduce((s, e) => s + funnelCounts(e).checkoutStart, 0));
		const expectedTop = topProducts(usd, 'revenue', 10);
		expect(kpis.topProductsByRevenue.map((p) => [p.productId, p.units, p.revenue])).toEqual(
			expectedTop.map((p) => [p.productId, p.units, p.revenue]),
		);
	});
});

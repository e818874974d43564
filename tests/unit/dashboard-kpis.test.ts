import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProductFile } from '../../plugins/commerce/src/content/parse-product-file.ts';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import {
	countCustomers,
	insertAnalyticsEvents,
} from '../../plugins/commerce/src/db/repositories/analytics-repository.ts';
import type { AnalyticsEventType } from '../../plugins/commerce/src/db/types.ts';
import { dashboardKpis, dayRange } from '../../plugins/commerce/src/services/analytics/dashboard-kpis.ts';
import { rebuildRollups } from '../../plugins/commerce/src/services/analytics/rollup-rebuild.ts';
import { syncCatalog } from '../../plugins/commerce/src/services/catalog-sync.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-db.ts';

// The dashboard service on a real SQLite file with hand-seeded rows. Range: 2026-11-01 .. 2026-11-03 (UTC, inclusive).
// Every expected figure is worked out in the comments from the seed below.

let testDb: TestDatabase;
let db: CommerceDb;
const variant: Record<string, string> = {};
const product: Record<string, string> = {};

function productFile(handle: string, title: string, stocks: Record<string, number>, active = true) {
	const sizes = Object.keys(stocks);
	const variants = sizes
		.map(
			(s) =>
				`  - sku: ${handle.toUpperCase()}-${s}\n    options: { Size: ${s} }\n    prices: { usd: 40.00, eur: 36.00 }\n    stock: ${stocks[s]}`,
		)
		.join('\n');
	return parseProductFile(
		`content/products/${handle}.md`,
		`---\ntitle: ${title}\ncategory: Apparel\nactive: ${active}\nimages:\n  - src: /images/${handle}.svg\n    alt: ${title}\noptions:\n  - title: Size\n    values: [${sizes.join(', ')}]\nvariants:\n${variants}\n---\n${title}.\n`,
	);
}

async function cart(
	id: string,
	createdAt: string,
	opts: { items?: string[]; completedAt?: string; currency?: string } = {},
) {
	await db
		.insertInto('cart')
		.values({
			id,
			email: null,
			customer_id: null,
			region_id: 'reg_us',
			currency_code: opts.currency ?? 'usd',
			shipping_address_id: null,
			billing_address_id: null,
			client_ip: null,
			user_agent: null,
			metadata: null,
			completed_at: opts.completedAt ?? null,
			created_at: createdAt,
			updated_at: createdAt,
		})
		.execute();
	for (const [i, sku] of (opts.items ?? []).entries()) {
		await db
			.insertInto('line_item')
			.values({
				id: `${id}_li${i}`,
				cart_id: id,
				variant_id: variant[sku]!,
				quantity: 1,
				metadata: null,
				created_at: createdAt,
				updated_at: createdAt,
			})
			.execute();
	}
}

interface SeedLine {
	sku: string;
	productHandle: string;
	title: string;
	quantity: number;
	unitPrice: number;
	returned?: number;
}

async function order(
	id: string,
	displayId: number,
	cartId: string,
	createdAt: string,
	opts: { total: number; status: string; currency?: string; refunded?: number; lines: SeedLine[] },
) {
	await cart(cartId, createdAt, {
		items: opts.lines.map((l) => l.sku),
		completedAt: createdAt,
		currency: opts.currency,
	});
	const subtotal = opts.lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
	await db
		.insertInto('orders')
		.values({
			id,
			display_id: displayId,
			cart_id: cartId,
			customer_id: null,
			email: `${id}@example.com`,
			region_id: 'reg_us',
			currency_code: opts.currency ?? 'usd',
			tax_rate: 0,
			status: opts.status,
			payment_status: 'captured',
			fulfillment_status: 'not_fulfilled',
			subtotal,
			discount_total: 0,
			shipping_total: opts.total - subtotal,
			shipping_tax_total: 0,
			item_tax_total: 0,
			tax_total: 0,
			total: opts.total,
			shipping_option_id: null,
			shipping_method_name: null,
			shipping_address_id: null,
			billing_address_id: null,
			carrier: null,
			tracking_number: null,
			canceled_at: opts.status === 'canceled' ? createdAt : null,
			created_at: createdAt,
			updated_at: createdAt,
		})
		.execute();
	for (const [i, l] of opts.lines.entries()) {
		await db
			.insertInto('order_line')
			.values({
				id: `${id}_l${i}`,
				order_id: id,
				variant_id: variant[l.sku]!,
				product_id: product[l.productHandle]!,
				sku: l.sku,
				title: l.title,
				variant_title: l.sku.split('-')[1]!,
				thumbnail: null,
				unit_price: l.unitPrice,
				quantity: l.quantity,
				subtotal: l.unitPrice * l.quantity,
				discount_total: 0,
				tax_total: 0,
				total: l.unitPrice * l.quantity,
				returned_quantity: l.returned ?? 0,
			})
			.execute();
	}
	if (opts.refunded !== undefined) {
		await db
			.insertInto('payment')
			.values({
				id: `pay_${id}`,
				order_id: id,
				provider_id: 'test',
				reference: null,
				currency_code: opts.currency ?? 'usd',
				amount: opts.total,
				amount_authorized: opts.total,
				amount_captured: opts.total,
				amount_refunded: opts.refunded,
				card_brand: null,
				card_last4: null,
				data: '{}',
				captured_at: createdAt,
				canceled_at: null,
				created_at: createdAt,
				updated_at: createdAt,
			})
			.execute();
	}
}

const visit = (n: number) => String(n).repeat(32).slice(0, 32);
async function events(list: [visitId: string | null, type: AnalyticsEventType, at: string, orderId?: string][]) {
	await insertAnalyticsEvents(
		db,
		list.map(([visitId, type, at, orderId], i) => ({
			id: `aev_${i}`,
			visit_id: visitId,
			type,
			path: null,
			product_id: null,
			variant_id: null,
			cart_id: null,
			order_id: orderId ?? null,
			value: null,
			currency: null,
			occurred_at: at,
			received_at: at,
		})),
	);
}

beforeAll(async () => {
	testDb = await createTestDatabase('dashboard');
	db = testDb.db;
	await syncCatalog(db, [
		productFile('hoodie', 'Hoodie', { S: 3, M: 20 }),
		productFile('mug', 'Mug', { S: 5, M: 8 }),
		// Inactive: neither a product nor low stock, whatever its stock.
		productFile('old', 'Old', { S: 0 }, false),
	]);
	for (const row of await db
		.selectFrom('product_variant as v')
		.innerJoin('product as p', 'p.id', 'v.product_id')
		.select(['v.id', 'v.sku', 'p.id as pid', 'p.handle'])
		.execute()) {
		variant[row.sku] = row.id;
		product[row.handle] = row.pid;
	}
	// HOODIE-M: 20 stocked but 16 reserved → 4 available (≤ 5); MUG-M: 8 available under its own threshold of 10.
	await db
		.updateTable('inventory_level')
		.set({ reserved_quantity: 16 })
		.where('variant_id', '=', variant['HOODIE-M']!)
		.execute();
	await db
		.updateTable('inventory_level')
		.set({ low_stock_threshold: 10 })
		.where('variant_id', '=', variant['MUG-M']!)
		.execute();

	const hoodieS = { sku: 'HOODIE-S', productHandle: 'hoodie', title: 'Hoodie' };
	const hoodieM = { sku: 'HOODIE-M', productHandle: 'hoodie', title: 'Hoodie' };
	const mugS = { sku: 'MUG-S', productHandle: 'mug', title: 'Mug' };
	// A: usd 8500 (8000 goods + 500 shipping), nothing refunded, pending.
	await order('order_a', 1001, 'cart_a', '2026-11-01T09:00:00.000Z', {
		total: 8500,
		status: 'pending',
		refunded: 0,
		lines: [{ ...hoodieS, quantity: 2, unitPrice: 4000 }],
	});
	// B: usd 3000, 1000 refunded → revenue 2000; completed.
	await order('order_b', 1002, 'cart_b', '2026-11-02T15:00:00.000Z', {
		total: 3000,
		status: 'completed',
		refunded: 1000,
		lines: [{ ...mugS, quantity: 3, unitPrice: 1000 }],
	});
	// C: usd, canceled: no order, no revenue, no product sales.
	await order('order_c', 1003, 'cart_c', '2026-11-02T16:00:00.000Z', {
		total: 4000,
		status: 'canceled',
		lines: [{ ...hoodieM, quantity: 1, unitPrice: 4000 }],
	});
	// E: usd, one second before the range: only in recent orders and pending orders.
	await order('order_e', 1004, 'cart_e', '2026-10-31T23:59:59.999Z', {
		total: 10000,
		status: 'pending',
		lines: [{ ...hoodieS, quantity: 1, unitPrice: 10000 }],
	});
	// F: eur 2500, requires_action (open).
	await order('order_f', 1005, 'cart_f', '2026-11-03T08:00:00.000Z', {
		total: 2500,
		status: 'requires_action',
		currency: 'eur',
		lines: [{ ...mugS, quantity: 1, unitPrice: 2500 }],
	});
	// Carts without orders: one with an item (abandoned), one empty (not counted), one with an item before the range.
	await cart('cart_abandoned', '2026-11-02T10:00:00.000Z', { items: ['MUG-S'] });
	await cart('cart_empty', '2026-11-02T11:00:00.000Z');
	await cart('cart_old', '2026-10-30T10:00:00.000Z', { items: ['MUG-S'] });

	await events([
		[visit(1), 'page_view', '2026-11-01T08:50:00.000Z'],
		[visit(1), 'product_view', '2026-11-01T08:51:00.000Z'],
		[visit(1), 'add_to_cart', '2026-11-01T08:52:00.000Z'],
		[visit(1), 'checkout_start', '2026-11-01T08:55:00.000Z'],
		[visit(1), 'purchase', '2026-11-01T09:00:00.000Z', 'order_a'],
		[visit(2), 'page_view', '2026-11-02T12:00:00.000Z'],
		[visit(2), 'product_view', '2026-11-02T12:01:00.000Z'],
		[visit(2), 'product_view', '2026-11-02T12:02:00.000Z'],
		[visit(3), 'page_view', '2026-11-03T23:59:59.999Z'],
		[visit(5), 'page_view', '2026-11-03T00:00:00.000Z'],
		// No visit (browser refused tracking): not a visit, not in the funnel.
		[null, 'purchase', '2026-11-02T15:00:00.000Z', 'order_b'],
		// Outside the range on both sides.
		[visit(4), 'product_view', '2026-11-04T00:00:00.000Z'],
		[visit(6), 'product_view', '2026-10-31T23:59:59.999Z'],
	]);

	const at = '2026-11-01T00:00:00.000Z';
	await db
		.insertInto('customer')
		.values([
			{
				id: 'cus_guest',
				email: 'guest@example.com',
				first_name: null,
				last_name: null,
				phone: null,
				has_account: 0,
				password_hash: null,
				role: 'customer',
				billing_address_id: null,
				created_at: at,
				updated_at: at,
			},
			{
				id: 'cus_reg',
				email: 'reg@example.com',
				first_name: 'Reg',
				last_name: null,
				phone: null,
				has_account: 1,
				password_hash: 'scrypt$x',
				role: 'customer',
				billing_address_id: null,
				created_at: at,
				updated_at: at,
			},
			{
				id: 'cus_admin',
				email: 'admin@example.com',
				first_name: null,
				last_name: null,
				phone: null,
				has_account: 1,
				password_hash: 'scrypt$y',
				role: 'admin',
				billing_address_id: null,
				created_at: at,
				updated_at: at,
			},
		])
		.execute();
	// The rows above were written behind the app's back: the rollups are rebuilt from them, as the start-up check does.
	await rebuildRollups(db);
});

afterAll(async () => {
	await testDb?.destroy();
});

describe('dashboardKpis on seeded data', () => {
	it('computes every figure as worked out by hand', async () => {
		const kpis = await dashboardKpis(db, { from: '2026-11-01', to: '2026-11-03' });
		expect(kpis.range).toEqual({ from: '2026-11-01', to: '2026-11-03', days: 3, timeZone: 'UTC' });
		// usd has A, B, C; eur has F.
		expect(kpis.currency).toBe('usd');
		expect(kpis.currencies).toEqual(['usd', 'eur']);
		// A 8500 + B (3000 − 1000); C canceled; E outside; F in eur.
		expect(kpis.revenue).toBe(10_500);
		// A, B, F (every currency); C canceled.
		expect(kpis.orders).toBe(3);
		expect(kpis.canceledOrders).toBe(1);
		// A, E (pending) and F (requires_action), whatever the range.
		expect(kpis.pendingOrders).toBe(3);
		// 10500 / 2 usd orders
		expect(kpis.averageOrderValue).toBe(5250);
		// visits 1, 2, 3, 5 (4 and 6 are outside, the null purchase is no visit)
		expect(kpis.visits).toBe(4);
		// 3 orders / 4 visits
		expect(kpis.conversionRate).toBe(0.75);
		// Carts with items created in the range: a, b, c, f (completed), abandoned → (5 − 4) / 5.
		expect(kpis.cartsWithItems).toBe(5);
		expect(kpis.completedCarts).toBe(4);
		expect(kpis.cartAbandonmentRate).toBe(0.2);
		expect(kpis.funnel).toEqual({ productView: 2, addToCart: 1, checkoutStart: 1, purchase: 1 });
		expect(kpis.revenuePerDay).toEqual([
			{ day: '2026-11-01', revenue: 8500, orders: 1 },
			{ day: '2026-11-02', revenue: 2000, orders: 1 },
			{ day: '2026-11-03', revenue: 0, orders: 0 },
		]);
		expect(kpis.topProductsByRevenue).toEqual([
			{ productId: product.hoodie, title: 'Hoodie', units: 2, revenue: 8000 },
			{ productId: product.mug, title: 'Mug', units: 3, revenue: 3000 },
		]);
		expect(kpis.topProductsByUnits.map((p) => [p.title, p.units])).toEqual([
			['Mug', 3],
			['Hoodie', 2],
		]);
		// Guest and registered shopper; the admin is not a customer.
		expect(kpis.customers).toBe(2);
		expect(kpis.products).toBe(2);
		expect(kpis.lowStock.threshold).toBe(5);
		expect(kpis.lowStock.count).toBe(4);
		expect(kpis.lowStock.variants.map((v) => [v.sku, v.available, v.threshold])).toEqual([
			['HOODIE-S', 3, 5],
			['HOODIE-M', 4, 5],
			['MUG-S', 5, 5],
			['MUG-M', 8, 10],
		]);
		expect(kpis.recentOrders.map((o) => o.displayId)).toEqual([1005, 1003, 1002, 1001, 1004]);
		expect(kpis.recentOrders[0]).toMatchObject({
			id: 'order_f',
			currency: 'eur',
			total: 2500,
			status: 'requires_action',
		});
	});

	it('shows money in another currency on request; orders and visits stay', async () => {
		const kpis = await dashboardKpis(db, { from: '2026-11-01', to: '2026-11-03', currency: 'eur' });
		expect(kpis.revenue).toBe(2500);
		expect(kpis.averageOrderValue).toBe(2500);
		expect(kpis.revenuePerDay.map((d) => d.revenue)).toEqual([0, 0, 2500]);
		expect(kpis.topProductsByRevenue).toEqual([{ productId: product.mug, title: 'Mug', units: 1, revenue: 2500 }]);
		expect(kpis.orders).toBe(3);
		expect(kpis.conversionRate).toBe(0.75);
	});

	it('a range without activity gives zeros, not NaN, with every day present', async () => {
		const kpis = await dashboardKpis(db, { from: '2026-12-01', to: '2026-12-02', lowStockThreshold: 2 });
		expect(kpis).toMatchObject({
			revenue: 0,
			orders: 0,
			visits: 0,
			conversionRate: 0,
			averageOrderValue: 0,
			cartAbandonmentRate: 0,
			currency: 'usd',
			currencies: [],
		});
		expect(kpis.funnel).toEqual({ productView: 0, addToCart: 0, checkoutStart: 0, purchase: 0 });
		expect(kpis.revenuePerDay).toEqual([
			{ day: '2026-12-01', revenue: 0, orders: 0 },
			{ day: '2026-12-02', revenue: 0, orders: 0 },
		]);
		expect(kpis.topProductsByRevenue).toEqual([]);
		// Threshold 2: HOODIE-S (3) and HOODIE-M (4) are fine now; MUG-M keeps its own threshold of 10.
		expect(kpis.lowStock.variants.map((v) => v.sku)).toEqual(['MUG-M']);
		// Current counts do not depend on the range.
		expect(kpis.pendingOrders).toBe(3);
		expect(kpis.recentOrders).toHaveLength(5);
	});

	it('refuses malformed, reversed and overlong ranges', async () => {
		expect(dayRange('2026-11-01', '2026-11-03')).toEqual({
			from: '2026-11-01T00:00:00.000Z',
			to: '2026-11-04T00:00:00.000Z',
		});
		await expect(dashboardKpis(db, { from: '2026-11-03', to: '2026-11-01' })).rejects.toThrow(RangeError);
		await expect(dashboardKpis(db, { from: '2026-11-1', to: '2026-11-03' })).rejects.toThrow(RangeError);
		await expect(dashboardKpis(db, { from: '2020-01-01', to: '2026-01-01' })).rejects.toThrow(/at most/);
	});
});

describe('customers count without the accounts migration', () => {
	it('is null when the customer table does not exist', async () => {
		const otherDb = await createTestDatabase('nocustomers');
		const other = otherDb.db;
		try {
			if (!onPostgres) await sql`pragma foreign_keys = off`.execute(other);
			for (const table of [
				'order_claim_token',
				'contact_message',
				'wishlist_item',
				'password_reset_token',
				'auth_session',
				'customer',
			]) {
				await sql`drop table if exists ${sql.table(table)} ${onPostgres ? sql`cascade` : sql``}`.execute(other);
			}
			expect(await countCustomers(other)).toBeNull();
		} finally {
			await otherDb.destroy();
		}
	});
});

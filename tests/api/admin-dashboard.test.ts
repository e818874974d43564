import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardKpis } from '../../plugins/commerce/src/services/analytics/dashboard-kpis.ts';
import { admin, adminSession } from '../helpers/admin.ts';
import { readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The dashboard's figures against a scenario worked out by hand: two visits, one purchase, one abandoned cart.

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
let server: TestServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

const beacon = (events: object[]) =>
	fetch(`${server.url}/analytics/events`, {
		method: 'POST',
		headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': BROWSER, origin: server.url },
		body: JSON.stringify({ events }),
	});

describe('admin dashboard figures', () => {
	it('match a hand computation: orders, revenue, AOV, conversion, abandonment, funnel, top products', async () => {
		const boss = await adminSession(server, 'boss@frostbuy.test', 'admin');
		const mug = await variantId(server, 'snowflake-mug');
		const { json } = await store(server, 'GET', '/products?handle=snowflake-mug');
		const productId = json.products[0].id as string;
		const buyer = randomBytes(16).toString('hex');
		const browser = randomBytes(16).toString('hex');
		const now = Date.now();
		const at = (path: string, extra: object, offset: number) => ({
			path,
			product_id: productId,
			occurred_at: now - offset,
			...extra,
		});
		expect(
			(
				await beacon([
					{ type: 'product_view', visit_id: buyer, ...at('/products/snowflake-mug/', {}, 3000) },
					{
						type: 'add_to_cart',
						visit_id: buyer,
						variant_id: mug,
						value: 2998,
						currency: 'usd',
						...at('/products/snowflake-mug/', {}, 2000),
					},
					{ type: 'checkout_start', visit_id: buyer, path: '/checkout/', occurred_at: now - 1000 },
					{ type: 'product_view', visit_id: browser, ...at('/products/snowflake-mug/', {}, 500) },
				])
			).status,
		).toBe(204);

		const paid = await readyCart(server, { items: [{ variantId: mug, quantity: 2 }], email: 'paid@example.com' });
		await readyCart(server, { items: [{ variantId: mug, quantity: 1 }], email: 'abandoned@example.com' });
		const order = (await store(server, 'POST', `/carts/${paid}/complete`, {}, { cookie: `commerce_visit=${buyer}` }))
			.json.data;
		// 2 × 14.99 = 29.98 < 35: standard shipping 5.99; tax 6 % of 29.98 = 1.80 and of 5.99 = 0.36.
		expect(order.total).toBe(2998 + 599 + 180 + 36);

		const today = new Date().toISOString().slice(0, 10);
		let kpis = {} as DashboardKpis;
		const deadline = Date.now() + 10_000;
		// Beacons are written in batches (about every 2 s): poll until both visits are in.
		while (Date.now() < deadline) {
			kpis = (await admin(server, boss, 'GET', `/dashboard?from=${today}&to=${today}`)).json as DashboardKpis;
			if (kpis.visits === 2) break;
			await new Promise((done) => setTimeout(done, 200));
		}
		expect(kpis).toMatchObject({
			currency: 'usd',
			orders: 1,
			revenue: order.total,
			averageOrderValue: order.total,
			visits: 2,
			conversionRate: 0.5,
			cartsWithItems: 2,
			completedCarts: 1,
			cartAbandonmentRate: 0.5,
			funnel: { productView: 2, addToCart: 1, checkoutStart: 1, purchase: 1 },
			pendingOrders: 1,
		});
		expect(kpis.topProductsByUnits[0]).toMatchObject({ productId, units: 2 });
		expect(kpis.revenuePerDay).toContainEqual({ day: today, revenue: order.total, orders: 1 });
		expect(kpis.recentOrders.map((o) => o.id)).toContain(order.id);
	});
});

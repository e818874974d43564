import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discountInput } from '../../plugins/commerce/src/core/discount-input.ts';
import { openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { createDiscount } from '../../plugins/commerce/src/services/discounts.ts';
import { readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// Races over real HTTP against the built server: stock never oversold, a coupon never used past its limit.

let server: TestServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

/** Sets a variant's stock to `units`, recording the change in the ledger as an admin adjustment would. */
function setStock(variant: string, units: number) {
	const db = new SQLite(server.databasePath);
	const current = (
		db.prepare('select stocked_quantity as q from inventory_level where variant_id = ?').get(variant) as { q: number }
	).q;
	db.prepare('update inventory_level set stocked_quantity = ? where variant_id = ?').run(units, variant);
	db.prepare(
		"insert into inventory_ledger (id, variant_id, delta, quantity_after, reason, reference_id, actor, note, created_at) values (?, ?, ?, ?, 'admin_adjustment', null, 'test', 'race setup', ?)",
	).run(`invl_test_${variant}_${units}_${Date.now()}`, variant, units - current, units, new Date().toISOString());
	db.close();
}

describe('concurrent checkouts', () => {
	it('50 parallel checkouts for 10 units: exactly 10 orders, stock 0, the rest 409 insufficient_inventory', async () => {
		const tee = await variantId(server, 'bobcat-paw-tee', 'L');
		setStock(tee, 60);
		// Carts are filled while stock allows; then stock drops to 10 before everyone pays at once.
		const carts = [];
		for (let i = 0; i < 50; i++)
			carts.push(await readyCart(server, { items: [{ variantId: tee, quantity: 1 }], email: `race${i}@example.com` }));
		setStock(tee, 10);
		const results = await Promise.all(carts.map((id) => store(server, 'POST', `/carts/${id}/complete`, {})));
		const orders = results.filter((r) => r.status === 200 && r.json.type === 'order');
		const refused = results.filter((r) => r.status === 409);
		expect(orders).toHaveLength(10);
		expect(refused).toHaveLength(40);
		expect(refused.every((r) => r.json.type === 'conflict' && r.json.code === 'insufficient_inventory')).toBe(true);

		const db = new SQLite(server.databasePath, { readonly: true });
		expect(
			(db.prepare('select stocked_quantity as q from inventory_level where variant_id = ?').get(tee) as { q: number })
				.q,
		).toBe(0);
		const ledger = db.prepare('select sum(delta) as s from inventory_ledger where variant_id = ?').get(tee) as {
			s: number;
		};
		expect(ledger.s).toBe(0);
		// Every refused checkout had its payment voided (or refunded when captured), none left charged without an order.
		const refusedCarts = carts.filter((_, i) => results[i].status === 409);
		const sessions = db
			.prepare(
				`select status from payment_session where is_selected = 1 and cart_id in (${refusedCarts.map(() => '?').join(',')})`,
			)
			.all(...refusedCarts) as { status: string }[];
		// The paying (selected) session of each; the region's other providers' sessions were never authorized.
		expect(sessions).toHaveLength(40);
		expect(sessions.every((s) => s.status === 'canceled')).toBe(true);
		expect(
			(
				db
					.prepare('select count(*) as n from orders o join order_line l on l.order_id = o.id where l.variant_id = ?')
					.get(tee) as { n: number }
			).n,
		).toBe(10);
		db.close();
	});

	it('a coupon limited to 3 uses raced by 20 carts is used by exactly 3 orders', async () => {
		const admin = openDatabase(server.databasePath);
		await createDiscount(admin, discountInput.parse({ code: 'RACE3', type: 'percentage', value: 15, usageLimit: 3 }));
		await admin.destroy();
		const mug = await variantId(server, 'snowflake-mug');
		const carts = [];
		for (let i = 0; i < 20; i++)
			carts.push(
				await readyCart(server, {
					items: [{ variantId: mug, quantity: 1 }],
					email: `coupon${i}@example.com`,
					code: 'RACE3',
				}),
			);
		const results = await Promise.all(carts.map((id) => store(server, 'POST', `/carts/${id}/complete`, {})));
		const orders = results.filter((r) => r.status === 200 && r.json.type === 'order');
		expect(orders).toHaveLength(3);
		expect(orders.every((r) => r.json.data.discounts.some((d: { code: string }) => d.code === 'RACE3'))).toBe(true);
		expect(
			results
				.filter((r) => r.status === 409)
				.every((r) => ['discount_no_longer_valid', 'discount_used_up'].includes(r.json.code)),
		).toBe(true);
		const db = new SQLite(server.databasePath, { readonly: true });
		expect(db.prepare("select usage_count as n from discount where code = 'RACE3'").get()).toEqual({ n: 3 });
		expect(
			(
				db
					.prepare(
						"select count(*) as n from discount_usage u join discount d on d.id = u.discount_id where d.code = 'RACE3'",
					)
					.get() as { n: number }
			).n,
		).toBe(3);
		db.close();
		// A refused shopper can still buy at full price: the used-up code no longer applies to the cart.
		const retry = await store(server, 'GET', `/carts/${carts[results.findIndex((r) => r.status === 409)]}`);
		expect(retry.json.cart.discounts).toEqual([]);
	});
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discountInput } from '../../plugins/commerce/src/core/discount-input.ts';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { createDiscount } from '../../plugins/commerce/src/services/discounts.ts';
import { moveStock } from '../../plugins/commerce/src/services/inventory/move-stock.ts';
import { readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// Races over real HTTP against the built server: stock never oversold, a coupon never used past its limit. On SQLite
// and, in the api-postgres project, on PostgreSQL (the server's pool runs the completions truly in parallel).

let server: TestServer;
let db: CommerceDb;
beforeAll(async () => {
	server = await startServer();
	db = openDatabase(server.databasePath);
});
afterAll(async () => {
	await db?.destroy();
	await server?.stop();
});

/** Sets a variant's stock to `units`, recording the change in the ledger as an admin adjustment would. */
async function setStock(variant: string, units: number) {
	await moveStock(db, {
		variantId: variant,
		delta: units - (await stockOf(variant)),
		reason: 'admin_adjustment',
		ref: null,
		actor: 'test',
		note: 'race setup',
	});
}

async function stockOf(variant: string): Promise<number> {
	const row = await db
		.selectFrom('inventory_level')
		.select('stocked_quantity')
		.where('variant_id', '=', variant)
		.executeTakeFirstOrThrow();
	return row.stocked_quantity;
}

describe('concurrent checkouts', () => {
	it('50 parallel checkouts for 10 units: exactly 10 orders, stock 0, the rest 409 insufficient_inventory', async () => {
		const tee = await variantId(server, 'bobcat-paw-tee', 'L');
		await setStock(tee, 60);
		// Carts are filled while stock allows; then stock drops to 10 before everyone pays at once.
		const carts = [];
		for (let i = 0; i < 50; i++)
			carts.push(await readyCart(server, { items: [{ variantId: tee, quantity: 1 }], email: `race${i}@example.com` }));
		await setStock(tee, 10);
		const results = await Promise.all(carts.map((id) => store(server, 'POST', `/carts/${id}/complete`, {})));
		const orders = results.filter((r) => r.status === 200 && r.json.type === 'order');
		const refused = results.filter((r) => r.status === 409);
		expect(orders).toHaveLength(10);
		expect(refused).toHaveLength(40);
		expect(refused.every((r) => r.json.type === 'conflict' && r.json.code === 'insufficient_inventory')).toBe(true);

		expect(await stockOf(tee)).toBe(0);
		const ledger = await sql<{
			s: number;
		}>`select sum(delta) as s from inventory_ledger where variant_id = ${tee}`.execute(db);
		expect(Number(ledger.rows[0].s)).toBe(0);
		// Every refused checkout had its payment voided (or refunded when captured), none left charged without an order.
		const refusedCarts = carts.filter((_, i) => results[i].status === 409);
		const sessions = await db
			.selectFrom('payment_session')
			.select('status')
			.where('cart_id', 'in', refusedCarts)
			.execute();
		expect(sessions.every((s) => s.status === 'canceled')).toBe(true);
		// The placed orders' sessions were recorded authorized in the same transaction as their order.
		const placedCarts = carts.filter((_, i) => results[i].status === 200);
		const placedSessions = await db
			.selectFrom('payment_session')
			.select(['status', 'amount'])
			.where('is_selected', '=', 1)
			.where('cart_id', 'in', placedCarts)
			.execute();
		expect(placedSessions).toHaveLength(10);
		expect(placedSessions.every((s) => s.status === 'authorized' && Number(s.amount) > 0)).toBe(true);
		const sold = await sql<{
			n: number;
		}>`select count(*) as n from orders o join order_line l on l.order_id = o.id where l.variant_id = ${tee}`.execute(
			db,
		);
		expect(Number(sold.rows[0].n)).toBe(10);
	});

	it('a coupon limited to 3 uses raced by 20 carts is used by exactly 3 orders', async () => {
		await createDiscount(db, discountInput.parse({ code: 'RACE3', type: 'percentage', value: 15, usageLimit: 3 }));
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
		expect(
			await db.selectFrom('discount').select('usage_count as n').where('code', '=', 'RACE3').executeTakeFirst(),
		).toEqual({ n: 3 });
		const used = await sql<{
			n: number;
		}>`select count(*) as n from discount_usage u join discount d on d.id = u.discount_id where d.code = 'RACE3'`.execute(
			db,
		);
		expect(Number(used.rows[0].n)).toBe(3);
		// A refused shopper can still buy at full price: the used-up code no longer applies to the cart.
		const retry = await store(server, 'GET', `/carts/${carts[results.findIndex((r) => r.status === 409)]}`);
		expect(retry.json.cart.discounts).toEqual([]);
	});
});

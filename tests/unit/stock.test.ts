import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseProductFile } from '../../plugins/commerce/src/content/parse-product-file.ts';
import type { CatalogProduct } from '../../plugins/commerce/src/content/product-schema.ts';
import { CommerceError } from '../../plugins/commerce/src/core/errors.ts';
import { MAX_STOCK_LEVEL } from '../../plugins/commerce/src/core/inventory/stock.ts';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import { findLedgerMismatches } from '../../plugins/commerce/src/db/repositories/stock-repository.ts';
import { writeTransaction } from '../../plugins/commerce/src/db/transaction.ts';
import { parseOptions } from '../../plugins/commerce/src/options.ts';
import { createTestProvider } from '../../plugins/commerce/src/payments/index.ts';
import { adjustInput, adjustInventory } from '../../plugins/commerce/src/services/admin/inventory.ts';
import { orderAction } from '../../plugins/commerce/src/services/admin/orders.ts';
import { syncCatalog } from '../../plugins/commerce/src/services/catalog-sync.ts';
import { moveStock } from '../../plugins/commerce/src/services/inventory/move-stock.ts';
import type { OrderDeps } from '../../plugins/commerce/src/services/orders/order-deps.ts';
import { placeOrder } from '../../plugins/commerce/src/services/orders/place-order.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// moveStock is the one writer of stock: every movement writes its ledger row, refusals change nothing, and after any
// mix of sync, orders, cancellations, refunds with restock and adjustments the ledger sums to the stock of every
// variant.

const options = (() => {
	const parsed = parseOptions({ storeName: 'Test shop' });
	if (!parsed.ok) throw new Error(parsed.message);
	return parsed.options;
})();

const tee = (sizes: Record<string, number>): CatalogProduct =>
	parseProductFile(
		'content/products/tee.md',
		`---\ntitle: Tee\ncategory: Apparel\nimages:\n  - src: /images/tee.svg\n    alt: Tee\noptions:\n  - title: Size\n    values: [${Object.keys(sizes).join(', ')}]\nvariants:\n${Object.entries(
			sizes,
		)
			.map(
				([size, stock]) =>
					`  - sku: TEE-${size}\n    options: { Size: ${size} }\n    prices: { usd: 20.00 }\n    stock: ${stock}`,
			)
			.join('\n')}\n---\nA tee.\n`,
	);

let testDb: TestDatabase;
let db: CommerceDb;

beforeEach(async () => {
	testDb = await createTestDatabase('stock');
	db = testDb.db;
});
afterEach(async () => {
	await testDb.destroy();
});

const variant = async (sku: string) =>
	(await db.selectFrom('product_variant').select('id').where('sku', '=', sku).executeTakeFirstOrThrow()).id;
const stocked = async (variantId: string) =>
	(
		await db
			.selectFrom('inventory_level')
			.select('stocked_quantity')
			.where('variant_id', '=', variantId)
			.executeTakeFirstOrThrow()
	).stocked_quantity;
const ledgerRows = async () =>
	Number((await sql<{ n: number }>`select count(*) as n from inventory_ledger`.execute(db)).rows[0].n);

/** Σ delta per variant next to stocked_quantity, computed in plain SQL (not through the code under test). */
async function ledgerAgrees(): Promise<boolean> {
	const { rows } = await sql<{ stocked: number; total: number | null }>`
		select i.stocked_quantity as stocked, (select sum(delta) from inventory_ledger l where l.variant_id = i.variant_id) as total
		from inventory_level i`.execute(db);
	return rows.length > 0 && rows.every((r) => r.stocked === Number(r.total ?? 0));
}

describe('moveStock', () => {
	it('takes and returns stock with one ledger row each, and refuses instead of clamping', async () => {
		await syncCatalog(db, [tee({ M: 3 })]);
		const m = await variant('TEE-M');
		const before = await ledgerRows();
		const taken = await moveStock(db, { variantId: m, delta: -2, reason: 'order', ref: 'order_x', actor: 'checkout' });
		expect(taken).toMatchObject({
			ok: true,
			stocked: 1,
			entry: { variantId: m, delta: -2, quantityAfter: 1, reason: 'order', referenceId: 'order_x', actor: 'checkout' },
		});
		// Two more than there is: refused, and nothing written (no partial take down to 0).
		expect(
			await moveStock(db, { variantId: m, delta: -2, reason: 'order', ref: 'order_y', actor: 'checkout' }),
		).toEqual({
			ok: false,
			reason: 'insufficient',
			available: 1,
		});
		expect(await stocked(m)).toBe(1);
		expect(await ledgerRows()).toBe(before + 1);
		expect(
			await moveStock(db, { variantId: m, delta: MAX_STOCK_LEVEL, reason: 'admin_adjustment', ref: null, actor: 'a' }),
		).toEqual({ ok: false, reason: 'above_limit', stocked: 1 });
		expect(
			await moveStock(db, { variantId: 'variant_none', delta: 1, reason: 'cancel', ref: null, actor: 'a' }),
		).toEqual({
			ok: false,
			reason: 'not_stocked',
		});
		for (const delta of [1e308, 0.5, Number.NaN, MAX_STOCK_LEVEL + 1]) {
			await expect(
				moveStock(db, { variantId: m, delta, reason: 'admin_adjustment', ref: null, actor: 'a' }),
			).rejects.toThrow(CommerceError);
		}
		expect(await ledgerRows()).toBe(before + 1);
		expect(await ledgerAgrees()).toBe(true);
	});

	it('never oversells under 30 concurrent takes', async () => {
		await syncCatalog(db, [tee({ M: 10 })]);
		const m = await variant('TEE-M');
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, i) =>
				writeTransaction(db, (trx) =>
					moveStock(trx, { variantId: m, delta: -1, reason: 'order', ref: `order_${i}`, actor: 'checkout' }),
				),
			),
		);
		expect(results.filter((r) => r.ok)).toHaveLength(10);
		expect(await stocked(m)).toBe(0);
		expect(await ledgerAgrees()).toBe(true);
	});

	it('keeps Σ ledger delta = stock for every variant after a mixed sequence of every kind of movement', async () => {
		await syncCatalog(db, [tee({ S: 5, M: 8 })]);
		const [s, m] = [await variant('TEE-S'), await variant('TEE-M')];
		const at = new Date().toISOString();
		const deps: OrderDeps = {
			db,
			options,
			mailer: { send: async () => ({ messageId: '<x@test>' }) },
			outbox: { wake: () => {} },
			payments: new Map([['test', createTestProvider()]]),
		};
		const provider = createTestProvider();
		const place = async (lines: [string, number][]) => {
			const session = await provider.initiate({
				amount: 100,
				currency: 'usd',
				cartId: 'c',
				email: 'a@example.com',
				idempotencyKey: `k${Math.random()}`,
			});
			const auth = await provider.authorize({ data: session.data, amount: 100, currency: 'usd', idempotencyKey: 'a' });
			return writeTransaction(db, async (trx) => {
				const cartId = `cart_${Math.random().toString(36).slice(2)}`;
				await trx
					.insertInto('cart')
					.values({
						id: cartId,
						email: 'a@example.com',
						customer_id: null,
						region_id: 'reg_us',
						currency_code: 'usd',
						shipping_address_id: null,
						billing_address_id: null,
						client_ip: null,
						user_agent: null,
						metadata: null,
						completed_at: at,
						created_at: at,
						updated_at: at,
					})
					.execute();
				return placeOrder(
					trx,
					{
						cartId,
						customerId: null,
						email: 'a@example.com',
						regionId: 'reg_us',
						currencyCode: 'usd',
						taxRate: 0,
						totals: {
							subtotal: 100,
							discountTotal: 0,
							shippingTotal: 0,
							shippingTaxTotal: 0,
							itemTaxTotal: 0,
							taxTotal: 0,
							total: 100,
						},
						shipping: null,
						shippingAddress: null,
						billingAddressId: null,
						lines: lines.map(([variantId, quantity]) => ({
							variantId,
							productId: 'prod_x',
							sku: 'TEE',
							title: 'Tee',
							variantTitle: 'M',
							thumbnail: null,
							unitPrice: 10,
							quantity,
							subtotal: 10 * quantity,
							discountTotal: 0,
							taxTotal: 0,
							total: 10 * quantity,
						})),
						discounts: [],
						payment: { providerId: 'test', amountAuthorized: 100, captured: true, data: auth.data },
					},
					{
						origin: 'https://shop.example',
						paths: { orders: '/account/orders/', orderLookup: '/order/lookup/' },
						shopName: 'Test shop',
						shop: {},
						at,
					},
				);
			});
		};

		const first = await place([
			[s, 2],
			[m, 3],
		]);
		const second = await place([[m, 4]]);
		// Selling more than is left refuses the whole order: the S line taken before it is rolled back too.
		await expect(
			place([
				[s, 1],
				[m, 2],
			]),
		).rejects.toMatchObject({ kind: 'conflict', code: 'insufficient_inventory' });
		await orderAction(deps, first.order.id, { type: 'cancel' }, 'ana@shop.test', 'https://shop.example');
		const line = (
			await db.selectFrom('order_line').select('id').where('order_id', '=', second.order.id).executeTakeFirstOrThrow()
		).id;
		await orderAction(
			deps,
			second.order.id,
			{ type: 'refund', amount: 50, restockLines: [{ lineId: line, quantity: 3 }] },
			'ana@shop.test',
			'https://shop.example',
		);
		await adjustInventory(db, s, adjustInput.parse({ delta: 7, reason: 'received' }), 'ana@shop.test');
		await expect(
			adjustInventory(db, m, adjustInput.parse({ delta: -100, reason: 'damaged' }), 'ana@shop.test'),
		).rejects.toMatchObject({ code: 'stock_below_zero' });
		// A size added to the file later opens with its own sync_initial row; existing stock is left alone.
		await syncCatalog(db, [tee({ S: 99, M: 99, L: 4 })]);

		expect({ s: await stocked(s), m: await stocked(m), l: await stocked(await variant('TEE-L')) }).toEqual({
			s: 5 - 2 + 2 + 7,
			m: 8 - 3 - 4 + 3 + 3,
			l: 4,
		});
		const reasons = await db.selectFrom('inventory_ledger').select('reason').distinct().orderBy('reason').execute();
		expect(reasons.map((r) => r.reason)).toEqual([
			'admin_adjustment',
			'cancel',
			'order',
			'refund_restock',
			'sync_initial',
		]);
		expect(await ledgerAgrees()).toBe(true);
		expect(await findLedgerMismatches(db)).toEqual([]);
	});

	it('lets findLedgerMismatches see a level changed behind the ledger', async () => {
		await syncCatalog(db, [tee({ M: 3 })]);
		const m = await variant('TEE-M');
		await db.updateTable('inventory_level').set({ stocked_quantity: 9 }).where('variant_id', '=', m).execute();
		expect(await findLedgerMismatches(db)).toEqual([{ variantId: m, stocked: 9, ledgerSum: 3 }]);
	});
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { adminCreate } from '../../plugins/commerce/src/cli/admin-create.ts';
import { main } from '../../plugins/commerce/src/cli/main.ts';
import { parseProductFile } from '../../plugins/commerce/src/content/parse-product-file.ts';
import { discountInput } from '../../plugins/commerce/src/core/discount-input.ts';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import { nextDisplayId } from '../../plugins/commerce/src/db/repositories/order-repository.ts';
import { findLedgerMismatches } from '../../plugins/commerce/src/db/repositories/stock-repository.ts';
import { writeTransaction } from '../../plugins/commerce/src/db/transaction.ts';
import { createAdminUser } from '../../plugins/commerce/src/services/admin/admin-users.ts';
import { syncCatalog } from '../../plugins/commerce/src/services/catalog-sync.ts';
import { createDiscount } from '../../plugins/commerce/src/services/discounts.ts';
import { placeOrder } from '../../plugins/commerce/src/services/orders/place-order.ts';
import { createEmptyPostgresDatabase } from '../helpers/test-db.ts';

// `commerce db:copy`: a SQLite shop with catalog, stock ledger, a customer, a coupon and orders moves into a new
// PostgreSQL database with every row, and the order numbers continue after the copied ones. PostgreSQL only (the
// unit-postgres project).

const product = parseProductFile(
	'content/products/tee.md',
	'---\ntitle: Tee\ncategory: Apparel\nimages:\n  - src: /images/tee.svg\n    alt: Tee\noptions:\n  - title: Size\n    values: [M, L]\nvariants:\n  - sku: TEE-M\n    options: { Size: M }\n    prices: { usd: 20.00 }\n    stock: 10\n  - sku: TEE-L\n    options: { Size: L }\n    prices: { usd: 20.00 }\n    stock: 4\n---\nA tee.\n',
);

let dir: string;
let file: string;
let source: CommerceDb;
let target: { url: string; drop(): Promise<void> };

async function placeOneOrder(db: CommerceDb, variantId: string, quantity: number) {
	const at = new Date().toISOString();
	return writeTransaction(db, async (trx) => {
		const cartId = `cart_${Math.random().toString(36).slice(2)}`;
		await trx
			.insertInto('cart')
			.values({
				id: cartId,
				email: 'ana@example.com',
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
				email: 'ana@example.com',
				regionId: 'reg_us',
				currencyCode: 'usd',
				taxRate: 0.0825,
				totals: {
					subtotal: 2000 * quantity,
					discountTotal: 0,
					shippingTotal: 0,
					shippingTaxTotal: 0,
					itemTaxTotal: 0,
					taxTotal: 0,
					total: 2000 * quantity,
				},
				shipping: null,
				shippingAddress: null,
				billingAddressId: null,
				lines: [
					{
						variantId,
						productId: 'prod_x',
						sku: 'TEE-M',
						title: 'Tee',
						variantTitle: 'M',
						thumbnail: null,
						unitPrice: 2000,
						quantity,
						subtotal: 2000 * quantity,
						discountTotal: 0,
						taxTotal: 0,
						total: 2000 * quantity,
					},
				],
				discounts: [],
				payment: {
					providerId: 'test',
					amountAuthorized: 2000 * quantity,
					captured: true,
					data: { id: `testpay_${cartId}`, brand: 'visa', last4: '4242' },
				},
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
}

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'frostbuy-copy-'));
	file = join(dir, 'shop.sqlite');
	source = openDatabase(file);
	await migrateToLatest(source);
	target = await createEmptyPostgresDatabase('copy');
});
afterEach(async () => {
	await source.destroy();
	await target.drop();
	rmSync(dir, { recursive: true, force: true });
	vi.restoreAllMocks();
});

// Generous: the seed hashes a password (scrypt) and the copy migrates two databases, on a shared 2-core machine.
describe('commerce db:copy', { timeout: 30_000 }, () => {
	it('moves orders, customers, stock and coupons into PostgreSQL, and order numbers continue', async () => {
		await syncCatalog(source, [product]);
		const m = (
			await source.selectFrom('product_variant').select('id').where('sku', '=', 'TEE-M').executeTakeFirstOrThrow()
		).id;
		await createAdminUser(source, { email: 'ana@shop.test', password: 'long-enough-password', role: 'admin' });
		await createDiscount(
			source,
			discountInput.parse({ code: 'MOVE10', type: 'percentage', value: 12.5, usageLimit: 5 }),
		);
		const first = await placeOneOrder(source, m, 2);
		const second = await placeOneOrder(source, m, 1);
		const log: string[] = [];
		vi.spyOn(console, 'log').mockImplementation((line: string) => void log.push(line));

		expect(await main(['db:copy', '--from', file, '--to', target.url])).toBe(0);
		expect(log.join('\n')).toMatch(/2 orders, 1 customers, 1 products, 2 stock levels; the next order is #1003/);

		const dest = openDatabase(target.url);
		try {
			for (const table of [
				'orders',
				'order_line',
				'order_event',
				'payment',
				'customer',
				'inventory_ledger',
				'outbox',
			] as const) {
				const rows = async (db: CommerceDb) =>
					(await db.selectFrom(table).selectAll().execute()).sort((x, y) =>
						JSON.stringify(x).localeCompare(JSON.stringify(y)),
					);
				expect(await rows(dest)).toEqual(await rows(source));
			}
			const orders = await dest.selectFrom('orders').select(['display_id', 'tax_rate']).orderBy('display_id').execute();
			expect(orders).toEqual([
				{ display_id: first.order.displayId, tax_rate: 0.0825 },
				{ display_id: second.order.displayId, tax_rate: 0.0825 },
			]);
			expect(await dest.selectFrom('discount').select(['code', 'value']).execute()).toEqual([
				{ code: 'MOVE10', value: 12.5 },
			]);
			const level = await dest
				.selectFrom('inventory_level')
				.select('stocked_quantity')
				.where('variant_id', '=', m)
				.executeTakeFirstOrThrow();
			expect(level.stocked_quantity).toBe(7);
			expect(await findLedgerMismatches(dest)).toEqual([]);
			// The next order placed on PostgreSQL continues the numbering.
			expect(await nextDisplayId(dest)).toBe(second.order.displayId + 1);
		} finally {
			await dest.destroy();
		}
	});

	it('runs migrate, sync, coupon:create and admin:create on the database DATABASE_URL names', async () => {
		vi.stubEnv('DATABASE_URL', target.url);
		const log: string[] = [];
		vi.spyOn(console, 'log').mockImplementation((line: string) => void log.push(line));
		expect(await main(['migrate'])).toBe(0);
		expect(await main(['sync', '--products', 'content/products'])).toBe(0);
		expect(await main(['coupon:create', '--code', 'PGTEN', '--type', 'percentage', '--value', '10'])).toBe(0);
		vi.unstubAllEnvs();
		const pgTarget = { dialect: 'postgres' as const, url: target.url, poolSize: 2 };
		expect(
			await adminCreate({ email: 'Boss@Shop.test', databasePath: pgTarget }, async () => 'a-long-password-1'),
		).toBe(0);
		expect(log[0]).toMatch(/^migrations: \d+ applied now, at .* \(postgres:\/\/.*\)$/);
		const dest = openDatabase(target.url);
		try {
			const products = await dest.selectFrom('product').select('handle').execute();
			expect(products.length).toBeGreaterThan(5);
			expect(await dest.selectFrom('discount').select('code').execute()).toEqual([{ code: 'PGTEN' }]);
			expect(await dest.selectFrom('customer').select(['email', 'role']).execute()).toEqual([
				{ email: 'boss@shop.test', role: 'admin' },
			]);
		} finally {
			await dest.destroy();
		}
		// The SQLite file was not touched.
		expect(await source.selectFrom('product').select('id').execute()).toEqual([]);
	});

	it('refuses a target that already holds a shop, and explains the arguments it needs', async () => {
		await syncCatalog(source, [product]);
		const errors: string[] = [];
		vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
		vi.spyOn(console, 'log').mockImplementation(() => {});
		expect(await main(['db:copy', '--from', file, '--to', target.url])).toBe(0);
		expect(await main(['db:copy', '--from', file, '--to', target.url])).toBe(1);
		expect(errors.at(-1)).toMatch(/already has products\. Copy into a new, empty database/);
		expect(await main(['db:copy', '--from', file, '--to', 'mysql://x'])).toBe(2);
		expect(await main(['db:copy', '--from', join(dir, 'none.sqlite'), '--to', target.url])).toBe(2);
		expect(errors.join('\n')).toContain('There is no SQLite database at');
	});
});

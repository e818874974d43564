import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseProductFile } from '../../plugins/commerce/src/content/parse-product-file.ts';
import type { CatalogProduct } from '../../plugins/commerce/src/content/product-schema.ts';
import { type CommerceDb, resolveDatabasePath, resolveDatabaseTarget } from '../../plugins/commerce/src/db/client.ts';
import { migrateToLatest, migrationStatus } from '../../plugins/commerce/src/db/migrate.ts';
import { migrations } from '../../plugins/commerce/src/db/migrations/index.ts';
import {
	countCatalog,
	ledgerSumsByVariant,
	stockBySku,
} from '../../plugins/commerce/src/db/repositories/catalog-repository.ts';
import { syncCatalog } from '../../plugins/commerce/src/services/catalog-sync.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-db.ts';

function product(
	handle: string,
	overrides: Partial<{ price: string; stock: number; sizes: string[]; active: boolean; title: string }> = {},
): CatalogProduct {
	const sizes = overrides.sizes ?? ['S', 'M'];
	const variants = sizes
		.map(
			(size) =>
				`  - sku: ${handle.toUpperCase()}-${size}\n    options: { Size: ${size} }\n    prices: { usd: ${overrides.price ?? '24.99'}, eur: 22.99 }\n    stock: ${overrides.stock ?? 5}`,
		)
		.join('\n');
	return parseProductFile(
		`content/products/${handle}.md`,
		`---\ntitle: ${overrides.title ?? handle}\ncategory: Apparel\ncollection: Back to Campus\ntags: [a, b]\nactive: ${overrides.active ?? true}\nimages:\n  - src: /images/${handle}.svg\n    alt: ${handle}\noptions:\n  - title: Size\n    values: [${sizes.join(', ')}]\nvariants:\n${variants}\n---\nDescription of ${handle}.\n`,
	);
}

let testDb: TestDatabase;
let db: CommerceDb;

beforeEach(async () => {
	testDb = await createTestDatabase('sync');
	db = testDb.db;
});

afterEach(async () => {
	await testDb.destroy();
});

describe('database setup', () => {
	it('uses WAL, enforces foreign keys, and migrates once', async () => {
		if (!onPostgres) {
			const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
			expect(mode.rows[0].journal_mode).toBe('wal');
			const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
			expect(fk.rows[0].foreign_keys).toBe(1);
		}
		await expect(
			db
				.insertInto('product_image')
				.values({ id: 'img_x', product_id: 'prod_none', url: '/x.svg', alt: 'x', rank: 0 })
				.execute(),
		).rejects.toThrow(/foreign key/i);
		expect(await migrateToLatest(db)).toEqual([]);
		const status = await migrationStatus(db);
		expect(status.pending).toEqual([]);
		expect(status.applied).toEqual(Object.keys(migrations).sort());
		expect(status.applied[0]).toBe('2026-11-22-0001-catalog-and-inventory');
	});

	it('picks PostgreSQL from DATABASE_URL first, then the database.url option, else the SQLite file', () => {
		const options = { databasePath: 'db/commerce.sqlite', database: { url: 'postgres://opt@db/shop', poolSize: 4 } };
		expect(resolveDatabaseTarget(options, { DATABASE_URL: 'postgresql://env@db/shop' }, '/srv')).toEqual({
			dialect: 'postgres',
			url: 'postgresql://env@db/shop',
			poolSize: 4,
		});
		expect(resolveDatabaseTarget(options, { DATABASE_POOL_SIZE: '25' }, '/srv')).toEqual({
			dialect: 'postgres',
			url: 'postgres://opt@db/shop',
			poolSize: 25,
		});
		expect(resolveDatabaseTarget({ databasePath: 'db/x.sqlite' }, {}, '/srv')).toEqual({
			dialect: 'sqlite',
			path: '/srv/db/x.sqlite',
		});
		expect(() => resolveDatabaseTarget({ databasePath: 'x' }, { DATABASE_URL: 'mysql://db/shop' })).toThrow(
			/must be a PostgreSQL URL/,
		);
	});

	it('resolves the file from COMMERCE_DB first, relative to the working directory', () => {
		expect(resolveDatabasePath('db/commerce.sqlite', {}, '/srv/shop')).toBe('/srv/shop/db/commerce.sqlite');
		expect(resolveDatabasePath('db/commerce.sqlite', { COMMERCE_DB: 'data/x.sqlite' }, '/srv/shop')).toBe(
			'/srv/shop/data/x.sqlite',
		);
		expect(resolveDatabasePath('db/commerce.sqlite', { COMMERCE_DB: '/var/lib/shop.sqlite' }, '/srv/shop')).toBe(
			'/var/lib/shop.sqlite',
		);
	});

	it('refuses negative stock at the database level', async () => {
		await syncCatalog(db, [product('tee')]);
		await expect(db.updateTable('inventory_level').set({ stocked_quantity: -1 }).execute()).rejects.toThrow(
			/check constraint/i,
		);
	});
});

describe('syncCatalog', () => {
	it('creates products, variants, prices, options and opening stock with one ledger row each', async () => {
		const report = await syncCatalog(db, [product('tee'), product('hoodie', { sizes: ['M'], stock: 2 })]);
		expect(report).toEqual({
			productsCreated: 2,
			productsUpdated: 0,
			productsDeactivated: 0,
			variantsCreated: 3,
			variantsUpdated: 0,
			variantsDeactivated: 0,
		});
		expect(await countCatalog(db)).toEqual({ products: 2, activeProducts: 2, variants: 3, categories: 1 });
		const stock = await stockBySku(db);
		expect(stock.get('TEE-S')).toEqual({ stocked: 5, reserved: 0, available: 5 });
		expect(stock.get('HOODIE-M')?.stocked).toBe(2);
		const prices = await db
			.selectFrom('money_amount')
			.innerJoin('product_variant', 'product_variant.id', 'money_amount.variant_id')
			.select(['sku', 'currency_code', 'amount'])
			.where('sku', '=', 'TEE-S')
			.orderBy('currency_code')
			.execute();
		expect(prices).toEqual([
			{ sku: 'TEE-S', currency_code: 'eur', amount: 2299 },
			{ sku: 'TEE-S', currency_code: 'usd', amount: 2499 },
		]);
		const ledger = await db.selectFrom('inventory_ledger').selectAll().execute();
		expect(ledger).toHaveLength(3);
		expect(ledger.every((row) => row.reason === 'sync_initial')).toBe(true);
		const optionValues = await db.selectFrom('product_option_value').select('value').orderBy('value').execute();
		expect(optionValues.map((v) => v.value)).toEqual(['M', 'M', 'S']);
	});

	it('changes nothing when run twice, keeping ids stable', async () => {
		await syncCatalog(db, [product('tee')]);
		const before = await db.selectFrom('product_image').select('id').execute();
		const again = await syncCatalog(db, [product('tee')]);
		expect(again).toEqual({
			productsCreated: 0,
			productsUpdated: 0,
			productsDeactivated: 0,
			variantsCreated: 0,
			variantsUpdated: 0,
			variantsDeactivated: 0,
		});
		expect(await db.selectFrom('product_image').select('id').execute()).toEqual(before);
		expect(await db.selectFrom('inventory_ledger').selectAll().execute()).toHaveLength(2);
	});

	it('lets content change title and price but never overwrites stock the database owns', async () => {
		await syncCatalog(db, [product('tee')]);
		await db.updateTable('inventory_level').set({ stocked_quantity: 1 }).execute();
		const report = await syncCatalog(db, [product('tee', { price: '19.99', stock: 50, title: 'Campus Tee' })]);
		expect(report.productsUpdated).toBe(1);
		expect(report.variantsUpdated).toBe(2);
		expect((await stockBySku(db)).get('TEE-S')?.stocked).toBe(1);
		const row = await db.selectFrom('product').select(['title']).where('handle', '=', 'tee').executeTakeFirstOrThrow();
		expect(row.title).toBe('Campus Tee');
		const price = await db.selectFrom('money_amount').select('amount').where('currency_code', '=', 'usd').execute();
		expect(price.map((p) => p.amount)).toEqual([1999, 1999]);
	});

	it('deactivates removed products and variants instead of deleting them, and reactivates them when they return', async () => {
		await syncCatalog(db, [product('tee'), product('mug')]);
		const removed = await syncCatalog(db, [product('tee', { sizes: ['S'] })]);
		expect(removed.productsDeactivated).toBe(1);
		expect(removed.variantsDeactivated).toBe(3);
		expect(await countCatalog(db)).toEqual({ products: 2, activeProducts: 1, variants: 1, categories: 1 });
		const back = await syncCatalog(db, [product('tee'), product('mug')]);
		// mug comes back; tee itself never left, only its M variant did.
		expect(back.productsUpdated).toBe(1);
		expect(back.variantsUpdated).toBe(3);
		expect(await countCatalog(db)).toEqual({ products: 2, activeProducts: 2, variants: 4, categories: 1 });
		// Returning SKUs keep their stock and get no second opening balance.
		expect(await db.selectFrom('inventory_ledger').selectAll().execute()).toHaveLength(4);
	});

	it('follows the active flag of the file and empties the active catalog when every file is gone', async () => {
		await syncCatalog(db, [product('tee', { active: false })]);
		expect((await countCatalog(db)).activeProducts).toBe(0);
		await syncCatalog(db, [product('tee')]);
		expect((await countCatalog(db)).activeProducts).toBe(1);
		const report = await syncCatalog(db, []);
		expect(report.productsDeactivated).toBe(1);
		expect(await countCatalog(db)).toMatchObject({ products: 1, activeProducts: 0, variants: 0 });
	});

	it('keeps the ledger summing to the stocked quantity of every variant', async () => {
		await syncCatalog(db, [product('tee'), product('hoodie', { stock: 7 })]);
		const sums = await ledgerSumsByVariant(db);
		const levels = await db.selectFrom('inventory_level').selectAll().execute();
		expect(levels.length).toBe(4);
		for (const level of levels) expect(sums.get(level.variant_id)).toBe(level.stocked_quantity);
	});

	it('rolls the whole sync back when one product fails', async () => {
		const broken = { ...product('mug'), variants: [{ ...product('mug').variants[0], stock: -5 }] };
		await expect(syncCatalog(db, [product('tee'), broken])).rejects.toThrow();
		expect(await countCatalog(db)).toEqual({ products: 0, activeProducts: 0, variants: 0, categories: 0 });
	});
});

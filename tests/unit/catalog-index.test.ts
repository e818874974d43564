import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogFromDirectory } from '../../plugins/commerce/src/content/load-catalog.ts';
import { parseProductFile } from '../../plugins/commerce/src/content/parse-product-file.ts';
import type { CatalogProduct } from '../../plugins/commerce/src/content/product-schema.ts';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import {
	findProductPage,
	findVariantPage,
	type ProductFilter,
	type ProductOrder,
	readCatalogRevision,
} from '../../plugins/commerce/src/db/repositories/product-repository.ts';
import { parseOptions } from '../../plugins/commerce/src/options.ts';
import { toMedusaProduct } from '../../plugins/commerce/src/routes/store/medusa-product.ts';
import { medusaProductJson } from '../../plugins/commerce/src/routes/store/medusa-product-json.ts';
import type { Presentation } from '../../plugins/commerce/src/routes/store/presentation.ts';
import { buildCatalogIndex, catalogIndex } from '../../plugins/commerce/src/services/catalog/catalog-index-cache.ts';
import { TextSearchIndex } from '../../plugins/commerce/src/services/catalog/text-search.ts';
import {
	getProduct,
	getVariant,
	listProducts,
	listVariants,
} from '../../plugins/commerce/src/services/catalog-query.ts';
import { syncCatalog } from '../../plugins/commerce/src/services/catalog-sync.ts';
import { moveStock } from '../../plugins/commerce/src/services/inventory/move-stock.ts';

// The in-memory catalog index answers the Store API's product and variant reads. It must mean exactly what the SQL
// reference (findProductPage / findVariantPage) means, and never serve a catalog older than the last committed change,
// whichever connection or process made it. Stock is never cached.

const repoRoot = join(import.meta.dirname, '../..');
const options = (() => {
	const parsed = parseOptions({ storeName: 'Test shop' });
	if (!parsed.ok) throw new Error(parsed.message);
	return parsed.options;
})();

const WORDS = ['Alpine', 'Birch', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Glacier', 'Harbor'];
const CATEGORIES = ['Apparel', 'Drinkware', 'Stationery', 'Outdoor'];
const COLLECTIONS = ['Back to Campus', 'Winter Sale', undefined];

/** A generated product file: varied titles (with duplicates), prices, tags, categories, collections, active flags. */
function generated(i: number, overrides: { title?: string; price?: number; active?: boolean } = {}): CatalogProduct {
	const handle = `gen-${String(i).padStart(3, '0')}`;
	const title = overrides.title ?? `${WORDS[i % WORDS.length]} ${i % 5 === 0 ? 'Mug' : 'Hoodie'} ${i % 3}`;
	const collection = COLLECTIONS[i % COLLECTIONS.length];
	const price = overrides.price ?? 500 + ((i * 733) % 4000);
	const sizes = i % 4 === 0 ? ['One'] : ['S', 'M', 'L'];
	const variants = sizes
		.map(
			(size, v) =>
				`  - sku: GEN-${i}-${size}\n    options: { Size: ${size} }\n    prices: { usd: ${((price + v * 150) / 100).toFixed(2)}${i % 7 === 0 ? '' : `, eur: ${((price * 0.9 + v * 100) / 100).toFixed(2)}`} }\n    stock: ${(i * 3) % 11}`,
		)
		.join('\n');
	return parseProductFile(
		`content/products/${handle}.md`,
		[
			'---',
			`title: ${title}`,
			// A word found only in the subtitle, on every fourth product.
			`subtitle: ${i % 4 === 1 ? 'Windproof shell' : 'Everyday layer'}`,
			`category: ${CATEGORIES[i % CATEGORIES.length]}`,
			collection ? `collection: ${collection}` : '',
			`tags: [${['winter', 'Gift', 'eco', 'sale'].filter((_, t) => (i + t) % 3 === 0).join(', ')}]`,
			`active: ${overrides.active ?? i % 9 !== 4}`,
			'images:',
			`  - src: /images/${handle}.svg`,
			`    alt: ${title}`,
			'options:',
			'  - title: Size',
			`    values: [${sizes.join(', ')}]`,
			'variants:',
			variants,
			'---',
			`${i % 2 ? 'Warm fleece for 100% of the cold days' : 'A_plain item'} number ${i}.`,
			'',
		]
			.filter((line) => line !== '')
			.join('\n'),
	);
}

const demo = loadCatalogFromDirectory(join(repoRoot, 'content/products'), repoRoot);
const fixture = [...demo, ...Array.from({ length: 60 }, (_, i) => generated(i))];

let dir: string;
let db: CommerceDb;

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'frostbuy-index-'));
	db = openDatabase(join(dir, 'commerce.sqlite'));
	await migrateToLatest(db);
	await syncCatalog(db, fixture);
});

afterEach(async () => {
	await db.destroy();
	rmSync(dir, { recursive: true, force: true });
});

async function categoryIds(): Promise<string[]> {
	return (await db.selectFrom('product_category').select('id').orderBy('handle').execute()).map((r) => r.id);
}

describe('catalog index against the SQL reference', () => {
	it('lists, filters, sorts, searches and pages exactly as findProductPage', async () => {
		const index = await buildCatalogIndex(db, await readCatalogRevision(db));
		expect(index.size).toBe(fixture.filter((p) => p.active).length);
		const [firstCategory, secondCategory] = await categoryIds();
		const collection = await db
			.selectFrom('product_collection')
			.select('id')
			.orderBy('handle')
			.executeTakeFirstOrThrow();
		const tag = await db.selectFrom('product_tag').select('id').orderBy('id').executeTakeFirstOrThrow();
		const someIds = (await db.selectFrom('product').select('id').orderBy('id').execute()).map((r) => r.id).slice(5, 40);
		const filters: ProductFilter[] = [
			{},
			{ q: 'hoodie' },
			{ q: 'HOOD' },
			{ q: 'o' },
			{ q: 'ce' },
			{ q: '100%' },
			{ q: '_' },
			{ q: 'a_plain' },
			{ q: 'gen-1' },
			{ q: 'fleece for' },
			{ q: 'no such thing' },
			{ q: 'windproof' },
			{ q: 'to camp' },
			{ handle: 'gen-007' },
			{ handle: 'gen-004' },
			{ ids: someIds },
			{ categoryIds: [firstCategory as string] },
			{ categoryIds: [firstCategory as string, secondCategory as string], q: 'mug' },
			{ collectionIds: [collection.id] },
			{ tags: ['WINTER', 'eco'] },
			{ tags: [tag.id] },
			{ price: { currency: 'usd', min: 1200, max: 2500 } },
			{ price: { currency: 'eur', max: 1500 }, tags: ['gift'] },
			{ price: { currency: 'eur', min: 3000 } },
		];
		const orders: ProductOrder[] = (['rank', 'title', 'created_at', 'updated_at', 'price'] as const).flatMap((field) =>
			(['asc', 'desc'] as const).flatMap((direction) =>
				(field === 'price' ? ['usd', 'eur'] : ['usd']).map((currency) => ({ field, direction, currency })),
			),
		);
		let compared = 0;
		for (const filter of filters) {
			for (const order of orders) {
				for (const page of [
					{ limit: 12, offset: 0 },
					{ limit: 7, offset: 9 },
				]) {
					const sql = await findProductPage(db, filter, order, page);
					const memory = index.findProducts(filter, order, page);
					const label = JSON.stringify({ filter, order, page });
					expect(
						memory.products.map((p) => p.id),
						label,
					).toEqual(sql.ids);
					expect(memory.count, label).toBe(sql.count);
					compared += sql.ids.length;
				}
			}
		}
		// The fixture is rich enough that comparisons are not between empty pages.
		expect(compared).toBeGreaterThan(1000);
	});

	it('finds products by a word only in their subtitle or their collection title', async () => {
		const index = await buildCatalogIndex(db, await readCatalogRevision(db));
		const order: ProductOrder = { field: 'rank', direction: 'asc', currency: 'usd' };
		const all = { limit: 100, offset: 0 };
		const handles = (q: string) =>
			index
				.findProducts({ q }, order, all)
				.products.map((p) => p.handle)
				.sort();
		const active = fixture.filter((p) => p.active && p.handle.startsWith('gen-'));
		const windproof = active.filter((p) => Number(p.handle.slice(4)) % 4 === 1).map((p) => p.handle);
		expect(windproof.length).toBeGreaterThan(5);
		expect(handles('WINDPROOF')).toEqual(windproof.sort());
		const inCollection = active.filter((p) => Number(p.handle.slice(4)) % 3 === 0).map((p) => p.handle);
		expect(handles('back to campus').filter((h) => h.startsWith('gen-'))).toEqual(inCollection.sort());
	});

	it('pages variants exactly as findVariantPage', async () => {
		const index = await buildCatalogIndex(db, await readCatalogRevision(db));
		const ids = (await db.selectFrom('product_variant').select('id').orderBy('sku').execute()).map((r) => r.id);
		for (const filter of [{}, { ids: ids.slice(3, 60) }]) {
			for (const page of [
				{ limit: 20, offset: 0 },
				{ limit: 15, offset: 30 },
				{ limit: 100, offset: 0 },
			]) {
				const sql = await findVariantPage(db, filter, page);
				expect(sql.length).toBeGreaterThan(0);
				expect(index.findVariants(filter, page).map((v) => v.id)).toEqual(sql);
			}
		}
	});

	it('serves the same product records as the database (loadProducts), with live stock', async () => {
		const { value } = await listProducts(db, options, { limit: 100, offset: 0, pricing: {} });
		expect(value.count).toBe(fixture.filter((p) => p.active).length);
		const hoodie = value.items.find((p) => p.handle === 'classic-hoodie');
		expect(hoodie?.variants.length).toBeGreaterThan(0);
		const file = demo.find((p) => p.handle === 'classic-hoodie') as CatalogProduct;
		expect(hoodie?.variants.map((v) => v.sku)).toEqual(file.variants.map((v) => v.sku));
		expect(hoodie?.variants.map((v) => v.inventoryQuantity)).toEqual(file.variants.map((v) => v.stock));
	});
});

describe('catalog index freshness', () => {
	it('rebuilds after a sync changes titles, prices and the active set, and not before', async () => {
		const first = await catalogIndex(db);
		expect(await catalogIndex(db)).toBe(first);

		const changed = fixture.map((p) =>
			p.handle === 'gen-001' ? generated(1, { title: 'Zephyr Parka', price: 9999 }) : p,
		);
		const removed = changed.filter((p) => p.handle !== 'gen-002');
		await syncCatalog(db, removed);
		const second = await catalogIndex(db);
		expect(second).not.toBe(first);
		expect(second.revision).toBeGreaterThan(first.revision);

		const search = await listProducts(db, options, { q: 'zephyr', limit: 12, offset: 0, pricing: {} });
		expect(search.value.items.map((p) => p.handle)).toEqual(['gen-001']);
		const parka = search.value.items[0];
		expect(parka?.variants[0]?.prices.find((p) => p.currencyCode === 'usd')?.amount).toBe(9999);
		const gone = await listProducts(db, options, { handle: 'gen-002', limit: 12, offset: 0, pricing: {} });
		expect(gone.value.count).toBe(0);
		const removedId = first.findProducts(
			{ handle: 'gen-002' },
			{ field: 'rank', direction: 'asc', currency: 'usd' },
			{
				limit: 1,
				offset: 0,
			},
		).products[0]?.id as string;
		expect((await getProduct(db, options, removedId, {})).value).toBeNull();
	});

	it('sees a catalog change committed through another connection to the same file (another process)', async () => {
		const before = await listProducts(db, options, { handle: 'gen-003', limit: 1, offset: 0, pricing: {} });
		expect(before.value.items[0]?.title).not.toBe('Renamed Elsewhere');
		const other = openDatabase(join(dir, 'commerce.sqlite'));
		try {
			// An edit that bypasses the sync entirely: the triggers still bump the revision.
			await other.updateTable('product').set({ title: 'Renamed Elsewhere' }).where('handle', '=', 'gen-003').execute();
		} finally {
			await other.destroy();
		}
		const after = await listProducts(db, options, { handle: 'gen-003', limit: 1, offset: 0, pricing: {} });
		expect(after.value.items[0]?.title).toBe('Renamed Elsewhere');
		const search = await listProducts(db, options, { q: 'renamed elsewhere', limit: 5, offset: 0, pricing: {} });
		expect(search.value.items.map((p) => p.handle)).toEqual(['gen-003']);
	});

	it('deactivating a variant or changing a price elsewhere shows at once', async () => {
		const { value } = await listProducts(db, options, { handle: 'gen-005', limit: 1, offset: 0, pricing: {} });
		const [first, second] = value.items[0]?.variants ?? [];
		if (!first || !second) throw new Error('gen-005 has three variants');
		await db.updateTable('product_variant').set({ active: 0 }).where('id', '=', first.id).execute();
		await db.updateTable('money_amount').set({ amount: 4242 }).where('variant_id', '=', second.id).execute();
		expect((await getVariant(db, options, first.id, {})).value).toBeNull();
		const variant = (await getVariant(db, options, second.id, {})).value;
		expect(variant?.prices.map((p) => p.amount)).toEqual([4242, 4242]);
		const variants = await listVariants(db, options, { ids: [first.id, second.id], limit: 10, offset: 0, pricing: {} });
		expect(variants.value.map((v) => v.id)).toEqual([second.id]);
	});

	it('reads stock live without rebuilding: a stock move changes no revision', async () => {
		const index = await catalogIndex(db);
		const revision = await readCatalogRevision(db);
		const { value } = await listProducts(db, options, { handle: 'classic-hoodie', limit: 1, offset: 0, pricing: {} });
		const variant = value.items[0]?.variants[0];
		if (!variant) throw new Error('the hoodie has variants');
		const moved = await moveStock(db, {
			variantId: variant.id,
			delta: 7,
			reason: 'admin_adjustment',
			ref: null,
			actor: 'test',
		});
		expect(moved.ok).toBe(true);
		expect(await readCatalogRevision(db)).toBe(revision);
		expect(await catalogIndex(db)).toBe(index);
		const after = await listProducts(db, options, { handle: 'classic-hoodie', limit: 1, offset: 0, pricing: {} });
		expect(after.value.items[0]?.variants[0]?.inventoryQuantity).toBe(variant.inventoryQuantity + 7);
		const product = (await getProduct(db, options, value.items[0]?.id as string, {})).value?.items[0];
		expect(product?.variants[0]?.inventoryQuantity).toBe(variant.inventoryQuantity + 7);
		expect((await getVariant(db, options, variant.id, {})).value?.inventoryQuantity).toBe(
			variant.inventoryQuantity + 7,
		);
	});
});

describe('medusaProductJson', () => {
	// Two public origins: image URLs are absolute, so each origin has its own template.
	const site: Presentation = { origin: 'https://shop.example', providersOf: () => ['test'] };
	const otherSite: Presentation = { origin: 'http://localhost:4321', providersOf: () => ['test'] };

	it('equals JSON.stringify(toMedusaProduct) of the live product in every region, stock filled in per request', async () => {
		const all = await listProducts(db, options, { limit: 100, offset: 0, pricing: {} });
		expect(all.value.sources.length).toBeGreaterThan(50);
		const us = options.regions[0];
		if (!us) throw new Error('the default options have a region');
		const eu = { ...us, handle: 'eu', currency: 'eur', taxRate: 20, taxName: 'VAT' };
		for (const region of [us, eu]) {
			for (const shown of [site, otherSite]) {
				all.value.sources.forEach((source, i) => {
					const live = all.value.items[i];
					expect(medusaProductJson(source, region, all.value.stock, shown)).toBe(
						JSON.stringify(toMedusaProduct(live!, region, shown)),
					);
				});
			}
		}
		// Same template, other stock: sold-out variants are not purchasable, quantities follow the map.
		const hoodie = all.value.sources.find((p) => p.handle === 'classic-hoodie');
		if (!hoodie) throw new Error('the demo hoodie is in the fixture');
		const stock = new Map(hoodie.variants.map((v, i) => [v.id, i % 2 ? 0 : 40 + i]));
		const parsed = JSON.parse(medusaProductJson(hoodie, us, stock, site)) as {
			variants: { id: string; inventory_quantity: number; purchasable: boolean }[];
		};
		expect(parsed.variants.map((v) => [v.inventory_quantity, v.purchasable])).toEqual(
			hoodie.variants.map((v) => [stock.get(v.id), (stock.get(v.id) ?? 0) > 0]),
		);
	});
});

describe('TextSearchIndex', () => {
	it('finds whole-term substrings within one field, case-insensitively, never across fields', () => {
		const index = new TextSearchIndex([
			{ position: 0, fields: ['Classic Hoodie', 'Warm.'] },
			{ position: 1, fields: ['Mug', null, 'FB-MUG-1'] },
			{ position: 2, fields: ['Straße Cap', 'ÉCOLE'] },
		]);
		// The positions whose byte is set, ascending.
		const search = (term: string) => [...index.match(term)].flatMap((hit, position) => (hit ? [position] : []));
		expect(index.match('hood')).toHaveLength(3);
		expect(search('hood')).toEqual([0]);
		expect(search('HOODIE')).toEqual([0]);
		expect(search('m')).toEqual([0, 1]);
		expect(search('mu')).toEqual([1]);
		expect(search('fb-mug')).toEqual([1]);
		expect(search('école')).toEqual([2]);
		expect(search('straße')).toEqual([2]);
		// "Hoodie" then "Warm.": a term spanning the two fields matches neither.
		expect(search('hoodiewarm')).toEqual([]);
		expect(search('iew')).toEqual([]);
		expect(search('zz')).toEqual([]);
	});
});

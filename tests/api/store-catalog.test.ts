import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Medusa from '@medusajs/medusa-js';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFromDirectory } from '../../plugins/commerce/src/content/load-catalog.ts';
import type { CatalogProduct } from '../../plugins/commerce/src/content/product-schema.ts';
import { repoRoot, startServer, type TestServer } from '../helpers/server.ts';

// The catalog endpoints of the built demo store, driven through medusa-js as storefronts do. Expected values come
// from the content files, so the tests follow the demo catalog when it changes.

interface Variant {
	id: string;
	sku: string;
	product_id: string;
	inventory_quantity: number;
	purchasable: boolean;
	calculated_price: number | null;
	original_price: number | null;
	calculated_tax: number | null;
	calculated_price_incl_tax: number | null;
	prices: { currency_code: string; amount: number }[];
	options: { option_id: string; value: string; variant_id: string }[];
	tax_rates: { rate: number; name: string; code: null }[];
}
interface Product {
	id: string;
	handle: string;
	title: string;
	status: string;
	collection: { id: string; title: string } | null;
	categories: { id: string; name: string; handle: string }[];
	variants: Variant[];
	options: { id: string; title: string; values: { value: string; option_id: string }[] }[];
	images: { url: string; metadata: { alt: string } }[];
	tags: { id: string; value: string }[];
}
interface ProductList {
	products: Product[];
	count: number;
	offset: number;
	limit: number;
}
interface Category {
	id: string;
	name: string;
	handle: string;
	rank: number;
	category_children: unknown[];
}
interface Collection {
	id: string;
	title: string;
	handle: string;
}
interface ErrorBody {
	type: string;
	message: string;
}

/** medusa-js resolves its responses to `any` without @medusajs/medusa installed; name the shape we read. */
async function call<T>(request: Promise<unknown>): Promise<T> {
	return (await request) as T;
}

/** The status and body of a medusa-js call that must fail. */
async function failure(request: Promise<unknown>): Promise<{ status: number; data: ErrorBody }> {
	try {
		await request;
	} catch (error) {
		const response = (error as { response?: { status: number; data: ErrorBody } }).response;
		if (response) return response;
		throw error;
	}
	throw new Error('expected the request to fail');
}

const catalog: CatalogProduct[] = loadCatalogFromDirectory(join(repoRoot, 'content/products'), repoRoot).filter(
	(p) => p.active,
);
const handles = catalog.map((p) => p.handle);
const byHandle = new Map(catalog.map((p) => [p.handle, p]));
const lowest = (product: CatalogProduct, currency: string) =>
	Math.min(...product.variants.map((v) => v.prices[currency] ?? Infinity));

let server: TestServer;
let medusa: Medusa;

beforeAll(async () => {
	if (!existsSync(join(repoRoot, 'dist/server/entry.mjs'))) throw new Error('Run `astro build` first (npm test does).');
	server = await startServer();
	medusa = new Medusa({ baseUrl: server.url, maxRetries: 0 });
});
afterAll(() => server?.stop());

describe('GET /store/regions', () => {
	it('lists both demo regions, the US first', async () => {
		const { regions } = await call<{ regions: { id: string; currency_code: string }[] }>(medusa.regions.list());
		expect(regions.map((r) => [r.id, r.currency_code])).toEqual([
			['reg_us', 'usd'],
			['reg_eu', 'eur'],
		]);
	});
});

describe('GET /store/products', () => {
	it('lists every active product in content order with count, offset and limit', async () => {
		const list = await call<ProductList>(medusa.products.list());
		expect(list.count).toBe(catalog.length);
		expect(list).toMatchObject({ offset: 0, limit: 100 });
		expect(list.products.map((p) => p.handle)).toEqual(handles);
		for (const product of list.products) {
			expect(product.status).toBe('published');
			expect(product.categories).toHaveLength(1);
			expect(product.categories[0].name).toBe(byHandle.get(product.handle)?.category);
			expect(product.collection?.title ?? undefined).toBe(byHandle.get(product.handle)?.collection);
			expect(product.images.map((i) => i.metadata.alt)).toEqual(byHandle.get(product.handle)?.images.map((i) => i.alt));
		}
	});

	it('pages with limit and offset while count stays the total', async () => {
		const list = await call<ProductList>(medusa.products.list({ limit: 3, offset: 3 }));
		expect(list).toMatchObject({ count: catalog.length, limit: 3, offset: 3 });
		expect(list.products.map((p) => p.handle)).toEqual(handles.slice(3, 6));
	});

	it('searches title, subtitle, description, collection, tags, variant title and SKU case-insensitively with q', async () => {
		const contains = (p: CatalogProduct, term: string) =>
			[
				p.title,
				p.subtitle ?? '',
				p.description,
				p.collection ?? '',
				...p.tags,
				...p.variants.flatMap((v) => [v.title, v.sku]),
			].some((text) => text.toLowerCase().includes(term));
		// "bobcats" is a tag of the cap and the tee, whose titles and descriptions do not all say it; "unstructured" is
		// only in the cap's subtitle, "back to campus" the title of a collection.
		for (const term of ['hoodie', 'HOOD', 'fb-tee', '100%', 'bobcats', 'game-day', 'Unstructured', 'back to campus']) {
			const expected = handles.filter((h) => contains(byHandle.get(h) as CatalogProduct, term.toLowerCase()));
			const list = await call<ProductList>(medusa.products.list({ q: term }));
			expect(
				list.products.map((p) => p.handle),
				term,
			).toEqual(expected);
			expect(list.count, term).toBe(expected.length);
		}
		expect(handles.filter((h) => h.includes('hoodie')).length).toBeGreaterThan(0);
		expect(
			(await call<ProductList>(medusa.products.list({ q: 'unstructured' }))).products.map((p) => p.handle),
		).toEqual(['bobcat-cap']);
		// `_` and `%` are literal characters, not wildcards.
		expect((await call<ProductList>(medusa.products.list({ q: '_' }))).count).toBe(0);
	});

	it('finds one product by handle', async () => {
		const { products } = await call<ProductList>(medusa.products.list({ handle: 'classic-hoodie' }));
		expect(products.map((p) => p.handle)).toEqual(['classic-hoodie']);
		const hoodie = byHandle.get('classic-hoodie') as CatalogProduct;
		expect(products[0].options.map((o) => o.title)).toEqual(hoodie.options.map((o) => o.title));
		expect(products[0].options[0].values.map((v) => v.value)).toEqual(hoodie.variants.map((v) => v.options.Size));
	});

	it('filters by category_id, collection_id and tags', async () => {
		const { product_categories } = await call<{ product_categories: Category[] }>(medusa.productCategories.list());
		const apparel = product_categories.find((c) => c.name === 'Apparel') as Category;
		const inApparel = await call<ProductList>(medusa.products.list({ category_id: [apparel.id] }));
		expect(inApparel.products.map((p) => p.handle)).toEqual(
			handles.filter((h) => byHandle.get(h)?.category === 'Apparel'),
		);

		const { collections } = await call<{ collections: Collection[] }>(medusa.collections.list());
		const inCollection = await call<ProductList>(medusa.products.list({ collection_id: [collections[0].id] }));
		expect(inCollection.products.map((p) => p.handle)).toEqual(
			handles.filter((h) => byHandle.get(h)?.collection === collections[0].title),
		);

		const byValue = await call<ProductList>(medusa.products.list({ tags: ['winter'] }));
		expect(byValue.products.map((p) => p.handle)).toEqual(
			handles.filter((h) => byHandle.get(h)?.tags.includes('winter')),
		);
		const tagId = byValue.products[0].tags.find((t) => t.value === 'winter')?.id as string;
		expect(tagId).toMatch(/^ptag_/);
		const byId = await call<ProductList>(medusa.products.list({ tags: [tagId] }));
		expect(byId.products.map((p) => p.handle)).toEqual([byValue.products[0].handle]);
	});

	it('orders by -price (lowest variant price in the region currency) and by title', async () => {
		const usd = await call<ProductList>(medusa.products.list({ order: '-price' }));
		const prices = usd.products.map((p) => lowest(byHandle.get(p.handle) as CatalogProduct, 'usd'));
		expect(prices).toEqual([...prices].sort((a, b) => b - a));
		expect(usd.count).toBe(catalog.length);

		const eur = await call<ProductList>(medusa.products.list({ order: 'price', region_id: 'reg_eu' }));
		const eurPrices = eur.products.map((p) => lowest(byHandle.get(p.handle) as CatalogProduct, 'eur'));
		expect(eurPrices).toEqual([...eurPrices].sort((a, b) => a - b));

		const byTitle = await call<ProductList>(medusa.products.list({ order: 'title' }));
		expect(byTitle.products.map((p) => p.title)).toEqual(
			catalog.map((p) => p.title).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
		);
	});

	it('filters by price_min and price_max in the pricing region currency', async () => {
		const inRange = (currency: string, min: number, max: number) =>
			handles.filter((h) =>
				byHandle.get(h)?.variants.some((v) => (v.prices[currency] ?? -1) >= min && (v.prices[currency] ?? -1) <= max),
			);
		// 18.00–21.00 holds different products in USD and in EUR in the demo catalog.
		const usd = await call<ProductList>(medusa.products.list({ price_min: 1800, price_max: 2100 }));
		expect(usd.products.map((p) => p.handle)).toEqual(inRange('usd', 1800, 2100));
		expect(usd.count).toBe(usd.products.length);
		const eur = await call<ProductList>(
			medusa.products.list({ price_min: 1800, price_max: 2100, region_id: 'reg_eu' }),
		);
		expect(eur.products.map((p) => p.handle)).toEqual(inRange('eur', 1800, 2100));
		expect(eur.count).toBeGreaterThan(0);
		expect(eur.products.map((p) => p.handle)).not.toEqual(usd.products.map((p) => p.handle));
		const cheap = await call<ProductList>(medusa.products.list({ price_max: 1000 }));
		expect(cheap.products.map((p) => p.handle)).toEqual(inRange('usd', 0, 1000));
	});

	it('prices every variant for the region: file price, tax rounded from the region rate, live stock', async () => {
		for (const [region, currency, rate, taxName] of [
			[undefined, 'usd', 6, 'Sales tax'],
			['reg_eu', 'eur', 20, 'VAT'],
		] as const) {
			const { products } = await call<ProductList>(medusa.products.list(region ? { region_id: region } : {}));
			for (const product of products) {
				const file = byHandle.get(product.handle) as CatalogProduct;
				expect(product.variants.map((v) => v.sku)).toEqual(file.variants.map((v) => v.sku));
				for (const variant of product.variants) {
					const expected = file.variants.find((v) => v.sku === variant.sku);
					const price = expected?.prices[currency] as number;
					expect(variant.calculated_price, `${variant.sku} ${currency}`).toBe(price);
					expect(variant.original_price).toBe(price);
					expect(variant.calculated_tax).toBe(Math.round((price * rate) / 100));
					expect(variant.calculated_price_incl_tax).toBe(price + Math.round((price * rate) / 100));
					expect(variant.tax_rates).toEqual([{ rate, name: taxName, code: null }]);
					expect(variant.prices.find((p) => p.currency_code === currency)?.amount).toBe(price);
					expect(variant.inventory_quantity, variant.sku).toBe(expected?.stock);
					expect(variant.purchasable).toBe((expected?.stock ?? 0) > 0);
				}
			}
		}
	});

	it('prices for currency_code like for the region that sells in it', async () => {
		const { products } = await call<ProductList>(medusa.products.list({ currency_code: 'eur', limit: 1 }));
		const file = byHandle.get(products[0].handle) as CatalogProduct;
		expect(products[0].variants[0].calculated_price).toBe(file.variants[0].prices.eur);
	});

	it('prices for the cart region when cart_id is given, even over region_id', async () => {
		const { cart } = await call<{ cart: { id: string } }>(medusa.carts.create({ region_id: 'reg_eu' }));
		const { products } = await call<ProductList>(
			medusa.products.list({ cart_id: cart.id, region_id: 'reg_us', limit: 1 }),
		);
		const file = byHandle.get(products[0].handle) as CatalogProduct;
		expect(products[0].variants[0].calculated_price).toBe(file.variants[0].prices.eur);
		expect(products[0].variants[0].tax_rates[0].rate).toBe(20);
	});

	it('accepts and ignores expand, fields and unknown keys', async () => {
		const list = await call<ProductList>(
			medusa.products.list({ expand: 'variants,images', fields: 'id,title', sales_channel_id: ['sc_x'], limit: 2 }),
		);
		expect(list.products).toHaveLength(2);
		expect(list.products[0].variants.length).toBeGreaterThan(0);
		expect(list.products[0].categories).toHaveLength(1);
	});
});

describe('GET /store/products/:id', () => {
	it('retrieves a product by id with its variants and categories', async () => {
		const { products } = await call<ProductList>(medusa.products.list({ handle: 'bobcat-paw-tee' }));
		const { product } = await call<{ product: Product }>(medusa.products.retrieve(products[0].id));
		expect(product).toEqual(products[0]);
	});

	it('answers an unknown id with a Medusa 404 body', async () => {
		const { status, data } = await failure(medusa.products.retrieve('prod_DOESNOTEXIST'));
		expect(status).toBe(404);
		expect(data).toEqual({ type: 'not_found', message: 'Product with id prod_DOESNOTEXIST was not found' });
	});
});

describe('GET /store/variants', () => {
	it('lists variants by ids (comma string) and by id[], and retrieves one', async () => {
		const { products } = await call<ProductList>(medusa.products.list({ handle: 'classic-hoodie' }));
		const ids = products[0].variants.slice(0, 2).map((v) => v.id);
		const listed = await call<{ variants: Variant[]; count?: number }>(
			medusa.products.variants.list({ ids: ids.join(',') }),
		);
		expect(listed.variants.map((v) => v.id)).toEqual(ids);
		expect(listed.count).toBeUndefined();
		const byArray = await call<{ variants: Variant[] }>(medusa.products.variants.list({ id: ids }));
		expect(byArray.variants.map((v) => v.id)).toEqual(ids);

		const all = await call<{ variants: Variant[] }>(medusa.products.variants.list({ limit: 100 }));
		expect(all.variants).toHaveLength(catalog.reduce((n, p) => n + p.variants.length, 0));

		const { variant } = await call<{ variant: Variant }>(medusa.products.variants.retrieve(ids[1]));
		expect(variant).toEqual(products[0].variants[1]);
		expect(variant.options[0].value).toBe(byHandle.get('classic-hoodie')?.variants[1].options.Size);
	});

	it('answers an unknown variant with 404', async () => {
		const { status, data } = await failure(medusa.products.variants.retrieve('variant_nope'));
		expect(status).toBe(404);
		expect(data.type).toBe('not_found');
	});
});

describe('GET /store/product-categories and /store/collections', () => {
	it('lists the categories in content order and retrieves one', async () => {
		const list = await call<{ product_categories: Category[]; count: number; limit: number; offset: number }>(
			medusa.productCategories.list(),
		);
		const names = [...new Set(catalog.map((p) => p.category))];
		expect(list.product_categories.map((c) => c.name)).toEqual(names);
		expect(list.product_categories.map((c) => c.rank)).toEqual(names.map((_, i) => i));
		expect(list).toMatchObject({ count: names.length, offset: 0, limit: 100 });
		expect(list.product_categories[0]).toMatchObject({
			is_active: true,
			is_internal: false,
			parent_category_id: null,
			category_children: [],
		});

		const byHandleList = await call<{ product_categories: Category[] }>(
			medusa.productCategories.list({ handle: 'apparel' }),
		);
		expect(byHandleList.product_categories.map((c) => c.name)).toEqual(['Apparel']);
		const { product_category } = await call<{ product_category: Category }>(
			medusa.productCategories.retrieve(list.product_categories[1].id),
		);
		expect(product_category).toEqual(list.product_categories[1]);
	});

	it('lists the collections (limit 10 by default), filters by handle and retrieves one', async () => {
		const list = await call<{ collections: Collection[]; count: number; limit: number }>(medusa.collections.list());
		const titles = [...new Set(catalog.flatMap((p) => (p.collection ? [p.collection] : [])))];
		expect(list.collections.map((c) => c.title)).toEqual(titles);
		expect(list).toMatchObject({ count: titles.length, limit: 10 });
		const filtered = await call<{ collections: Collection[] }>(
			medusa.collections.list({ handle: [list.collections[0].handle] }),
		);
		expect(filtered.collections).toEqual([list.collections[0]]);
		const { collection } = await call<{ collection: Collection }>(medusa.collections.retrieve(list.collections[0].id));
		expect(collection).toEqual(list.collections[0]);
		expect((await failure(medusa.collections.retrieve('pcol_nope'))).status).toBe(404);
	});
});

describe('invalid catalog requests', () => {
	async function getJson(path: string): Promise<{ status: number; body: ErrorBody }> {
		const response = await fetch(`${server.url}${path}`);
		expect(response.headers.get('content-type')).toContain('application/json');
		return { status: response.status, body: (await response.json()) as ErrorBody };
	}

	it('refuses bad query values with 400 invalid_data naming the field', async () => {
		for (const [query, field] of [
			['limit=abc', 'limit'],
			['limit=-1', 'limit'],
			['limit=101', 'limit'],
			['offset=1.5', 'offset'],
			['price_min=-3', 'price_min'],
			['region_id=reg_mars', 'region_id'],
			['currency_code=jpy', 'currency_code'],
			['order=color', 'order'],
		]) {
			const { status, body } = await getJson(`/store/products?${query}`);
			expect(status, query).toBe(400);
			expect(body.type, query).toBe('invalid_data');
			expect(body.message, query).toContain(field);
		}
		expect((await getJson('/store/variants?limit=abc')).status).toBe(400);
		expect((await getJson('/store/collections?offset=-5')).status).toBe(400);
	});

	it('answers an unknown cart_id with 400 on lists and 404 on single objects', async () => {
		const list = await getJson('/store/products?cart_id=cart_nope');
		expect(list.status).toBe(400);
		expect(list.body).toEqual({ type: 'invalid_data', message: 'cart_id cart_nope was not found' });
		const one = await getJson('/store/products/prod_x?cart_id=cart_nope');
		expect(one.status).toBe(404);
		expect(one.body.message).toBe('Cart with cart_nope was not found');
	});

	it('tolerates odd characters in path ids with a JSON 404', async () => {
		const { status, body } = await getJson('/store/products/prod_%20%3Cscript%3E');
		expect(status).toBe(404);
		expect(body.type).toBe('not_found');
	});
});

describe('inactive products', () => {
	it('are invisible in lists and a 404 by id, with their variants', async () => {
		const { products } = await call<ProductList>(medusa.products.list({ handle: 'snowflake-mug' }));
		const [mug] = products;
		const db = new SQLite(server.databasePath);
		try {
			db.prepare('update product set active = 0 where id = ?').run(mug.id);
			const list = await call<ProductList>(medusa.products.list());
			expect(list.count).toBe(catalog.length - 1);
			expect(list.products.map((p) => p.handle)).not.toContain('snowflake-mug');
			expect((await call<ProductList>(medusa.products.list({ q: 'mug' }))).products.map((p) => p.handle)).not.toContain(
				'snowflake-mug',
			);
			expect((await failure(medusa.products.retrieve(mug.id))).data).toEqual({
				type: 'not_found',
				message: `Product with id ${mug.id} was not found`,
			});
			expect((await failure(medusa.products.variants.retrieve(mug.variants[0].id))).status).toBe(404);
			const variants = await call<{ variants: Variant[] }>(medusa.products.variants.list({ ids: mug.variants[0].id }));
			expect(variants.variants).toEqual([]);
		} finally {
			db.prepare('update product set active = 1 where id = ?').run(mug.id);
			db.close();
		}
	});
});

import {
	CompiledQuery,
	type Expression,
	type ExpressionBuilder,
	type Kysely,
	type SqlBool,
	type Transaction,
} from 'kysely';
import type { Database } from '../types.ts';
import {
	type CategoryRecord,
	type CollectionRecord,
	containsIgnoringCase,
	containsPattern,
	type Page,
} from './catalog-records.ts';
import { findCategoryPage, findCollectionPage } from './taxonomy-repository.ts';

export type { CategoryRecord, CollectionRecord, Page } from './catalog-records.ts';

// Store-facing catalog reads. Every query here is portable SQL (SQLite now, PostgreSQL later): `lower()`, `like … escape`,
// `exists`, `min()`, `row_number() over (…)`; no SQLite-only functions.

type Db = Kysely<Database> | Transaction<Database>;

export interface OptionValueRecord {
	id: string;
	optionId: string;
	variantId: string;
	value: string;
}

export interface PriceRecord {
	id: string;
	variantId: string;
	currencyCode: string;
	amount: number;
	createdAt: string;
	updatedAt: string;
}

export interface VariantRecord {
	id: string;
	productId: string;
	sku: string;
	title: string;
	rank: number;
	/** The variant and its product are both active, i.e. the variant is on sale at all. */
	active: boolean;
	/** Stocked minus reserved, never below zero. */
	inventoryQuantity: number;
	createdAt: string;
	updatedAt: string;
	prices: PriceRecord[];
	optionValues: OptionValueRecord[];
}

export interface ProductRecord {
	id: string;
	handle: string;
	title: string;
	subtitle: string | null;
	description: string;
	thumbnail: string | null;
	collectionId: string | null;
	/** A gift card sold as a product (content `giftCard: true`): paying for it issues cards. */
	isGiftcard?: boolean;
	createdAt: string;
	updatedAt: string;
	category: CategoryRecord | null;
	collection: CollectionRecord | null;
	images: { id: string; url: string; alt: string }[];
	tags: { id: string; value: string }[];
	options: { id: string; productId: string; title: string; values: OptionValueRecord[] }[];
	/** Active variants only, in content order. */
	variants: VariantRecord[];
}

export interface ProductFilter {
	ids?: string[];
	handle?: string;
	categoryIds?: string[];
	collectionIds?: string[];
	/** Tag ids (`ptag_…`) or tag values; a product matches when it has any of them. */
	tags?: string[];
	/** Case-insensitive substring of the title, subtitle, description, collection title, a tag, or an active variant's title or SKU. */
	q?: string;
	/** A product matches when any active variant has a price in `currency` within [min, max]. */
	price?: { currency: string; min?: number; max?: number };
}

export type ProductSortField = 'rank' | 'title' | 'created_at' | 'updated_at' | 'price';

export interface ProductOrder {
	field: ProductSortField;
	direction: 'asc' | 'desc';
	/** Currency whose lowest active-variant price `price` sorts by. */
	currency: string;
}

/** A LIKE pattern for "contains", with `!` as escape character so a shopper's `%` and `_` match literally. */
function productWhere(filter: ProductFilter) {
	return (eb: ExpressionBuilder<Database, 'product'>): Expression<SqlBool> => {
		const conditions: Expression<SqlBool>[] = [eb('product.active', '=', 1)];
		if (filter.ids?.length) conditions.push(eb('product.id', 'in', filter.ids));
		if (filter.handle !== undefined) conditions.push(eb('product.handle', '=', filter.handle));
		if (filter.categoryIds?.length) conditions.push(eb('product.category_id', 'in', filter.categoryIds));
		if (filter.collectionIds?.length) conditions.push(eb('product.collection_id', 'in', filter.collectionIds));
		if (filter.tags?.length) {
			const tags = filter.tags;
			const values = tags.map((t) => t.toLowerCase());
			conditions.push(
				eb.exists(
					eb
						.selectFrom('product_tag as t')
						.select('t.id')
						.whereRef('t.product_id', '=', 'product.id')
						.where((e) => e.or([e('t.id', 'in', tags), e(e.fn('lower', ['t.value']), 'in', values)])),
				),
			);
		}
		if (filter.q) {
			const pattern = containsPattern(filter.q);
			conditions.push(
				eb.or([
					containsIgnoringCase(eb.ref('product.title'), pattern),
					containsIgnoringCase(eb.ref('product.subtitle'), pattern),
					containsIgnoringCase(eb.ref('product.description'), pattern),
					// Medusa's q also matches the collection's title.
					eb.exists(
						eb
							.selectFrom('product_collection as qc')
							.select('qc.id')
							.whereRef('qc.id', '=', 'product.collection_id')
							.where((e) => containsIgnoringCase(e.ref('qc.title'), pattern)),
					),
					// Tags are words shoppers search for ("bobcats"), even when title and description do not say them.
					eb.exists(
						eb
							.selectFrom('product_tag as qt')
							.select('qt.id')
							.whereRef('qt.product_id', '=', 'product.id')
							.where((e) => containsIgnoringCase(e.ref('qt.value'), pattern)),
					),
					eb.exists(
						eb
							.selectFrom('product_variant as v')
							.select('v.id')
							.whereRef('v.product_id', '=', 'product.id')
							.where('v.active', '=', 1)
							.where((e) =>
								e.or([containsIgnoringCase(e.ref('v.title'), pattern), containsIgnoringCase(e.ref('v.sku'), pattern)]),
							),
					),
				]),
			);
		}
		if (filter.price) {
			const { currency, min, max } = filter.price;
			let prices = eb
				.selectFrom('product_variant as pv')
				.innerJoin('money_amount as ma', 'ma.variant_id', 'pv.id')
				.select('ma.id')
				.whereRef('pv.product_id', '=', 'product.id')
				.where('pv.active', '=', 1)
				.where('ma.currency_code', '=', currency);
			if (min !== undefined) prices = prices.where('ma.amount', '>=', min);
			if (max !== undefined) prices = prices.where('ma.amount', '<=', max);
			conditions.push(eb.exists(prices));
		}
		return eb.and(conditions);
	};
}

/** Lowest active-variant price of the outer `product` row in one currency (NULL when it has none). */
function lowestPrice(eb: ExpressionBuilder<Database, 'product'>, currency: string) {
	return eb
		.selectFrom('product_variant as pv')
		.innerJoin('money_amount as ma', 'ma.variant_id', 'pv.id')
		.whereRef('pv.product_id', '=', 'product.id')
		.where('pv.active', '=', 1)
		.where('ma.currency_code', '=', currency)
		.select((e) => e.fn.min('ma.amount').as('amount'));
}

/**
 * One page of active product ids matching `filter`, in `order`, plus the total number of matches. Ties (and the
 * default order) fall back to the catalog rank, which is the order of the content files.
 */
export async function findProductPage(
	db: Db,
	filter: ProductFilter,
	order: ProductOrder,
	page: Page,
): Promise<{ ids: string[]; count: number }> {
	const where = productWhere(filter);
	let query = db.selectFrom('product').where(where).select('product.id');
	if (order.field === 'price') {
		// Products without a price in the currency go last either way; SQLite and PostgreSQL disagree on where NULLs sort.
		query = query
			.orderBy((eb) =>
				eb
					.case()
					.when(eb(lowestPrice(eb, order.currency), 'is', null))
					.then(1)
					.else(0)
					.end(),
			)
			.orderBy((eb) => lowestPrice(eb, order.currency), order.direction);
	} else if (order.field === 'title') {
		query = query.orderBy((eb) => eb.fn('lower', ['product.title']), order.direction);
	} else if (order.field !== 'rank') {
		query = query.orderBy(`product.${order.field}`, order.direction);
	}
	query = query.orderBy('product.rank', order.field === 'rank' ? order.direction : 'asc').orderBy('product.id');
	const [rows, total] = await Promise.all([
		query.limit(page.limit).offset(page.offset).execute(),
		db
			.selectFrom('product')
			.where(where)
			.select((eb) => eb.fn.countAll().as('count'))
			.executeTakeFirstOrThrow(),
	]);
	return { ids: rows.map((r) => r.id), count: Number(total.count) };
}

/**
 * Active products with every store relation, in the order of `ids` (unknown or inactive ids are left out).
 * One query per relation for the whole batch, never one per product.
 */
export async function loadProducts(db: Db, ids: readonly string[]): Promise<ProductRecord[]> {
	if (!ids.length) return [];
	const rows = await db
		.selectFrom('product')
		.selectAll()
		.where('id', 'in', [...ids])
		.where('active', '=', 1)
		.execute();
	if (!rows.length) return [];
	const productIds = rows.map((r) => r.id);
	const categoryIds = unique(rows.map((r) => r.category_id));
	const collectionIds = unique(rows.flatMap((r) => (r.collection_id ? [r.collection_id] : [])));
	const [categories, collections, images, tags, options, variants] = await Promise.all([
		findCategoryPage(db, { ids: categoryIds }, { limit: categoryIds.length, offset: 0 }),
		findCollectionPage(db, { ids: collectionIds }, { limit: collectionIds.length, offset: 0 }),
		db
			.selectFrom('product_image')
			.select(['id', 'product_id', 'url', 'alt'])
			.where('product_id', 'in', productIds)
			.orderBy('rank')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('product_tag')
			.select(['id', 'product_id', 'value'])
			.where('product_id', 'in', productIds)
			.orderBy('value')
			.execute(),
		db
			.selectFrom('product_option')
			.select(['id', 'product_id', 'title'])
			.where('product_id', 'in', productIds)
			.orderBy('rank')
			.execute(),
		loadVariantRecords(db, { productIds }, true),
	]);
	const categoryById = new Map(categories.categories.map((c) => [c.id, c]));
	const collectionById = new Map(collections.collections.map((c) => [c.id, c]));
	const imagesOf = groupBy(images, (i) => i.product_id);
	const tagsOf = groupBy(tags, (t) => t.product_id);
	const optionsOf = groupBy(options, (o) => o.product_id);
	const variantsOf = groupBy(variants, (v) => v.productId);
	const valuesOf = groupBy(
		variants.flatMap((v) => v.optionValues),
		(v) => v.optionId,
	);
	const byId = new Map(
		rows.map((row) => {
			const product: ProductRecord = {
				id: row.id,
				handle: row.handle,
				title: row.title,
				subtitle: row.subtitle,
				description: row.description,
				thumbnail: row.thumbnail,
				collectionId: row.collection_id,
				isGiftcard: row.is_giftcard === 1,
				createdAt: row.created_at,
				updatedAt: row.updated_at,
				category: categoryById.get(row.category_id) ?? null,
				collection: row.collection_id ? (collectionById.get(row.collection_id) ?? null) : null,
				images: (imagesOf.get(row.id) ?? []).map((i) => ({ id: i.id, url: i.url, alt: i.alt })),
				tags: (tagsOf.get(row.id) ?? []).map((t) => ({ id: t.id, value: t.value })),
				options: (optionsOf.get(row.id) ?? []).map((o) => ({
					id: o.id,
					productId: o.product_id,
					title: o.title,
					values: valuesOf.get(o.id) ?? [],
				})),
				variants: variantsOf.get(row.id) ?? [],
			};
			return [row.id, product] as const;
		}),
	);
	return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One page of ids of active variants of active products (optionally only among `ids`), in catalog order. */
export async function findVariantPage(db: Db, filter: { ids?: string[] }, page: Page): Promise<string[]> {
	let query = db
		.selectFrom('product_variant as v')
		.innerJoin('product as p', 'p.id', 'v.product_id')
		.select('v.id')
		.where('v.active', '=', 1)
		.where('p.active', '=', 1);
	if (filter.ids?.length) query = query.where('v.id', 'in', filter.ids);
	const rows = await query
		.orderBy('p.rank')
		.orderBy('v.rank')
		.orderBy('v.id')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
	return rows.map((r) => r.id);
}

/**
 * Variants with prices, option values and live stock, in the order of `ids`. With `activeOnly: false` inactive variants
 * are included (flagged `active: false`), so carts and orders can still show what they hold.
 */
export async function loadVariants(
	db: Db,
	ids: readonly string[],
	opts: { activeOnly: boolean },
): Promise<VariantRecord[]> {
	if (!ids.length) return [];
	const records = await loadVariantRecords(db, { variantIds: [...ids] }, opts.activeOnly);
	const byId = new Map(records.map((v) => [v.id, v]));
	return ids.flatMap((id) => byId.get(id) ?? []);
}

async function loadVariantRecords(
	db: Db,
	where: { productIds: string[] } | { variantIds: string[] },
	activeOnly: boolean,
): Promise<VariantRecord[]> {
	let query = db
		.selectFrom('product_variant as v')
		.innerJoin('product as p', 'p.id', 'v.product_id')
		.leftJoin('inventory_level as il', 'il.variant_id', 'v.id')
		.select(['v.id', 'v.product_id', 'v.sku', 'v.title', 'v.rank', 'v.active', 'v.created_at', 'v.updated_at'])
		.select(['p.active as product_active', 'il.stocked_quantity', 'il.reserved_quantity']);
	query =
		'productIds' in where
			? query.where('v.product_id', 'in', where.productIds)
			: query.where('v.id', 'in', where.variantIds);
	if (activeOnly) query = query.where('v.active', '=', 1).where('p.active', '=', 1);
	const rows = await query.orderBy('v.product_id').orderBy('v.rank').execute();
	if (!rows.length) return [];
	const variantIds = rows.map((r) => r.id);
	const [priceRows, valueRows] = await Promise.all([
		db.selectFrom('money_amount').selectAll().where('variant_id', 'in', variantIds).orderBy('currency_code').execute(),
		db
			.selectFrom('product_option_value as ov')
			.innerJoin('product_option as o', 'o.id', 'ov.option_id')
			.select(['ov.id', 'ov.option_id', 'ov.variant_id', 'ov.value'])
			.where('ov.variant_id', 'in', variantIds)
			.orderBy('o.rank')
			.execute(),
	]);
	const pricesOf = groupBy(priceRows, (p) => p.variant_id);
	const valuesOf = groupBy(valueRows, (v) => v.variant_id);
	return rows.map((row) => ({
		id: row.id,
		productId: row.product_id,
		sku: row.sku,
		title: row.title,
		rank: row.rank,
		active: row.active === 1 && row.product_active === 1,
		inventoryQuantity: Math.max(0, (row.stocked_quantity ?? 0) - (row.reserved_quantity ?? 0)),
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		prices: (pricesOf.get(row.id) ?? []).map((p) => ({
			id: p.id,
			variantId: p.variant_id,
			currencyCode: p.currency_code,
			amount: p.amount,
			createdAt: p.created_at,
			updatedAt: p.updated_at,
		})),
		optionValues: (valuesOf.get(row.id) ?? []).map((v) => ({
			id: v.id,
			optionId: v.option_id,
			variantId: v.variant_id,
			value: v.value,
		})),
	}));
}

function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		const group = groups.get(k);
		if (group) group.push(item);
		else groups.set(k, [item]);
	}
	return groups;
}

// Read on every catalog request: compiled once per database handle, so a request pays for the query, not for
// building and compiling it.
const revisionQueries = new WeakMap<Db, CompiledQuery<{ revision: number | string }>>();

/** The catalog revision (migration 0025): any change to a catalog table bumps it, stock changes do not. */
export async function readCatalogRevision(db: Db): Promise<number> {
	let query = revisionQueries.get(db);
	if (!query) {
		query = db.selectFrom('catalog_revision').select('revision').where('id', '=', 1).compile();
		revisionQueries.set(db, query);
	}
	const { rows } = await db.executeQuery(query);
	return Number(rows[0]?.revision ?? 0);
}

/** Active products' keys in catalog order (rank, then id): what an in-memory catalog index is built from. */
export async function listActiveProductKeys(db: Db): Promise<{ id: string; categoryId: string; rank: number }[]> {
	const rows = await db
		.selectFrom('product')
		.select(['id', 'category_id', 'rank'])
		.where('active', '=', 1)
		.orderBy('rank')
		.orderBy('id')
		.execute();
	return rows.map((r) => ({ id: r.id, categoryId: r.category_id, rank: r.rank }));
}

// The SQL text of the stock read per number of ids (a page has a handful of sizes), compiled once per database
// handle in its own dialect; each request only binds the ids.
const stockQueries = new WeakMap<Db, Map<number, string>>();

function stockSql(db: Db, count: number): string {
	let byCount = stockQueries.get(db);
	if (!byCount) {
		byCount = new Map();
		stockQueries.set(db, byCount);
	}
	let text = byCount.get(count);
	if (text === undefined) {
		text = db
			.selectFrom('inventory_level')
			.select(['variant_id', 'stocked_quantity', 'reserved_quantity'])
			.where(
				'variant_id',
				'in',
				Array.from({ length: count }, () => ''),
			)
			.compile().sql;
		if (byCount.size < 256) byCount.set(count, text);
	}
	return text;
}

/** Units on sale now (stocked minus reserved, never below zero) per variant; variants without a level are absent. */
export async function findAvailableStock(db: Db, variantIds: readonly string[]): Promise<Map<string, number>> {
	if (!variantIds.length) return new Map();
	const { rows } = await db.executeQuery<{ variant_id: string; stocked_quantity: number; reserved_quantity: number }>(
		CompiledQuery.raw(stockSql(db, variantIds.length), [...variantIds]),
	);
	return new Map(rows.map((r) => [r.variant_id, Math.max(0, r.stocked_quantity - r.reserved_quantity)]));
}

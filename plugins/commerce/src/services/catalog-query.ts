import type { Kysely } from 'kysely';
import { invalid, notFound } from '../core/errors.ts';
import { roundMinor } from '../core/pricing/rounding.ts';
import { findCartRegionId } from '../db/repositories/cart-repository.ts';
import type {
	CategoryRecord,
	CollectionRecord,
	ProductRecord,
	ProductSortField,
	VariantRecord,
} from '../db/repositories/product-repository.ts';
import { findCategoryPage, findCollectionPage } from '../db/repositories/taxonomy-repository.ts';
import type { Database } from '../db/types.ts';
import type { RegionOptions, ResolvedOptions } from '../options.ts';
import { catalogIndex, variantsWithLiveStock, withLiveStock } from './catalog/catalog-index-cache.ts';
import { defaultRegion, findRegion, regionForCurrency } from './regions.ts';

type Db = Kysely<Database>;

/** What prices are shown for: a cart (wins), a region, a currency, or nothing (the default region). */
export interface PricingContext {
	cartId?: string;
	regionId?: string;
	currencyCode?: string;
}

export interface PageQuery {
	limit: number;
	offset: number;
}

export interface ProductListQuery extends PageQuery {
	q?: string;
	handle?: string;
	ids?: string[];
	categoryIds?: string[];
	collectionIds?: string[];
	tags?: string[];
	/** Minor units in the pricing region's currency. */
	priceMin?: number;
	priceMax?: number;
	/** Catalog rank (content order) when absent. */
	order?: { field: Exclude<ProductSortField, 'rank'>; direction: 'asc' | 'desc' };
	pricing: PricingContext;
}

export interface VariantListQuery extends PageQuery {
	ids?: string[];
	pricing: PricingContext;
}

/** A page of results with the total number of matches, as Medusa list responses report it. */
export interface Paged<T> extends PageQuery {
	items: T[];
	count: number;
}

/** Results whose prices are meant for one region. */
export interface Priced<T> {
	region: RegionOptions;
	value: T;
}

/**
 * The region prices are computed for. A cart decides when given (so a storefront's product page shows what the cart
 * will charge); then `region_id`, then `currency_code`, then the default region. An unknown cart is a 404 on
 * single-object routes and a 400 `invalid_data` on list routes, as in Medusa.
 */
export async function resolvePricingRegion(
	db: Db,
	options: ResolvedOptions,
	ctx: PricingContext,
	unknownCart: 'not_found' | 'invalid_data',
): Promise<RegionOptions> {
	if (ctx.cartId !== undefined) {
		const regionId = await findCartRegionId(db, ctx.cartId);
		if (regionId === undefined) {
			throw unknownCart === 'not_found'
				? notFound(`Cart with ${ctx.cartId} was not found`)
				: invalid(`cart_id ${ctx.cartId} was not found`);
		}
		const region = findRegion(options, regionId);
		if (!region) throw invalid(`cart_id ${ctx.cartId} belongs to region ${regionId}, which this store no longer has`);
		return region;
	}
	if (ctx.regionId !== undefined) {
		const region = findRegion(options, ctx.regionId);
		if (!region) throw invalid(`region_id: no region has the id ${ctx.regionId}`);
		return region;
	}
	if (ctx.currencyCode !== undefined) {
		const region = regionForCurrency(options, ctx.currencyCode);
		if (!region) throw invalid(`currency_code: no region sells in ${ctx.currencyCode}`);
		return region;
	}
	return defaultRegion(options);
}

/**
 * Active products matching the query, one page, priced for the resolved region. Answered by the in-memory catalog
 * index (current as of this request) plus one read of live stock; the SQL in product-repository.ts means the same.
 */
export async function listProducts(
	db: Db,
	options: ResolvedOptions,
	query: ProductListQuery,
): Promise<Priced<Paged<ProductRecord>>> {
	const region = await resolvePricingRegion(db, options, query.pricing, 'invalid_data');
	const hasPriceRange = query.priceMin !== undefined || query.priceMax !== undefined;
	const index = await catalogIndex(db);
	const { products, count } = index.findProducts(
		{
			ids: query.ids,
			handle: query.handle,
			categoryIds: query.categoryIds,
			collectionIds: query.collectionIds,
			tags: query.tags,
			q: query.q,
			price: hasPriceRange ? { currency: region.currency, min: query.priceMin, max: query.priceMax } : undefined,
		},
		{ field: query.order?.field ?? 'rank', direction: query.order?.direction ?? 'asc', currency: region.currency },
		query,
	);
	const items = await withLiveStock(db, products);
	return { region, value: { items, count, limit: query.limit, offset: query.offset } };
}

/** One active product, or `null` when the id is unknown or the product is inactive (the two look the same). */
export async function getProduct(
	db: Db,
	options: ResolvedOptions,
	id: string,
	pricing: PricingContext,
): Promise<Priced<ProductRecord | null>> {
	const region = await resolvePricingRegion(db, options, pricing, 'not_found');
	const product = (await catalogIndex(db)).product(id);
	const [live] = product ? await withLiveStock(db, [product]) : [];
	return { region, value: live ?? null };
}

/** Active variants of active products, optionally limited to `ids`, one page. */
export async function listVariants(
	db: Db,
	options: ResolvedOptions,
	query: VariantListQuery,
): Promise<Priced<VariantRecord[]>> {
	const region = await resolvePricingRegion(db, options, query.pricing, 'invalid_data');
	const variants = (await catalogIndex(db)).findVariants({ ids: query.ids }, query);
	return { region, value: await variantsWithLiveStock(db, variants) };
}

/** One variant of an active product, or `null` when unknown or not on sale. */
export async function getVariant(
	db: Db,
	options: ResolvedOptions,
	id: string,
	pricing: PricingContext,
): Promise<Priced<VariantRecord | null>> {
	const region = await resolvePricingRegion(db, options, pricing, 'not_found');
	const variant = (await catalogIndex(db)).variant(id);
	const [live] = variant ? await variantsWithLiveStock(db, [variant]) : [];
	return { region, value: live ?? null };
}

/** Categories with at least one active product. */
export async function listCategories(
	db: Db,
	query: PageQuery & { handle?: string; q?: string },
): Promise<Paged<CategoryRecord>> {
	const { categories, count } = await findCategoryPage(db, { handle: query.handle, q: query.q }, query);
	return { items: categories, count, limit: query.limit, offset: query.offset };
}

/** A category with at least one active product, or `null`. */
export async function getCategory(db: Db, id: string): Promise<CategoryRecord | null> {
	const { categories } = await findCategoryPage(db, { ids: [id] }, { limit: 1, offset: 0 });
	return categories[0] ?? null;
}

/** Collections with at least one active product (an emptied collection disappears like its products). */
export async function listCollections(
	db: Db,
	query: PageQuery & { handles?: string[] },
): Promise<Paged<CollectionRecord>> {
	const { collections, count } = await findCollectionPage(db, { handles: query.handles }, query);
	return { items: collections, count, limit: query.limit, offset: query.offset };
}

/** A collection with at least one active product, or `null`. */
export async function getCollection(db: Db, id: string): Promise<CollectionRecord | null> {
	const { collections } = await findCollectionPage(db, { ids: [id] }, { limit: 1, offset: 0 });
	return collections[0] ?? null;
}

/** A variant's price in one region, before and with tax. `price` is `null` when it has no price in that currency. */
export interface VariantPricing {
	price: number | null;
	tax: number | null;
	priceInclTax: number | null;
}

/**
 * Prices a variant for a region: its amount in the region currency plus the region's tax on it, rounded with the one
 * rounding policy the cart totals use, so a product page and the cart never differ by a cent.
 */
export function priceVariant(variant: Pick<VariantRecord, 'prices'>, region: RegionOptions): VariantPricing {
	const price = variant.prices.find((p) => p.currencyCode === region.currency)?.amount ?? null;
	if (price === null) return { price: null, tax: null, priceInclTax: null };
	const tax = roundMinor((price * region.taxRate) / 100);
	return { price, tax, priceInclTax: price + tax };
}

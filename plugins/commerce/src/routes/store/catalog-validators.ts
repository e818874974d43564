import { z } from 'zod';
import { INTEGER_RANGES, type IntegerRange, queryInt } from '../../core/safe-integers.ts';
import { stringList } from '../../http/request.ts';
import type { ResolvedOptions } from '../../options.ts';
import type { PricingContext, ProductListQuery, VariantListQuery } from '../../services/catalog-query.ts';
import { findRegion, regionForCurrency } from '../../services/regions.ts';

// Query schemas of the catalog routes. Keys are Medusa's (snake_case); each schema outputs the service's query type.
// Unknown keys (`expand`, `fields`, `sales_channel_id[]`, …) are dropped rather than refused, as contract §5 asks.

/** `limit=` (empty) means "not given"; anything else must be an integer in range. */
const intParam = (range: IntegerRange, label: string, max?: number) =>
	z.preprocess((value) => (value === '' ? undefined : value), queryInt(range, label, max).optional());

const limitParam = intParam({ min: 0, max: 100 }, 'limit');
const offsetParam = intParam(INTEGER_RANGES.offset, 'offset');
const priceParam = (label: string) => intParam(INTEGER_RANGES.minorUnits, label);

const text = z.string().trim().max(200);

/** Ids or handles as `key=a`, `key=a,b` or `key[0]=a&key[1]=b`; empty means "no filter". */
const idList = stringList
	.pipe(z.array(z.string().max(200)).max(100, 'give at most 100 values'))
	.transform((list) => (list.length ? list : undefined));

const PRODUCT_ORDERS = [
	'title',
	'-title',
	'created_at',
	'-created_at',
	'updated_at',
	'-updated_at',
	'price',
	'-price',
] as const;

function pricingFields(options: ResolvedOptions) {
	return {
		region_id: z
			.string()
			.max(100)
			.refine(
				(id) => findRegion(options, id) !== undefined,
				(id) => ({ message: `no region has the id ${id}; use an id from GET /regions` }),
			)
			.optional(),
		currency_code: z
			.string()
			.max(3)
			.toLowerCase()
			.refine(
				(code) => regionForCurrency(options, code) !== undefined,
				(code) => ({ message: `no region sells in ${code}` }),
			)
			.optional(),
		cart_id: z.string().min(1).max(100).optional(),
	};
}

function toPricing(q: { region_id?: string; currency_code?: string; cart_id?: string }): PricingContext {
	return { regionId: q.region_id, currencyCode: q.currency_code, cartId: q.cart_id };
}

function buildSchemas(options: ResolvedOptions) {
	const pricing = pricingFields(options);
	return {
		productList: z
			.object({
				limit: limitParam,
				offset: offsetParam,
				q: text.optional(),
				handle: text.optional(),
				id: idList.optional(),
				category_id: idList.optional(),
				collection_id: idList.optional(),
				tags: idList.optional(),
				order: z.enum(PRODUCT_ORDERS).optional(),
				price_min: priceParam('price_min'),
				price_max: priceParam('price_max'),
				...pricing,
			})
			.refine((q) => q.price_min === undefined || q.price_max === undefined || q.price_min <= q.price_max, {
				message: 'price_min must not be greater than price_max',
				path: ['price_min'],
			})
			.transform(
				(q): ProductListQuery => ({
					limit: q.limit ?? 100,
					offset: q.offset ?? 0,
					q: q.q || undefined,
					handle: q.handle,
					ids: q.id,
					categoryIds: q.category_id,
					collectionIds: q.collection_id,
					tags: q.tags,
					priceMin: q.price_min,
					priceMax: q.price_max,
					order: q.order
						? {
								field: q.order.replace(/^-/, '') as 'title' | 'created_at' | 'updated_at' | 'price',
								direction: q.order.startsWith('-') ? 'desc' : 'asc',
							}
						: undefined,
					pricing: toPricing(q),
				}),
			),
		pricing: z.object(pricing).transform(toPricing),
		variantList: z
			.object({
				// Medusa: a comma-separated `ids` overrides `id`.
				ids: idList.optional(),
				id: idList.optional(),
				limit: limitParam,
				offset: offsetParam,
				...pricing,
			})
			.transform(
				(q): VariantListQuery => ({
					ids: q.ids ?? q.id,
					limit: q.limit ?? 100,
					offset: q.offset ?? 0,
					pricing: toPricing(q),
				}),
			),
		categoryList: z
			.object({
				handle: text.optional(),
				q: text.optional(),
				limit: limitParam,
				offset: offsetParam,
			})
			.transform((q) => ({ handle: q.handle, q: q.q || undefined, limit: q.limit ?? 100, offset: q.offset ?? 0 })),
		collectionList: z
			.object({ handle: idList.optional(), limit: limitParam, offset: offsetParam })
			.transform((q) => ({ handles: q.handle, limit: q.limit ?? 10, offset: q.offset ?? 0 })),
	};
}

const cache = new WeakMap<ResolvedOptions, ReturnType<typeof buildSchemas>>();

/** The catalog query schemas for one store; `region_id` and `currency_code` are checked against its regions. */
export function catalogQueries(options: ResolvedOptions): ReturnType<typeof buildSchemas> {
	let schemas = cache.get(options);
	if (!schemas) {
		schemas = buildSchemas(options);
		cache.set(options, schemas);
	}
	return schemas;
}

import { parseInput } from '../../http/request.ts';
import type { Route } from '../../http/router.ts';
import { notFound } from '../../http/store-error.ts';
import {
	getCategory,
	getCollection,
	getProduct,
	getVariant,
	listCategories,
	listCollections,
	listProducts,
	listVariants,
} from '../../services/catalog-query.ts';
import { catalogQueries } from './catalog-validators.ts';
import { toMedusaCategory, toMedusaCollection, toMedusaProduct, toMedusaVariant } from './medusa-product.ts';

/**
 * Catalog reads of the Store API (contract §3.1): products, variants, categories, collections.
 * Only active products and their active variants are ever visible; an inactive one is a 404 like an unknown id.
 */
export const catalogRoutes: Route[] = [
	{
		method: 'GET',
		path: '/products',
		handler: async ({ runtime, query }) => {
			const input = parseInput(catalogQueries(runtime.options).productList, query);
			const { region, value } = await listProducts(runtime.db, runtime.options, input);
			return {
				products: value.items.map((p) => toMedusaProduct(p, region)),
				count: value.count,
				offset: value.offset,
				limit: value.limit,
			};
		},
	},
	{
		method: 'GET',
		path: '/products/:id',
		handler: async ({ runtime, query, params }) => {
			const pricing = parseInput(catalogQueries(runtime.options).pricing, query);
			const { region, value } = await getProduct(runtime.db, runtime.options, params.id, pricing);
			if (!value) throw notFound(`Product with id ${params.id} was not found`);
			return { product: toMedusaProduct(value, region) };
		},
	},
	{
		method: 'GET',
		path: '/variants',
		handler: async ({ runtime, query }) => {
			const input = parseInput(catalogQueries(runtime.options).variantList, query);
			const { region, value } = await listVariants(runtime.db, runtime.options, input);
			return { variants: value.map((v) => toMedusaVariant(v, region)) };
		},
	},
	{
		method: 'GET',
		path: '/variants/:id',
		handler: async ({ runtime, query, params }) => {
			const pricing = parseInput(catalogQueries(runtime.options).pricing, query);
			const { region, value } = await getVariant(runtime.db, runtime.options, params.id, pricing);
			if (!value) throw notFound(`Variant with id ${params.id} was not found`);
			return { variant: toMedusaVariant(value, region) };
		},
	},
	{
		method: 'GET',
		path: '/product-categories',
		handler: async ({ runtime, query }) => {
			const input = parseInput(catalogQueries(runtime.options).categoryList, query);
			const page = await listCategories(runtime.db, input);
			return {
				product_categories: page.items.map(toMedusaCategory),
				count: page.count,
				offset: page.offset,
				limit: page.limit,
			};
		},
	},
	{
		method: 'GET',
		path: '/product-categories/:id',
		handler: async ({ runtime, params }) => {
			const category = await getCategory(runtime.db, params.id);
			if (!category) throw notFound(`ProductCategory with id: ${params.id} was not found`);
			return { product_category: toMedusaCategory(category) };
		},
	},
	{
		method: 'GET',
		path: '/collections',
		handler: async ({ runtime, query }) => {
			const input = parseInput(catalogQueries(runtime.options).collectionList, query);
			const page = await listCollections(runtime.db, input);
			return {
				collections: page.items.map(toMedusaCollection),
				count: page.count,
				offset: page.offset,
				limit: page.limit,
			};
		},
	},
	{
		method: 'GET',
		path: '/collections/:id',
		handler: async ({ runtime, params }) => {
			const collection = await getCollection(runtime.db, params.id);
			if (!collection) throw notFound(`Collection with id ${params.id} was not found`);
			return { collection: toMedusaCollection(collection) };
		},
	},
];

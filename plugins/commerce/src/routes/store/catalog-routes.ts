import { notFound } from '../../core/errors.ts';
import { jsonText } from '../../http/respond.ts';
import { defineRoute, type Route } from '../../http/router.ts';
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
import { toMedusaCategory, toMedusaCollection, toMedusaVariant } from './medusa-product.ts';
import { medusaProductJson } from './medusa-product-json.ts';
import { presentation } from './presentation.ts';

/**
 * Catalog reads of the Store API (contract §3.1): products, variants, categories, collections.
 * Only active products and their active variants are ever visible; an inactive one is a 404 like an unknown id.
 */
export const catalogRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/products',
		query: (options) => catalogQueries(options).productList,
		handler: async (ctx) => {
			const { runtime, query } = ctx;
			const { region, value } = await listProducts(runtime.db, runtime.options, query);
			// = JSON of { products: toMedusaProduct(…)[], count, offset, limit }, from per-product templates.
			const shown = presentation(ctx);
			const products = value.sources.map((p) => medusaProductJson(p, region, value.stock, shown)).join(',');
			return jsonText(
				`{"products":[${products}],"count":${value.count},"offset":${value.offset},"limit":${value.limit}}`,
			);
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/products/:id',
		query: (options) => catalogQueries(options).pricing,
		handler: async (ctx) => {
			const { runtime, query, params } = ctx;
			const { region, value } = await getProduct(runtime.db, runtime.options, params.id, query);
			const product = value?.sources[0];
			if (!value || !product) throw notFound(`Product with id ${params.id} was not found`);
			return jsonText(`{"product":${medusaProductJson(product, region, value.stock, presentation(ctx))}}`);
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/variants',
		query: (options) => catalogQueries(options).variantList,
		handler: async ({ runtime, query }) => {
			const { region, value } = await listVariants(runtime.db, runtime.options, query);
			return { variants: value.map((v) => toMedusaVariant(v, region)) };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/variants/:id',
		query: (options) => catalogQueries(options).pricing,
		handler: async ({ runtime, query, params }) => {
			const { region, value } = await getVariant(runtime.db, runtime.options, params.id, query);
			if (!value) throw notFound(`Variant with id ${params.id} was not found`);
			return { variant: toMedusaVariant(value, region) };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/product-categories',
		query: (options) => catalogQueries(options).categoryList,
		handler: async ({ runtime, query }) => {
			const page = await listCategories(runtime.db, query);
			return {
				product_categories: page.items.map(toMedusaCategory),
				count: page.count,
				offset: page.offset,
				limit: page.limit,
			};
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/product-categories/:id',
		handler: async ({ runtime, params }) => {
			const category = await getCategory(runtime.db, params.id);
			if (!category) throw notFound(`ProductCategory with id: ${params.id} was not found`);
			return { product_category: toMedusaCategory(category) };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/collections',
		query: (options) => catalogQueries(options).collectionList,
		handler: async ({ runtime, query }) => {
			const page = await listCollections(runtime.db, query);
			return {
				collections: page.items.map(toMedusaCollection),
				count: page.count,
				offset: page.offset,
				limit: page.limit,
			};
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/collections/:id',
		handler: async ({ runtime, params }) => {
			const collection = await getCollection(runtime.db, params.id);
			if (!collection) throw notFound(`Collection with id ${params.id} was not found`);
			return { collection: toMedusaCollection(collection) };
		},
	}),
];

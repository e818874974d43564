import { notFound } from '../../core/errors.ts';
import { defineRoute, type Route } from '../../http/router.ts';
import { findRegion } from '../../services/regions.ts';
import { toMedusaRegion } from './medusa-region.ts';

/** GET /regions, GET /regions/:id — regions come from the plugin options, not the database. */
export const regionRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/regions',
		handler: async ({ runtime }) => {
			const regions = runtime.options.regions.map(toMedusaRegion);
			return { regions, count: regions.length, offset: 0, limit: regions.length };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/regions/:id',
		handler: async ({ runtime, params }) => {
			const region = findRegion(runtime.options, params.id);
			if (!region) throw notFound(`Region with id ${params.id} was not found`);
			return { region: toMedusaRegion(region) };
		},
	}),
];

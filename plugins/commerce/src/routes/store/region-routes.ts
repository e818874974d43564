import { notFound } from '../../core/errors.ts';
import { defineRoute, type Route } from '../../http/router.ts';
import { findRegion } from '../../services/regions.ts';
import { toMedusaRegion } from './medusa-region.ts';
import { presentation } from './presentation.ts';

/** GET /regions, GET /regions/:id — regions come from the plugin options, not the database. */
export const regionRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/regions',
		handler: async (ctx) => {
			const regions = ctx.runtime.options.regions.map((region) => toMedusaRegion(region, presentation(ctx)));
			return { regions, count: regions.length, offset: 0, limit: regions.length };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/regions/:id',
		handler: async (ctx) => {
			const region = findRegion(ctx.runtime.options, ctx.params.id);
			if (!region) throw notFound(`Region with id ${ctx.params.id} was not found`);
			return { region: toMedusaRegion(region, presentation(ctx)) };
		},
	}),
];

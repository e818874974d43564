import type { CustomerAuth } from '../../auth/index.ts';
import { type AdminArea, requireRole } from '../../auth/rbac.ts';
import { defineRoute, type HandlerContext, type Method, type Route, type SchemaSource } from '../../http/router.ts';

/**
 * An admin API route. `area` is required: `requireRole(area)` is the route's `before` step, so the role check runs
 * before anything else, input validation included. `session` marks the only routes that answer callers without an
 * admin session (login, logout, whoami), and those check roles themselves.
 */
export type AdminRoute = Route & { area: AdminArea | 'session' };

interface AdminRouteDefinition<Body, Query, Auth> {
	method: Method;
	path: string;
	sameOrigin?: boolean;
	bodyFormat?: 'json' | 'text';
	maxBodyBytes?: number;
	body?: SchemaSource<Body>;
	query?: SchemaSource<Query>;
	handler: (ctx: HandlerContext<Body, Query, Auth>) => Promise<unknown>;
}

/**
 * A route of an admin area; its handler gets the signed-in staff member or admin as `ctx.auth`. Never replayed by
 * Idempotency-Key: a stored answer would skip the role check.
 */
export function areaRoute<Body = undefined, Query = undefined>(
	area: AdminArea,
	definition: AdminRouteDefinition<Body, Query, CustomerAuth>,
): AdminRoute {
	return {
		...defineRoute({ ...definition, idempotent: false, before: (ctx) => requireRole(ctx, area) }),
		area,
	};
}

/** A route that answers without an admin session (login, logout, whoami); it checks roles itself. */
export function sessionRoute<Body = undefined>(
	definition: AdminRouteDefinition<Body, undefined, undefined>,
): AdminRoute {
	return { ...defineRoute({ ...definition, idempotent: false }), area: 'session' };
}

export const noStore = { 'Cache-Control': 'no-store' };

/** The caller's email for order events and ledger rows. */
export const actorOf = (auth: CustomerAuth) => auth.customer.email;

import { optionalCustomer } from '../../auth/index.ts';
import { notFound } from '../../core/errors.ts';
import type { RequestContext, Route } from '../../http/router.ts';
import { cartOwnerId } from '../../services/cart/cart-service.ts';

/**
 * Binds carts of logged-in customers to them (contract §5): a cart with a `customer_id` answers only that customer's
 * session; anyone else, anonymous callers included, gets the same 404 as for a cart that does not exist. Anonymous
 * carts stay what they are in Medusa: the id is the capability.
 */
export async function assertCartAccess(ctx: RequestContext, cartId: string, message: string): Promise<void> {
	const owner = await cartOwnerId(ctx.runtime.db, cartId);
	if (!owner) return;
	const auth = await optionalCustomer(ctx);
	if (auth?.customer.id !== owner) throw notFound(message);
}

/** Which path parameter names a cart: `/carts/:id…` or any `:cart_id`. */
function cartParam(path: string): string | undefined {
	if (/^\/carts\/:id(\/|$)/.test(path)) return 'id';
	if (path.split('/').includes(':cart_id')) return 'cart_id';
	return undefined;
}

/**
 * Wraps every route of the table that names a cart in its path with `assertCartAccess`, so a cart route added later is
 * guarded without remembering to. Applied once, in `routes.ts`.
 */
export function guardCartRoutes(routes: Route[]): Route[] {
	return routes.map((route) => {
		const param = cartParam(route.path);
		if (!param) return route;
		const before = route.before;
		return {
			...route,
			// Part of the route's `before` step: the access check runs before the input is validated.
			before: async (ctx: RequestContext) => {
				const id = ctx.params[param];
				await assertCartAccess(
					ctx,
					id,
					route.path.startsWith('/orders/')
						? `Order with cart id ${id} was not found`
						: `Cart with ${id} was not found`,
				);
				return before?.(ctx);
			},
		};
	});
}

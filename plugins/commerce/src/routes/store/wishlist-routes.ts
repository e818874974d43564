import { requireCustomer } from '../../auth/index.ts';
import { parseInput } from '../../http/request.ts';
import type { Route } from '../../http/router.ts';
import { addToWishlist, getWishlist, removeFromWishlist } from '../../services/wishlist.ts';
import { wishlistBody } from './account-validators.ts';

/** The logged-in customer's wishlist (our extension): saved variants with their product's handle, title and image. */
export const wishlistRoutes: Route[] = [
	{
		method: 'GET',
		path: '/customers/me/wishlist',
		idempotent: false,
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			return { wishlist: await getWishlist(ctx.runtime.db, customer.id) };
		},
	},
	{
		method: 'POST',
		path: '/customers/me/wishlist',
		idempotent: false,
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			const body = parseInput(wishlistBody, await ctx.body());
			return { wishlist: await addToWishlist(ctx.runtime.db, customer.id, body.variant_id) };
		},
	},
	{
		method: 'DELETE',
		path: '/customers/me/wishlist/:variant_id',
		idempotent: false,
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			return { wishlist: await removeFromWishlist(ctx.runtime.db, customer.id, ctx.params.variant_id) };
		},
	},
];

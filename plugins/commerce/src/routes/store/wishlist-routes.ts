import { requireCustomer } from '../../auth/index.ts';
import { defineRoute, type Route } from '../../http/router.ts';
import { addToWishlist, getWishlist, removeFromWishlist } from '../../services/wishlist.ts';
import { wishlistBody } from './account-validators.ts';

/** The logged-in customer's wishlist (our extension): saved variants with their product's handle, title and image. */
export const wishlistRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/customers/me/wishlist',
		idempotent: false,
		before: requireCustomer,
		handler: async (ctx) => ({ wishlist: await getWishlist(ctx.runtime.db, ctx.auth.customer.id) }),
	}),
	defineRoute({
		method: 'POST',
		path: '/customers/me/wishlist',
		idempotent: false,
		before: requireCustomer,
		body: wishlistBody,
		handler: async (ctx) => ({
			wishlist: await addToWishlist(ctx.runtime.db, ctx.auth.customer.id, ctx.body.variant_id),
		}),
	}),
	defineRoute({
		method: 'DELETE',
		path: '/customers/me/wishlist/:variant_id',
		idempotent: false,
		before: requireCustomer,
		handler: async (ctx) => ({
			wishlist: await removeFromWishlist(ctx.runtime.db, ctx.auth.customer.id, ctx.params.variant_id),
		}),
	}),
];

import { z } from 'zod';
import { CommerceError } from '../../core/errors.ts';
import { defineRoute, type Route } from '../../http/router.ts';
import { restoreCartFromLink, unsubscribeFromLink } from '../../services/cart-recovery/cart-recovery.ts';
import { linkPage } from './link-page.ts';

// The two links of an abandoned-cart reminder, opened in a browser (our extension; not in Medusa's API). Both carry a
// signed token (no account needed); answers are redirects or small pages, not JSON.

const tokenQuery = z.object({ token: z.string().min(20).max(600) }).strict();

const failure = (error: unknown, home: string) => {
	if (error instanceof CommerceError) return linkPage('Link not valid', error.message, 404, home);
	throw error;
};

export const cartRecoveryRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/cart-recovery/restore',
		idempotent: false,
		query: tokenQuery,
		/**
		 * Reopens the cart on this device: the cart page with `?cart_id=` (the cart store adopts it, as the id is the
		 * capability to a guest cart). A customer's cart answers only their session, so they sign in first; their
		 * cart comes back with the login.
		 */
		handler: async (ctx) => {
			const paths = ctx.runtime.options.paths;
			try {
				const { cartId, customerOwned } = await restoreCartFromLink(
					ctx.runtime.db,
					ctx.runtime.secret,
					ctx.query.token,
				);
				const to = customerOwned
					? `${paths.login}?next=${encodeURIComponent(paths.cart)}`
					: `${paths.cart}?cart_id=${encodeURIComponent(cartId)}`;
				return new Response(null, { status: 303, headers: { Location: to, 'Cache-Control': 'no-store' } });
			} catch (error) {
				return failure(error, paths.base);
			}
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/cart-recovery/unsubscribe',
		idempotent: false,
		query: tokenQuery,
		handler: async (ctx) => {
			try {
				const email = await unsubscribeFromLink(ctx.runtime.db, ctx.runtime.secret, ctx.query.token);
				return linkPage(
					'Unsubscribed',
					`${email} will get no more cart reminders from us. Order emails still arrive.`,
					200,
					ctx.runtime.options.paths.base,
				);
			} catch (error) {
				return failure(error, ctx.runtime.options.paths.base);
			}
		},
	}),
];

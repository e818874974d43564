import { z } from 'zod';
import { optionalCustomer } from '../../auth/index.ts';
import { forbidden, notFound, rateLimited } from '../../core/errors.ts';
import { INTEGER_RANGES, queryInt } from '../../core/safe-integers.ts';
import { defineRoute, type RequestContext, type Route } from '../../http/router.ts';
import { hasOrderAccess, ORDER_ACCESS_COOKIE, withinConfirmationWindow } from '../../services/checkout/order-access.ts';
import { findOrderIdByCart, findOrderIdByDisplayId, getOrderDetail } from '../../services/orders/order-queries.ts';
import { createRateLimiter } from '../../services/rate-limit.ts';
import { findRegion } from '../../services/regions.ts';
import { readCookie } from './cookies.ts';
import { toMedusaOrder } from './medusa-order.ts';
import { presentation } from './presentation.ts';

// Guessing order numbers and emails must be slow: 10 lookups per 10 minutes per client address.
const lookupLimiter = createRateLimiter({ name: 'order-lookup', limit: 10, windowMs: 10 * 60 * 1000 });

const lookupQuery = z.object({
	display_id: queryInt(INTEGER_RANGES.displayId, 'display_id'),
	email: z.string().trim().toLowerCase().email('email must be an email address').max(254),
	shipping_address: z.object(
		{ postal_code: z.string().trim().min(1, 'shipping_address[postal_code] is required').max(20) },
		{ required_error: 'shipping_address[postal_code] is required' },
	),
});

/**
 * Orders of customers belong to them: only their session reads them here (no confirmation window, no access cookie,
 * no lookup by number), and anyone else is told the order does not exist. Guest orders keep the rules below.
 */
async function belongsToSomeoneElse(ctx: RequestContext, order: { customerId: string | null }): Promise<boolean> {
	if (!order.customerId) return false;
	return (await optionalCustomer(ctx))?.customer.id !== order.customerId;
}

const normalizePostal = (code: string | null | undefined) => (code ?? '').replace(/\s+/g, '').toUpperCase();

/** Orders (contract §3.6) with the ownership rules of §5: ids are capabilities only briefly, lookups need proof. */
/**
 * The one rule for reading an order by a capability (its id, or the id of the cart it became): a customer's order
 * only by its customer; a guest order within the confirmation window, or later with the order-access cookie this
 * browser got at checkout. After that the guest proves it with number + email + postal code (`GET /orders`).
 */
async function readableOrder(ctx: RequestContext, orderId: string | null | undefined, missing: string) {
	const record = orderId ? await getOrderDetail(ctx.runtime.db, orderId) : null;
	if (!record || (await belongsToSomeoneElse(ctx, record.order))) throw notFound(missing);
	const granted =
		record.order.customerId !== null ||
		hasOrderAccess(ctx.runtime.secret, readCookie(ctx.request, ORDER_ACCESS_COOKIE), record.order.id);
	if (!granted && !withinConfirmationWindow(record.order.createdAt)) {
		throw forbidden(
			'This order can no longer be viewed with its link alone. Look it up with its number, email and postal code.',
			'order_access_expired',
		);
	}
	return { order: toMedusaOrder(record, findRegion(ctx.runtime.options, record.order.regionId), presentation(ctx)) };
}

export const orderRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/orders/cart/:cart_id',
		// The cart id is in every order response, so it is the same capability as the order id: the same rule applies.
		handler: async (ctx) =>
			readableOrder(
				ctx,
				await findOrderIdByCart(ctx.runtime.db, ctx.params.cart_id),
				`Order with cart id ${ctx.params.cart_id} was not found`,
			),
	}),
	defineRoute({
		method: 'GET',
		path: '/orders/:id',
		handler: async (ctx) => readableOrder(ctx, ctx.params.id, `Order with id ${ctx.params.id} was not found`),
	}),
	defineRoute({
		method: 'GET',
		path: '/orders',
		query: lookupQuery,
		// Guest lookup: number + email + postal code, rate limited (every attempt counts, valid or not, so the limit
		// runs before the query is validated), one generic answer for every mismatch.
		before: async (ctx) => {
			const limited = await lookupLimiter.hit(ctx.clientAddress ?? 'unknown');
			if (!limited.allowed)
				throw rateLimited(
					`Too many order lookups. Try again in ${limited.retryAfterSeconds} seconds.`,
					limited.retryAfterSeconds,
				);
		},
		handler: async (ctx) => {
			const query = ctx.query;
			const orderId = await findOrderIdByDisplayId(ctx.runtime.db, query.display_id, query.email);
			const record = orderId ? await getOrderDetail(ctx.runtime.db, orderId) : null;
			if (
				!record ||
				normalizePostal(record.shippingAddress?.postalCode) !== normalizePostal(query.shipping_address.postal_code) ||
				(await belongsToSomeoneElse(ctx, record.order))
			) {
				throw notFound('No order matches that number, email and postal code.');
			}
			return {
				order: toMedusaOrder(record, findRegion(ctx.runtime.options, record.order.regionId), presentation(ctx)),
			};
		},
	}),
];

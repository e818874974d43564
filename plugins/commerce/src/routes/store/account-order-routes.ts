import { requireCustomer } from '../../auth/index.ts';
import { notFound } from '../../core/errors.ts';
import { defineRoute, type RequestContext, type Route } from '../../http/router.ts';
import { cancelCustomerOrder } from '../../services/orders/cancel-order.ts';
import { confirmOrderClaim, requestOrderClaim } from '../../services/orders/order-claim.ts';
import { orderDeps } from '../../services/orders/order-deps.ts';
import { getOrderDetail } from '../../services/orders/order-queries.ts';
import { findRegion } from '../../services/regions.ts';
import { cancelOrderBody, confirmClaimBody } from './account-validators.ts';
import { toMedusaOrder } from './medusa-order.ts';
import { presentation } from './presentation.ts';

/** The order as its owner sees it; anyone else's order is a 404, exactly like one that does not exist. */
async function ownOrder(ctx: RequestContext, customerId: string, orderId: string) {
	const record = await getOrderDetail(ctx.runtime.db, orderId);
	if (!record || record.order.customerId !== customerId) throw notFound(`Order with id ${orderId} was not found`);
	return { order: toMedusaOrder(record, findRegion(ctx.runtime.options, record.order.regionId), presentation(ctx)) };
}

/**
 * The logged-in customer's orders beyond the contract's list (our extensions): detail with its tracking timeline,
 * cancellation, and claiming guest orders placed with the customer's email. Never replayed by Idempotency-Key: the
 * answers belong to the session.
 */
export const accountOrderRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/customers/me/orders/:id',
		idempotent: false,
		before: requireCustomer,
		handler: async (ctx) => ownOrder(ctx, ctx.auth.customer.id, ctx.params.id),
	}),
	defineRoute({
		method: 'POST',
		path: '/customers/me/orders/:id/cancel',
		idempotent: false,
		before: requireCustomer,
		body: cancelOrderBody,
		handler: async (ctx) => {
			const record = await cancelCustomerOrder(
				orderDeps(ctx.runtime),
				ctx.auth.customer.id,
				ctx.params.id,
				ctx.shopOrigin,
				ctx.body.reason || undefined,
			);
			return {
				order: toMedusaOrder(record, findRegion(ctx.runtime.options, record.order.regionId), presentation(ctx)),
			};
		},
	}),
	defineRoute({
		method: 'POST',
		path: '/customers/me/orders/claim',
		idempotent: false,
		before: requireCustomer,
		handler: async (ctx) => {
			await requestOrderClaim(orderDeps(ctx.runtime), ctx.auth.customer, ctx.shopOrigin);
			return { sent: true };
		},
	}),
	defineRoute({
		method: 'POST',
		path: '/customers/me/orders/claim/confirm',
		idempotent: false,
		before: requireCustomer,
		body: confirmClaimBody,
		handler: async (ctx) => {
			const customerId = ctx.auth.customer.id;
			const ids = await confirmOrderClaim(ctx.runtime, customerId, ctx.body.token);
			const orders = await Promise.all(ids.map(async (id) => (await ownOrder(ctx, customerId, id)).order));
			return { orders, count: orders.length };
		},
	}),
];

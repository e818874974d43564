import { requireCustomer } from '../../auth/index.ts';
import { parseInput } from '../../http/request.ts';
import type { HandlerContext, Route } from '../../http/router.ts';
import { notFound } from '../../http/store-error.ts';
import { cancelCustomerOrder } from '../../services/orders/cancel-order.ts';
import { confirmOrderClaim, requestOrderClaim } from '../../services/orders/order-claim.ts';
import { orderDeps } from '../../services/orders/order-deps.ts';
import { getOrderDetail } from '../../services/orders/order-queries.ts';
import { findRegion } from '../../services/regions.ts';
import { cancelOrderBody, confirmClaimBody } from './account-validators.ts';
import { toMedusaOrder } from './medusa-order.ts';

/** The order as its owner sees it; anyone else's order is a 404, exactly like one that does not exist. */
async function ownOrder(ctx: HandlerContext, customerId: string, orderId: string) {
	const record = await getOrderDetail(ctx.runtime.db, orderId);
	if (!record || record.order.customerId !== customerId) throw notFound(`Order with id ${orderId} was not found`);
	return { order: toMedusaOrder(record, findRegion(ctx.runtime.options, record.order.regionId)) };
}

/**
 * The logged-in customer's orders beyond the contract's list (our extensions): detail with its tracking timeline,
 * cancellation, and claiming guest orders placed with the customer's email. Never replayed by Idempotency-Key: the
 * answers belong to the session.
 */
export const accountOrderRoutes: Route[] = [
	{
		method: 'GET',
		path: '/customers/me/orders/:id',
		idempotent: false,
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			return ownOrder(ctx, customer.id, ctx.params.id);
		},
	},
	{
		method: 'POST',
		path: '/customers/me/orders/:id/cancel',
		idempotent: false,
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			const body = parseInput(cancelOrderBody, await ctx.body());
			const record = await cancelCustomerOrder(
				orderDeps(ctx.runtime),
				customer.id,
				ctx.params.id,
				ctx.url.origin,
				body.reason || undefined,
			);
			return { order: toMedusaOrder(record, findRegion(ctx.runtime.options, record.order.regionId)) };
		},
	},
	{
		method: 'POST',
		path: '/customers/me/orders/claim',
		idempotent: false,
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			await requestOrderClaim(orderDeps(ctx.runtime), customer, ctx.url.origin);
			return { sent: true };
		},
	},
	{
		method: 'POST',
		path: '/customers/me/orders/claim/confirm',
		idempotent: false,
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			const body = parseInput(confirmClaimBody, await ctx.body());
			const ids = await confirmOrderClaim(ctx.runtime, customer.id, body.token);
			const orders = await Promise.all(ids.map(async (id) => (await ownOrder(ctx, customer.id, id)).order));
			return { orders, count: orders.length };
		},
	},
];

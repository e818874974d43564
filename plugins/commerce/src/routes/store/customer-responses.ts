import type { RequestContext } from '../../http/router.ts';
import { type AccountDeps, listOwnOrderIds, loadCustomerView } from '../../services/customers/account-service.ts';
import { getOrderDetail } from '../../services/orders/order-queries.ts';
import { findRegion } from '../../services/regions.ts';
import { toMedusaCustomer } from './medusa-customer.ts';
import { toMedusaOrder } from './medusa-order.ts';
import { presentation } from './presentation.ts';

/** How many recent orders auth answers embed (Medusa embeds `orders`); the full history pages via `/customers/me/orders`. */
const ORDERS_IN_AUTH_ANSWERS = 10;

export const accountDeps = (ctx: RequestContext): AccountDeps => ({
	db: ctx.runtime.db,
	options: ctx.runtime.options,
	mailer: ctx.runtime.mailer,
});

/** Full Medusa orders by id, in the given order. */
export async function medusaOrders(ctx: RequestContext, ids: string[]) {
	const records = await Promise.all(ids.map((id) => getOrderDetail(ctx.runtime.db, id)));
	return records.flatMap((record) =>
		record ? [toMedusaOrder(record, findRegion(ctx.runtime.options, record.order.regionId), presentation(ctx))] : [],
	);
}

/** The `customer` of an answer; auth answers (`withOrders`) also carry the most recent orders, as Medusa's do. */
export async function customerBody(ctx: RequestContext, customerId: string, withOrders = false) {
	const view = await loadCustomerView(ctx.runtime.db, customerId);
	if (!withOrders) return toMedusaCustomer(view);
	const { ids } = await listOwnOrderIds(ctx.runtime.db, customerId, { limit: ORDERS_IN_AUTH_ANSWERS, offset: 0 });
	return toMedusaCustomer(view, await medusaOrders(ctx, ids));
}

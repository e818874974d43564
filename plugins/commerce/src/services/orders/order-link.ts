import type { Order } from '../../core/orders/index.ts';
import type { ShopPaths } from '../../storefront/paths.ts';

/**
 * Where an email sends the shopper to see an order: a customer's order lives in their account (the guest lookup
 * refuses customer-owned orders), a guest's order behind the lookup page prefilled with number and email.
 */
export function orderPageUrl(
	order: Pick<Order, 'id' | 'customerId' | 'displayId' | 'email'>,
	origin: string,
	paths: Pick<ShopPaths, 'orders' | 'orderLookup'>,
): string {
	if (order.customerId) return new URL(`${paths.orders}${order.id}/`, origin).href;
	const lookup = new URL(paths.orderLookup, origin);
	lookup.searchParams.set('order', String(order.displayId));
	lookup.searchParams.set('email', order.email);
	return lookup.href;
}

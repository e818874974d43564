import type { Order } from '../../db/types.ts';

/**
 * Where an email sends the shopper to see an order: a customer's order lives in their account (the guest lookup
 * refuses customer-owned orders), a guest's order behind the lookup page prefilled with number and email.
 */
export function orderPageUrl(
	order: Pick<Order, 'id' | 'customer_id' | 'display_id' | 'email'>,
	origin: string,
): string {
	if (order.customer_id) return new URL(`/account/orders/${order.id}/`, origin).href;
	const lookup = new URL('/order/lookup/', origin);
	lookup.searchParams.set('order', String(order.display_id));
	lookup.searchParams.set('email', order.email);
	return lookup.href;
}

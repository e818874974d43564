import type { StoreAddress, StoreOrder } from '../client/types.ts';
import { formatAddressLines } from '../core/address-format.ts';

/** Shopper-facing words for an order's state (Medusa's three status fields, contract §2 Order). */
const FULFILLMENT: Record<string, string> = {
	not_fulfilled: 'Being prepared',
	partially_fulfilled: 'Partly packed',
	fulfilled: 'Packed, ready to ship',
	partially_shipped: 'Partly shipped',
	shipped: 'Shipped',
	partially_returned: 'Partly returned',
	returned: 'Returned',
	canceled: 'Canceled',
	requires_action: 'Needs attention',
};

const PAYMENT: Record<string, string> = {
	not_paid: 'Not paid',
	awaiting: 'Authorized',
	captured: 'Paid',
	partially_refunded: 'Partly refunded',
	refunded: 'Refunded',
	canceled: 'Canceled',
	requires_action: 'Needs attention',
};

/** One line for the order's state: canceled orders say so; otherwise shipping progress and payment. */
export function orderStatusText(order: StoreOrder): { shipping: string; payment: string; canceled: boolean } {
	const canceled = order.status === 'canceled';
	return {
		canceled,
		shipping: canceled ? 'Canceled' : (FULFILLMENT[order.fulfillment_status] ?? order.fulfillment_status),
		payment: PAYMENT[order.payment_status] ?? order.payment_status,
	};
}

/** An address as display lines in its country's format (name, street, city line, country). */
export const addressLines = (address: StoreAddress): string[] => formatAddressLines(address);

/** "#1001", "1001" or " 1001 " → 1001; null when it is not an order number. */
export function parseOrderNumber(text: string): number | null {
	const match = /^#?\s*(\d{1,10})$/.exec(text.trim());
	return match ? Number(match[1]) : null;
}

/** "in 2 minutes" / "in 30 seconds" for a Retry-After delay. */
export function retryText(seconds: number): string {
	if (seconds < 90) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	return `in ${minutes} minutes`;
}

import type { FulfillmentStatus, OrderStatus, PaymentStatus } from '../../core/orders/index.ts';

/**
 * Words a merchant reads for an order's states and timeline (issue 13): never Medusa's raw field values
 * (`partially_refunded`, `requires_action`) nor raw minor units ("amount: 500"). The raw values stay in the API and
 * in `data-value` attributes for scripts.
 */

const PAYMENT: Record<PaymentStatus, string> = {
	not_paid: 'Not paid',
	awaiting: 'Authorized',
	captured: 'Paid',
	partially_refunded: 'Partially refunded',
	refunded: 'Refunded',
	canceled: 'Voided',
	requires_action: 'Awaiting customer confirmation',
};

const FULFILLMENT: Record<FulfillmentStatus, string> = {
	not_fulfilled: 'Not packed',
	fulfilled: 'Packed',
	shipped: 'Shipped',
	canceled: 'Canceled',
};

export const paymentLabel = (status: string) => PAYMENT[status as PaymentStatus] ?? humanize(status);
export const fulfillmentLabel = (status: string) => FULFILLMENT[status as FulfillmentStatus] ?? humanize(status);

/**
 * The order's overall state as a merchant says it, following shipping and delivery: an open order reads "Shipped"
 * once shipped, a completed one "Delivered".
 */
export function orderLabel(status: string, fulfillment: string): string {
	switch (status as OrderStatus) {
		case 'canceled':
			return 'Canceled';
		case 'archived':
			return 'Archived';
		case 'completed':
			return 'Delivered';
		case 'requires_action':
			return 'Awaiting payment confirmation';
		default:
			return fulfillment === 'shipped' ? 'Shipped' : fulfillment === 'fulfilled' ? 'Packed' : 'Open';
	}
}

const EVENTS: Record<string, string> = {
	order_placed: 'Order placed',
	payment_captured: 'Payment captured',
	fulfillment_processing: 'Marked as processing',
	order_shipped: 'Shipped',
	order_delivered: 'Delivered',
	order_canceled: 'Order canceled',
	payment_refunded: 'Refund issued',
	payment_failed: 'Payment failed',
	order_archived: 'Archived',
};

export const eventLabel = (type: string) => EVENTS[type] ?? humanize(type);

/** Event data keys holding amounts in minor units, and the words for every key shown. */
const MONEY_KEYS = new Set(['amount', 'total', 'authorized', 'captured', 'released', 'refunded', 'refundable']);
const KEY_LABELS: Record<string, string> = {
	amount: 'Amount',
	total: 'Total',
	authorized: 'Authorized',
	captured: 'Captured',
	released: 'Released',
	refunded: 'Refunded',
	refundable: 'Still refundable',
	carrier: 'Carrier',
	trackingNumber: 'Tracking',
	reason: 'Reason',
	voided: 'Payment voided',
	paymentStatus: 'Payment',
	source: 'Source',
	from: 'From',
};

/**
 * One line of an event's details: "Amount: $5.00, Still refundable: $12.99". Amounts are formatted with `money`,
 * states and yes/no in words; empty values and internal keys (nested objects) are left out.
 */
export function eventDetails(data: Record<string, unknown>, money: (minor: number) => string): string {
	const parts: string[] = [];
	for (const [key, value] of Object.entries(data)) {
		if (value === null || value === undefined || value === '' || typeof value === 'object') continue;
		const label = KEY_LABELS[key] ?? humanize(key);
		let text: string;
		if (typeof value === 'boolean') text = value ? 'yes' : 'no';
		else if (MONEY_KEYS.has(key) && typeof value === 'number') text = money(value);
		else if (key === 'paymentStatus') text = paymentLabel(String(value));
		else if (key === 'from') text = orderLabel(String(value), '');
		else text = String(value);
		parts.push(`${label}: ${text}`);
	}
	return parts.join(', ');
}

/** `some_raw_value` / `someRawValue` → "Some raw value", for a value added later without a label yet. */
function humanize(value: string): string {
	const words = value
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/_/g, ' ')
		.toLowerCase();
	return words.charAt(0).toUpperCase() + words.slice(1);
}

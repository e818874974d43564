/**
 * Orders as the rest of the code sees them: camelCase domain objects with status fields as unions, mapped once from
 * rows in `db/repositories/order-repository.ts`. Amounts are integer minor units of the order's currency.
 */

import type { FulfillmentStatus, OrderEventType, OrderState, OrderStatus, PaymentStatus } from './order-states.ts';

/** Every value of each status field, for validating stored rows and for filter menus. */
export const ORDER_STATUSES: readonly OrderStatus[] = [
	'pending',
	'requires_action',
	'completed',
	'canceled',
	'archived',
];
export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
	'not_paid',
	'awaiting',
	'captured',
	'partially_refunded',
	'refunded',
	'canceled',
	'requires_action',
];
export const FULFILLMENT_STATUSES: readonly FulfillmentStatus[] = ['not_fulfilled', 'fulfilled', 'shipped', 'canceled'];
export const ORDER_EVENT_TYPES: readonly OrderEventType[] = [
	'order_placed',
	'payment_captured',
	'fulfillment_processing',
	'order_shipped',
	'order_delivered',
	'order_canceled',
	'payment_refunded',
	'payment_failed',
	'order_archived',
];

export interface Order {
	id: string;
	/** Sequential number for people (#1001, …). */
	displayId: number;
	cartId: string;
	customerId: string | null;
	/** Lower-case. */
	email: string;
	regionId: string;
	currencyCode: string;
	taxRate: number;
	status: OrderStatus;
	paymentStatus: PaymentStatus;
	fulfillmentStatus: FulfillmentStatus;
	subtotal: number;
	discountTotal: number;
	shippingTotal: number;
	shippingTaxTotal: number;
	itemTaxTotal: number;
	taxTotal: number;
	/** Paid with gift cards; `total` is what remained for the payment. */
	giftCardTotal: number;
	total: number;
	shippingOptionId: string | null;
	shippingMethodName: string | null;
	shippingAddressId: string | null;
	billingAddressId: string | null;
	carrier: string | null;
	trackingNumber: string | null;
	canceledAt: string | null;
	createdAt: string;
	updatedAt: string;
	/** Bumped by every state change; the order service writes only on the version it decided from. */
	version: number;
}

/** One line as bought: title, SKU and prices are a snapshot, never read from the live catalog. */
export interface OrderLine {
	id: string;
	orderId: string;
	variantId: string;
	productId: string;
	sku: string;
	title: string;
	variantTitle: string;
	thumbnail: string | null;
	unitPrice: number;
	quantity: number;
	subtotal: number;
	discountTotal: number;
	taxTotal: number;
	total: number;
	/** Units put back into stock by refunds (`refund_restock`). */
	returnedQuantity: number;
	/** The cart line's metadata (JSON text, as the shopper's storefront set it), e.g. a gift card's recipient. */
	metadata: string | null;
	/** The line sold a gift card (its product is `giftCard: true`); read with the order's detail, not stored. */
	isGiftcard?: boolean;
}

/** The payment of an order: authorized ≥ captured ≥ refunded. Card brand and last 4 only, never the card. */
export interface Payment {
	id: string;
	orderId: string;
	providerId: string;
	/** The provider's id (a PaymentIntent `pi_…`), when it has one. */
	reference: string | null;
	currencyCode: string;
	amount: number;
	amountAuthorized: number;
	amountCaptured: number;
	amountRefunded: number;
	cardBrand: string | null;
	cardLast4: string | null;
	/** What the provider returned last (its own data, parsed). */
	data: Record<string, unknown>;
	capturedAt: string | null;
	canceledAt: string | null;
	createdAt: string;
	updatedAt: string;
}

/** One row of an order's history: every transition writes exactly one, in its transaction. */
export interface OrderEvent {
	id: string;
	orderId: string;
	type: OrderEventType;
	data: Record<string, unknown>;
	/** `checkout`, `customer:<id>`, an admin's email, a payment provider. */
	actor: string;
	createdAt: string;
}

/** An address copied for the order (editing a saved address never changes an order). */
export interface OrderAddress {
	id: string;
	customerId: string | null;
	company: string | null;
	firstName: string | null;
	lastName: string | null;
	address1: string | null;
	address2: string | null;
	city: string | null;
	countryCode: string | null;
	province: string | null;
	postalCode: string | null;
	phone: string | null;
	createdAt: string;
	updatedAt: string;
}

/** An order with everything a receipt, the Store API or the admin shows. */
export interface OrderDetail {
	order: Order;
	lines: OrderLine[];
	payment: Payment | null;
	discounts: { discountId: string; code: string }[];
	/** Oldest first. */
	events: OrderEvent[];
	shippingAddress: OrderAddress | null;
	billingAddress: OrderAddress | null;
}

/** The state machine's view of an order; an order without a payment owed nothing. */
export function orderStateOf(order: Order, payment: Payment | null): OrderState {
	return {
		status: order.status,
		paymentStatus: order.paymentStatus,
		fulfillmentStatus: order.fulfillmentStatus,
		total: order.total,
		amountAuthorized: payment?.amountAuthorized ?? 0,
		amountCaptured: payment?.amountCaptured ?? 0,
		amountRefunded: payment?.amountRefunded ?? 0,
		captureCount: (payment?.amountCaptured ?? 0) > 0 ? 1 : 0,
	};
}

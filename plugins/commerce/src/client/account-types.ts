/**
 * The customer-side objects of the Store API (contract §3.7/§3.8 and this store's wishlist and contact extensions) that
 * the account islands read. Like `types.ts`, only the fields in use are declared.
 */
import type { StoreAddress, StoreOrder } from './types.ts';

/** A saved address of the address book (`customer.shipping_addresses[]`). */
export interface StoreCustomerAddress extends StoreAddress {
	id: string;
}

export interface StoreCustomer {
	id: string;
	email: string;
	first_name: string | null;
	last_name: string | null;
	phone?: string | null;
	shipping_addresses?: StoreCustomerAddress[];
}

/** The kinds of `order.events[]`, in the order an order normally goes through them. */
export type StoreOrderEventType =
	| 'order_placed'
	| 'payment_captured'
	| 'fulfillment_processing'
	| 'order_shipped'
	| 'order_delivered'
	| 'order_canceled'
	| 'payment_refunded';

/** One entry of an order's timeline; `order_shipped` carries `data.carrier` and `data.trackingNumber`. */
export interface StoreOrderEvent {
	type: StoreOrderEventType | (string & {});
	data?: Record<string, unknown> | null;
	created_at: string;
}

/**
 * A tracking step as the server derives it from the events (this store's extension): `detail` holds `carrier` and
 * `tracking_number` when shipped, `voided`/`refunded` (minor units) when canceled, `amount` when refunded.
 */
export interface StoreTimelineStep {
	status: 'placed' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'canceled' | 'refunded';
	label: string;
	done: boolean;
	at: string | null;
	detail?: Record<string, unknown>;
}

/** An order of the signed-in customer: the detail route adds its history and the steps derived from it. */
export interface StoreCustomerOrder extends StoreOrder {
	events?: StoreOrderEvent[];
	timeline?: StoreTimelineStep[];
}

/** Answer of `GET /customers/me/orders`. */
export interface StoreCustomerOrderList {
	orders: StoreCustomerOrder[];
	count: number;
	offset: number;
	limit: number;
}

/** A saved variant with the product data the wishlist page shows (a snapshot the server joins in). */
export interface StoreWishlistItem {
	variant_id: string;
	product_id: string;
	handle: string | null;
	title: string;
	variant_title?: string | null;
	thumbnail?: string | null;
	added_at: string;
}

/** Body of `POST /customers` (register); the server logs the new customer in. */
export interface StoreCustomerCreate {
	first_name: string;
	last_name: string;
	email: string;
	password: string;
}

/**
 * Body of `POST /customers/me`: profile fields, or one credential change, which needs the current password.
 * Changing either signs out the customer's other sessions.
 */
export type StoreCustomerUpdate =
	| { first_name?: string; last_name?: string; phone?: string | null }
	| { email: string; old_password: string }
	| { password: string; old_password: string };

/**
 * Login, register and logout answers. The server rotates the guest cart on each; when it names the cart the browser
 * should use from now on (the guest cart merged into the customer's), the islands adopt it.
 */
export interface StoreSessionResult {
	customer?: StoreCustomer;
	cart_id?: string | null;
	cart?: { id: string } | null;
}

/** Body of `POST /contact`; `website` is the honeypot every human leaves empty. */
export interface StoreContactMessage {
	name: string;
	email: string;
	subject: string;
	message: string;
	website: string;
}

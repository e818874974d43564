/**
 * The subset of the Medusa v1 Store API objects (contract §2) that the islands read. The server sends more fields;
 * declaring only what is used keeps the client honest about its dependencies. Money is integer minor units.
 */

/** One value of a product option, as listed on `product.options[].values`. */
export interface StoreProductOptionValue {
	id?: string;
	value: string;
	option_id?: string;
}

export interface StoreProductOption {
	id: string;
	title: string;
	values: StoreProductOptionValue[];
}

/** A variant's value for one option (`variant.options[]`). */
export interface StoreVariantOptionValue {
	option_id: string;
	value: string;
}

export interface StoreVariant {
	id: string;
	title: string;
	product_id?: string;
	sku?: string | null;
	/** Live stock; the only source of truth for availability on the page. */
	inventory_quantity: number;
	allow_backorder?: boolean;
	manage_inventory?: boolean;
	/** False when the variant cannot be bought in the request's region (no price, inactive). */
	purchasable?: boolean;
	options: StoreVariantOptionValue[];
	/** Price in the pricing context (`region_id`); null without a context. */
	calculated_price?: number | null;
}

export interface StoreImage {
	id?: string;
	url: string;
	metadata?: Record<string, unknown> | null;
}

export interface StoreProductCategory {
	id: string;
	name: string;
	handle: string;
}

export interface StoreProduct {
	id: string;
	title: string;
	subtitle?: string | null;
	handle: string;
	thumbnail?: string | null;
	images?: StoreImage[];
	options: StoreProductOption[];
	variants: StoreVariant[];
	/** Present when the server expands it (contract: categories only via `expand`). */
	categories?: StoreProductCategory[];
}

export interface StoreRegion {
	id: string;
	name: string;
	currency_code: string;
}

/** A country of a region (`region.countries[]`); `iso_2` is lowercase. */
export interface StoreCountry {
	iso_2: string;
	display_name: string;
}

export interface StoreLineItemAdjustment {
	id?: string;
	description?: string;
	amount: number;
}

export interface StoreLineItem {
	id: string;
	/** Product title. */
	title: string;
	/** Variant title, e.g. "M". */
	description?: string | null;
	thumbnail?: string | null;
	unit_price: number;
	quantity: number;
	variant_id: string | null;
	variant?: {
		id: string;
		product_id?: string;
		inventory_quantity?: number;
		product?: { handle?: string | null };
	} | null;
	subtotal: number;
	discount_total: number;
	total: number;
	adjustments?: StoreLineItemAdjustment[];
}

export interface StoreDiscount {
	code: string;
	rule?: { type: 'fixed' | 'percentage' | 'free_shipping'; value: number };
}

export interface StoreShippingMethod {
	id?: string;
	shipping_option_id: string;
	price: number;
	shipping_option?: { id?: string; name: string } | null;
}

export interface StoreShippingOption {
	id: string;
	name: string;
	/** Null only for calculated options the provider has not priced. */
	amount: number | null;
}

/** An address as the API returns it (contract §2 Address); every field may be null. */
export interface StoreAddress {
	first_name?: string | null;
	last_name?: string | null;
	company?: string | null;
	address_1?: string | null;
	address_2?: string | null;
	city?: string | null;
	province?: string | null;
	postal_code?: string | null;
	/** ISO 3166-1 alpha-2, lowercase. */
	country_code?: string | null;
	phone?: string | null;
}

/** The address fields `POST /carts/:id` accepts (`AddressPayload`). */
export type StoreAddressInput = { [K in keyof StoreAddress]?: string | null };

/** Body of `POST /carts/:id` (contract §3.3); only the keys the islands send. */
export interface StoreCartUpdate {
	email?: string;
	region_id?: string;
	discounts?: { code: string }[];
	shipping_address?: StoreAddressInput;
	billing_address?: StoreAddressInput;
}

/** A payment session (contract §2). `data` is provider data: test provider `{ brand, last4, next_action? }`, Stripe `{ client_secret }`. */
export interface StorePaymentSession {
	id?: string;
	provider_id: string;
	status: 'pending' | 'authorized' | 'requires_more' | 'error' | 'canceled';
	is_selected?: boolean | null;
	amount?: number;
	data: Record<string, unknown>;
}

export interface StoreCart {
	id: string;
	email?: string | null;
	region_id: string;
	region?: { id?: string; name?: string; currency_code: string; countries?: StoreCountry[] } | null;
	shipping_address?: StoreAddress | null;
	billing_address?: StoreAddress | null;
	payment_sessions?: StorePaymentSession[];
	/** The selected session, once `POST /carts/:id/payment-session` chose a provider. */
	payment_session?: StorePaymentSession | null;
	items: StoreLineItem[];
	discounts: StoreDiscount[];
	shipping_methods: StoreShippingMethod[];
	subtotal: number;
	discount_total: number;
	shipping_total: number;
	tax_total: number;
	total: number;
	/** Set once the cart became an order; storefronts then forget the cart id. */
	completed_at?: string | null;
}

/** Query of `GET /store/products` (contract §3.1 plus the catalog filters of this store). */
export interface ProductListQuery {
	q?: string;
	handle?: string;
	category_id?: string[];
	/** Minor units. */
	price_min?: number;
	/** Minor units. */
	price_max?: number;
	/** A field name, `-` prefix for descending (Medusa convention). */
	order?: string;
	limit?: number;
	offset?: number;
	region_id?: string;
	expand?: string;
}

export interface ProductListResponse {
	products: StoreProduct[];
	count: number;
	offset: number;
	limit: number;
}

/** A payment provider of `GET /store/payment-config` (this store's extension of the Medusa API). */
export type StorePaymentProvider =
	| { id: 'test'; test_mode: true; test_cards: { number: string; label: string }[] }
	| { id: 'stripe'; publishable_key: string };

export interface StorePaymentConfig {
	providers: StorePaymentProvider[];
}

/** Card details for the test provider (`POST /carts/:id/payment-sessions/test`); never stored by the server. */
export interface StoreTestCardData {
	card_number: string;
	exp_month: number;
	exp_year: number;
	cvc: string;
}

export type StoreOrderStatus = 'pending' | 'completed' | 'archived' | 'canceled' | 'requires_action';

/** An order (contract §2 Order): the fields the confirmation and lookup pages show. */
export interface StoreOrder {
	id: string;
	/** The order number shoppers see, `#1001`. */
	display_id: number;
	status: StoreOrderStatus;
	fulfillment_status: string;
	payment_status: string;
	email: string;
	/** The account the order belongs to; null for a guest order. */
	customer_id?: string | null;
	currency_code: string;
	created_at: string;
	items: StoreLineItem[];
	shipping_address?: StoreAddress | null;
	shipping_methods?: StoreShippingMethod[];
	discounts?: StoreDiscount[];
	subtotal: number;
	discount_total: number;
	shipping_total: number;
	tax_total: number;
	total: number;
}

/** Answer of `POST /carts/:id/complete`: the order, or the cart when the payment needs another step. */
export type StoreCompleteResult = { type: 'order'; data: StoreOrder } | { type: 'cart'; data: StoreCart };

/** Guest order lookup (`GET /store/orders`): all three must match the order. */
export interface StoreOrderLookup {
	display_id: number;
	email: string;
	postal_code: string;
}

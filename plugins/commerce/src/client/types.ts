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
	variant?: { id: string; product_id?: string; inventory_quantity?: number; product?: { handle?: string | null } } | null;
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

export interface StoreCart {
	id: string;
	email?: string | null;
	region_id: string;
	region?: { id?: string; currency_code: string } | null;
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

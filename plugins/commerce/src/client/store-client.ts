import { type RequestOptions, StoreApiError, storeRequest } from './store-request.ts';
import type {
	ProductListQuery,
	ProductListResponse,
	StoreCart,
	StoreCartUpdate,
	StoreCompleteResult,
	StoreOrder,
	StoreOrderLookup,
	StorePaymentConfig,
	StoreProduct,
	StoreProductCategory,
	StoreRegion,
	StoreShippingOption,
} from './types.ts';

export type { RequestOptions };
export { StoreApiError };

type Query = Record<string, string | number | string[] | undefined>;

/** Builds `?a=1&b[]=x&b[]=y` (qs-compatible: the server parses `key[]` as an array); skips empty values. */
function toSearch(query: Query): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (Array.isArray(value)) for (const item of value) params.append(`${key}[]`, item);
		else if (value !== undefined && value !== '') params.append(key, String(value));
	}
	const text = params.toString();
	return text ? `?${text}` : '';
}

/**
 * A small typed fetch client for the Store API (Medusa v1 paths, relative to `baseUrl`). medusa-js would work too,
 * but axios alone is several times the whole product-page JS budget. Every method resolves with the unwrapped
 * resource and throws a `StoreApiError` otherwise.
 */
export function createStoreClient(baseUrl = '/store') {
	const base = baseUrl.replace(/\/+$/, '');

	const request = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object, options?: RequestOptions) =>
		storeRequest<T>(base, method, path, body, options);

	const cartPath = (cartId: string) => `/carts/${encodeURIComponent(cartId)}`;
	const cart = async (promise: Promise<{ cart: StoreCart }>) => (await promise).cart;

	return {
		/** GET /products with filters, sort and paging. */
		listProducts: (query: ProductListQuery = {}, options?: RequestOptions) =>
			request<ProductListResponse>('GET', `/products${toSearch(query as Query)}`, undefined, options),
		/** The product with this handle (Medusa has no retrieve-by-handle: list with `handle`), or null. */
		getProductByHandle: async (handle: string, regionId?: string): Promise<StoreProduct | null> =>
			(await request<ProductListResponse>('GET', `/products${toSearch({ handle, region_id: regionId })}`))
				.products[0] ?? null,
		listCategories: async (): Promise<StoreProductCategory[]> =>
			(await request<{ product_categories: StoreProductCategory[] }>('GET', '/product-categories')).product_categories,
		/** Regions; the first one is the store's default. */
		listRegions: async (): Promise<StoreRegion[]> =>
			(await request<{ regions: StoreRegion[] }>('GET', '/regions')).regions,

		createCart: (body: { region_id?: string } = {}) => cart(request('POST', '/carts', body)),
		/** Rejects with status 404 when the id is unknown. */
		getCart: (cartId: string) => cart(request('GET', cartPath(cartId))),
		/** Email, addresses, region or discount codes (contract §4: codes replace the cart's list). */
		updateCart: (cartId: string, body: StoreCartUpdate) => cart(request('POST', cartPath(cartId), body)),
		addLineItem: (cartId: string, variantId: string, quantity: number) =>
			cart(request('POST', `${cartPath(cartId)}/line-items`, { variant_id: variantId, quantity })),
		/** Quantity 0 removes the line. */
		updateLineItem: (cartId: string, lineId: string, quantity: number) =>
			cart(request('POST', `${cartPath(cartId)}/line-items/${encodeURIComponent(lineId)}`, { quantity })),
		deleteLineItem: (cartId: string, lineId: string) =>
			cart(request('DELETE', `${cartPath(cartId)}/line-items/${encodeURIComponent(lineId)}`)),
		deleteDiscount: (cartId: string, code: string) =>
			cart(request('DELETE', `${cartPath(cartId)}/discounts/${encodeURIComponent(code)}`)),
		/** Options valid for this cart now; fetch again after its items change (they depend on the subtotal). */
		listShippingOptions: async (cartId: string): Promise<StoreShippingOption[]> =>
			(
				await request<{ shipping_options: StoreShippingOption[] }>(
					'GET',
					`/shipping-options/${encodeURIComponent(cartId)}`,
				)
			).shipping_options,
		addShippingMethod: (cartId: string, optionId: string) =>
			cart(request('POST', `${cartPath(cartId)}/shipping-methods`, { option_id: optionId })),

		/** The payment providers the checkout offers (`test` with its test cards, or `stripe` with its publishable key). */
		getPaymentConfig: () => request<StorePaymentConfig>('GET', '/payment-config'),
		/** One session per provider of the cart's region. */
		createPaymentSessions: (cartId: string) => cart(request('POST', `${cartPath(cartId)}/payment-sessions`)),
		/** Selects (and initiates) a provider's session: `cart.payment_session`. */
		setPaymentSession: (cartId: string, providerId: string) =>
			cart(request('POST', `${cartPath(cartId)}/payment-session`, { provider_id: providerId })),
		/** Provider data: card details for `test`, `{ confirm: true }` for its simulated extra confirmation. */
		updatePaymentSession: (cartId: string, providerId: string, data: object) =>
			cart(request('POST', `${cartPath(cartId)}/payment-sessions/${encodeURIComponent(providerId)}`, { data })),
		/** Authorizes the payment and places the order; `type: 'cart'` when the payment needs another step. */
		completeCart: (cartId: string) => request<StoreCompleteResult>('POST', `${cartPath(cartId)}/complete`),

		/** An order this browser placed (recently); 403/404 otherwise. */
		getOrder: async (orderId: string): Promise<StoreOrder> =>
			(await request<{ order: StoreOrder }>('GET', `/orders/${encodeURIComponent(orderId)}`)).order,
		/** Guest lookup by order number, email and postal code; 404 when they do not match, 429 when rate limited. */
		lookupOrder: async ({ display_id, email, postal_code }: StoreOrderLookup): Promise<StoreOrder> =>
			(
				await request<{ order: StoreOrder }>(
					'GET',
					`/orders${toSearch({ display_id, email, 'shipping_address[postal_code]': postal_code })}`,
				)
			).order,
	};
}

/** The client returned by `createStoreClient`. */
export type StoreClient = ReturnType<typeof createStoreClient>;

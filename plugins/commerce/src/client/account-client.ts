import { setSignedIn } from './account-session.ts';
import type {
	StoreContactMessage,
	StoreCustomer,
	StoreCustomerCreate,
	StoreCustomerOrder,
	StoreCustomerOrderList,
	StoreCustomerUpdate,
	StoreSessionResult,
	StoreWishlistItem,
} from './account-types.ts';
import { CART_ID_KEY, refresh } from './cart-store.ts';
import { StoreApiError } from './store-client.ts';
import type { StoreAddressInput, StoreCountry } from './types.ts';

type Method = 'GET' | 'POST' | 'DELETE';

function storage(): Storage | undefined {
	try {
		return localStorage;
	} catch {
		return undefined;
	}
}

/** The cart id this browser keeps, sent with the login so the server can merge the guest cart into the customer's. */
const storedCartId = (): string | undefined => storage()?.getItem(CART_ID_KEY) ?? undefined;

/**
 * After login, register or logout the server rotates the cart. Adopts the cart it names; on logout without one, forgets
 * the customer's cart (it stays with the account). Then the shared cart store reloads, so the header count follows.
 */
export async function syncCart(cartId: string | null | undefined, signedIn: boolean): Promise<void> {
	try {
		if (cartId) storage()?.setItem(CART_ID_KEY, cartId);
		else if (!signedIn) storage()?.removeItem(CART_ID_KEY);
	} catch {
		// Storage unavailable: the reload below still reflects the server's cart for this page.
	}
	await refresh();
}

/** The cart the server says the browser should use after a session change (either spelling), if any. */
const sessionCartId = (result: StoreSessionResult | undefined) => result?.cart_id ?? result?.cart?.id ?? null;

/**
 * Typed calls for the customer side of the Store API: auth (§3.7), customers, addresses, orders (§3.8), and this
 * store's wishlist and contact extensions. The session is the HttpOnly `commerce_session` cookie the server sets, so
 * every call goes with `credentials: 'same-origin'`. Calls resolve with the unwrapped resource and throw a
 * `StoreApiError` otherwise (status 401 when signed out, 429 with `retryAfter` when rate limited).
 */
export function createAccountClient(baseUrl = '/store') {
	const base = baseUrl.replace(/\/+$/, '');

	async function request<T>(method: Method, path: string, body?: object): Promise<T> {
		let response: Response;
		try {
			response = await fetch(base + path, {
				method,
				body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
				headers:
					method === 'GET'
						? { accept: 'application/json' }
						: { accept: 'application/json', 'content-type': 'application/json' },
				credentials: 'same-origin',
			});
		} catch {
			throw new StoreApiError(
				0,
				'network_error',
				'The store could not be reached. Check your connection and try again.',
			);
		}
		// 204: the password-token request answers with no body on purpose (no account enumeration).
		if (response.status === 204) return undefined as T;
		const data = (await response.json().catch(() => null)) as
			| (T & { type?: string; message?: string; code?: string })
			| null;
		// Routes of the signed-in customer reveal the session state: an answer means the cookie is good, a 401 that
		// there is no session (a 401 of the login or the password reset only means wrong credentials or token).
		const sessionRoute = path.startsWith('/customers/me') || (path === '/auth' && method === 'GET');
		if (response.ok && data !== null) {
			if (sessionRoute) setSignedIn(true);
			return data;
		}
		// A wrong current password on an email/password change is a 401 too, from a session that is still good.
		if (response.status === 401 && sessionRoute && data?.code !== 'invalid_old_password') setSignedIn(false);
		const retryAfter = Number(response.headers.get('retry-after'));
		throw new StoreApiError(
			response.status,
			data?.type ?? 'unknown_error',
			data?.message ?? `The store answered ${response.status}. Please try again.`,
			data?.code,
			Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
		);
	}

	const me = '/customers/me';
	const customer = async (promise: Promise<{ customer: StoreCustomer }>) => (await promise).customer;
	const order = async (promise: Promise<{ order: StoreCustomerOrder }>) => (await promise).order;
	const wishlist = async (promise: Promise<{ wishlist: StoreWishlistItem[] }>) => (await promise).wishlist;
	const id = encodeURIComponent;

	return {
		/** Signs in; sends this browser's cart id so the server can merge the guest cart. Resolves with the cart to adopt. */
		async login(
			email: string,
			password: string,
		): Promise<{ customer: StoreCustomer | undefined; cartId: string | null }> {
			const cartId = storedCartId();
			const result = await request<StoreSessionResult>('POST', '/auth', {
				email,
				password,
				...(cartId ? { cart_id: cartId } : {}),
			});
			setSignedIn(true);
			return { customer: result.customer, cartId: sessionCartId(result) };
		},
		/** Creates the account and signs it in (the guest cart goes along, as on login); 422 `duplicate_error` when the email already has one. */
		async register(body: StoreCustomerCreate): Promise<{ customer: StoreCustomer | undefined; cartId: string | null }> {
			const cartId = storedCartId();
			const result = await request<StoreSessionResult>('POST', '/customers', {
				...body,
				...(cartId ? { cart_id: cartId } : {}),
			});
			setSignedIn(true);
			return { customer: result.customer, cartId: sessionCartId(result) };
		},
		/** Ends the session; resolves with the guest cart the server rotated to, if it named one. */
		async logout(): Promise<{ cartId: string | null }> {
			try {
				const result = await request<StoreSessionResult | undefined>('DELETE', '/auth');
				setSignedIn(false);
				return { cartId: sessionCartId(result) };
			} catch (error) {
				// A 401 means there was no session to end; a network failure leaves the session (and the hint) as it was.
				if ((error as StoreApiError).status === 401) setSignedIn(false);
				throw error;
			}
		},
		/** The signed-in customer; 401 when signed out. */
		getSession: () => customer(request('GET', '/auth')),

		getCustomer: () => customer(request('GET', me)),
		/** Profile fields, or a new email/password together with the current password (`old_password`). */
		updateCustomer: (body: StoreCustomerUpdate) => customer(request('POST', me, body)),
		addAddress: (address: StoreAddressInput) => customer(request('POST', `${me}/addresses`, { address })),
		updateAddress: (addressId: string, address: StoreAddressInput) =>
			customer(request('POST', `${me}/addresses/${id(addressId)}`, address)),
		deleteAddress: (addressId: string) => customer(request('DELETE', `${me}/addresses/${id(addressId)}`)),

		/** The caller's orders, newest first. */
		listOrders: (limit: number, offset: number) =>
			request<StoreCustomerOrderList>('GET', `${me}/orders?limit=${limit}&offset=${offset}`),
		/** One of the caller's orders with its `events[]` timeline; 404 for anyone else's. */
		getOrder: (orderId: string) => order(request('GET', `${me}/orders/${id(orderId)}`)),
		/** Cancels an order that has not been fulfilled yet (payment voided or refunded, stock restored). */
		cancelOrder: (orderId: string) => order(request('POST', `${me}/orders/${id(orderId)}/cancel`)),
		/** Emails the customer a link that attaches guest orders placed with their email address. */
		requestOrderClaim: () => request<unknown>('POST', `${me}/orders/claim`),
		/** Confirms the emailed claim token; resolves with the orders it attached. */
		confirmOrderClaim: (token: string) =>
			request<{ orders: StoreCustomerOrder[]; count: number }>('POST', `${me}/orders/claim/confirm`, { token }),

		/** Always resolves (204) for a well-formed email: the answer never tells whether an account exists. */
		requestPasswordReset: (email: string) => request<void>('POST', '/customers/password-token', { email }),
		/** Sets a new password with the emailed token; does not sign in. 401 for a bad, used or expired token. */
		resetPassword: (email: string, token: string, password: string) =>
			customer(request('POST', '/customers/password-reset', { email, token, password })),

		getWishlist: () => wishlist(request('GET', `${me}/wishlist`)),
		addToWishlist: (variantId: string) => wishlist(request('POST', `${me}/wishlist`, { variant_id: variantId })),
		removeFromWishlist: (variantId: string) => wishlist(request('DELETE', `${me}/wishlist/${id(variantId)}`)),

		/** Sends the contact form; 429 with `retryAfter` when the sender is rate limited. */
		sendContactMessage: (message: StoreContactMessage) => request<{ received: boolean }>('POST', '/contact', message),

		/** Every country the store ships to (the regions' countries), for the address book. */
		listCountries: async (): Promise<StoreCountry[]> => {
			const { regions } = await request<{ regions: { countries?: StoreCountry[] }[] }>('GET', '/regions');
			return regions.flatMap((region) => region.countries ?? []);
		},
	};
}

/** The client returned by `createAccountClient`. */
export type AccountClient = ReturnType<typeof createAccountClient>;

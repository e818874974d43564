import { StoreApiError, storeRequest } from './store-request.ts';
import type { StoreCart } from './types.ts';

// The cart state and the calls every page needs (read, create, add a line). The other cart changes (quantities,
// codes, shipping, region) live in cart-actions.ts, which only the cart and checkout pages load: the product page's
// JavaScript budget is 12 KB gz. No Preact here: the product page's islands are class components, so Preact's hooks
// (1 KB gz) load only on pages whose islands use them (`useCart` is in use-cart.ts).

/** localStorage key of the cart id, the name Medusa storefronts use. The id is the capability to the cart. */
export const CART_ID_KEY = 'commerce_cart_id';
// Rewritten after every change: other tabs share the id (so it does not change) but must still refetch the cart.
const CART_STAMP_KEY = 'commerce_cart_stamp';

/**
 * The shopper's region (and so currency), chosen with the storefront's region switcher. Kept in localStorage under
 * this key, beside the cart id: new carts are created in it, the catalog search prices in it, and the switcher
 * re-prices an existing cart (`POST /store/carts/:id {region_id}`). Pages are prerendered in the default region; a
 * tiny script of the site re-renders their prices from the per-currency prices in the HTML.
 */
export const REGION_KEY = 'commerce_region_id';

/** The stored region id, or undefined (default region) on the server, without storage or before a choice. */
export const preferredRegionId = (): string | undefined => storage()?.getItem(REGION_KEY) ?? undefined;
/** Remembers the chosen region for this browser (a site's own switcher; the demo's writes the same key). */
export const setPreferredRegionId = (regionId: string): void => write(REGION_KEY, regionId);

/** A value with change notification: the whole state layer the islands need (nanostores' idea in a few lines). */
export interface Store<T> {
	get(): T;
	set(value: T): void;
	subscribe(listener: (value: T) => void): () => void;
}

/** Creates a `Store`; listeners run synchronously on every `set`. */
export function createStore<T>(initial: T): Store<T> {
	let value = initial;
	const listeners = new Set<(value: T) => void>();
	return {
		get: () => value,
		set(next) {
			value = next;
			for (const listener of listeners) listener(value);
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}

export interface CartState {
	/** The shopper's cart; null when there is none yet (it is created on the first add). */
	cart: StoreCart | null;
	/** False until the stored cart id has been checked, and always false on the server. */
	loaded: boolean;
	/** True while a change is being sent: islands disable their controls. */
	busy: boolean;
}

/** An action's outcome: expected failures (sold out, bad code) are values the caller shows inline. */
export type CartResult = { ok: true; cart: StoreCart } | { ok: false; error: StoreApiError };

/** The state on the server and in every island's first render (hydration must match the prerendered HTML). */
export const INITIAL_CART_STATE: CartState = { cart: null, loaded: false, busy: false };

/** The cart shared by every island of the page (one module instance per page). */
export const cartStore = createStore<CartState>(INITIAL_CART_STATE);

let clientUrl = '/store';
let loading: Promise<void> | undefined;
// Changes run one after another, so each starts from the cart the previous one returned.
let queue: Promise<unknown> = Promise.resolve();

const patch = (next: Partial<CartState>) => cartStore.set({ ...cartStore.get(), ...next });

// Storage can be unavailable (privacy modes, disabled cookies): the cart then lives as long as the page.
function storage(): Storage | undefined {
	try {
		return localStorage;
	} catch {
		return undefined;
	}
}

function write(key: string, value: string | null): void {
	try {
		if (value === null) storage()?.removeItem(key);
		else storage()?.setItem(key, value);
	} catch {
		// Quota or privacy mode: nothing to do, the in-page state is still right.
	}
}

const remember = (cart: StoreCart | null) => write(CART_ID_KEY, cart ? cart.id : null);

/** Uses another Store API base than `/store` (the plugin's `storeBasePath`); call before the first action. */
export function configureCart(storeUrl = '/store'): void {
	clientUrl = storeUrl;
}

/** The Store API base the cart talks to (`configureCart`). */
export const cartStoreUrl = (): string => clientUrl;

/** A Store call that answers `{ cart }`, unwrapped. */
export const cartCall = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<StoreCart> =>
	(await storeRequest<{ cart: StoreCart }>(clientUrl, method, path, body)).cart;

/** `/carts/:id`, escaped. */
export const cartPath = (cartId: string): string => `/carts/${encodeURIComponent(cartId)}`;

/**
 * A restore link of an abandoned-cart email lands on the cart page with `?cart_id=`: that cart becomes this browser's
 * (the id is the capability to a guest cart) and the parameter leaves the address bar.
 */
function adoptLinkedCart(): void {
	if (typeof location === 'undefined' || typeof history === 'undefined') return;
	const url = new URL(location.href);
	const linked = url.searchParams.get('cart_id');
	if (!linked || !/^cart_[A-Za-z0-9]{10,40}$/.test(linked)) return;
	write(CART_ID_KEY, linked);
	url.searchParams.delete('cart_id');
	history.replaceState(history.state, '', url.href);
}

async function fetchStoredCart(): Promise<void> {
	adoptLinkedCart();
	const id = storage()?.getItem(CART_ID_KEY);
	let cart: StoreCart | null = null;
	if (id) {
		try {
			cart = await cartCall('GET', cartPath(id));
		} catch (error) {
			// Unknown cart: forget it. Other failures (offline) keep the id and what the page already shows.
			if ((error as StoreApiError).status === 404) remember(null);
			else cart = cartStore.get().cart;
		}
		if (cart?.completed_at) {
			remember(null);
			cart = null;
		}
	}
	patch({ cart, loaded: true });
}

function onStorage(event: StorageEvent): void {
	if (event.key === CART_ID_KEY || event.key === CART_STAMP_KEY || event.key === null) void refresh();
}

/** Checks the stored cart id once per page (islands call it through `useCart`). */
export function loadCart(): Promise<void> {
	if (typeof window === 'undefined') return Promise.resolve();
	if (!loading) {
		addEventListener('storage', onStorage);
		// A page restored from the back-forward cache kept its old cart state; the cart may have changed since.
		addEventListener('pageshow', (event) => {
			if (event.persisted) void refresh();
		});
		loading = fetchStoredCart();
	}
	return loading;
}

function enqueue<T>(task: () => Promise<T>): Promise<T> {
	const run = queue.then(task, task);
	queue = run.catch(() => undefined);
	return run;
}

/** Runs one change against the current cart (created first when `create` and there is none). */
export function change(send: (cartId: string) => Promise<StoreCart>, create = false): Promise<CartResult> {
	return enqueue(async (): Promise<CartResult> => {
		patch({ busy: true });
		try {
			await loadCart();
			let cart = cartStore.get().cart;
			// A stored id that could not be read earlier (offline) gets one more try before a new cart replaces it.
			if (!cart && storage()?.getItem(CART_ID_KEY)) {
				await fetchStoredCart();
				cart = cartStore.get().cart;
			}
			if (!cart) {
				if (!create) throw new StoreApiError(404, 'not_found', 'Your cart is empty.');
				const region = preferredRegionId();
				cart = await cartCall('POST', '/carts', region ? { region_id: region } : {});
				remember(cart);
			}
			const updated = await send(cart.id);
			patch({ cart: updated });
			write(CART_STAMP_KEY, `${updated.id}:${Date.now()}`);
			return { ok: true, cart: updated };
		} catch (error) {
			if (error instanceof StoreApiError) return { ok: false, error };
			// Not an API answer: a bug. Log it (tests fail on console errors) and still give the shopper a message.
			console.error(error);
			return { ok: false, error: new StoreApiError(0, 'unknown_error', 'Something went wrong. Please try again.') };
		} finally {
			patch({ busy: false });
		}
	});
}

/** Adds a variant (merged with an existing line of it); creates the cart on the first add. */
export const addItem = (variantId: string, quantity: number) =>
	change((id) => cartCall('POST', `${cartPath(id)}/line-items`, { variant_id: variantId, quantity }), true);

/** Fetches the cart again (another tab changed it, or the page came back from the back-forward cache). */
export const refresh = (): Promise<void> => enqueue(fetchStoredCart);

/** Sum of the quantities of all lines (the header badge). */
export const itemCount = (cart: StoreCart | null): number =>
	cart?.items.reduce((sum, item) => sum + item.quantity, 0) ?? 0;

/**
 * Calls `listener` with the cart state now and on every change, and checks the stored cart once per page; returns
 * the unsubscribe. Islands call it after mounting, so their first render is the server's (`INITIAL_CART_STATE`).
 */
export function watchCart(listener: (state: CartState) => void): () => void {
	const unsubscribe = cartStore.subscribe(listener);
	listener(cartStore.get());
	void loadCart();
	return unsubscribe;
}

import { CART_ID_KEY, cartStore } from '../client/cart-store.ts';
import type { StoreClient } from '../client/store-client.ts';
import type { StoreCart, StorePaymentConfig, StorePaymentProvider } from '../client/types.ts';

/** The test provider's cards, shown when `/payment-config` does not list its own. */
export const TEST_CARDS = [
	{ number: '4242 4242 4242 4242', label: 'Payment succeeds' },
	{ number: '4000 0000 0000 9995', label: 'Declined: insufficient funds' },
	{ number: '4000 0000 0000 0002', label: 'Declined: generic decline' },
	{ number: '4000 0025 0000 3155', label: 'Asks for an extra confirmation (3-D Secure)' },
];

/** The provider the checkout uses: Stripe when the store has keys for it, the offline test provider otherwise. */
export function pickProvider(config: StorePaymentConfig | null): StorePaymentProvider | undefined {
	return config?.providers.find((p) => p.id === 'stripe') ?? config?.providers.find((p) => p.id === 'test');
}

/**
 * Makes `providerId` the cart's selected payment session, creating the sessions first when there are none for it
 * (contract §4.7). Returns the cart as the API answered.
 */
export async function selectProvider(client: StoreClient, cart: StoreCart, providerId: string): Promise<StoreCart> {
	if (cart.payment_session?.provider_id === providerId) return cart;
	let next = cart;
	if (!cart.payment_sessions?.some((session) => session.provider_id === providerId))
		next = await client.createPaymentSessions(cart.id);
	// A region with a single provider has its session selected on creation.
	if (next.payment_session?.provider_id === providerId) return next;
	return client.setPaymentSession(cart.id, providerId);
}

/** The test provider's simulated 3-D Secure: the payment waits for the shopper to confirm it. */
export const needsConfirmation = (cart: StoreCart) =>
	cart.payment_session?.status === 'requires_more' && cart.payment_session.data.next_action === 'confirm';

/**
 * Puts a cart the API returned into the shared store, so the summary and the header badge follow. The checkout's
 * own calls bypass the store's queue; the page disables the store's actions (code, shipping) while they run.
 */
export const commitCart = (cart: StoreCart) => cartStore.set({ ...cartStore.get(), cart });

/** After the order is placed: the cart id is spent, so it is forgotten here and (through the storage event) in other tabs. */
export function forgetCart(): void {
	try {
		localStorage.removeItem(CART_ID_KEY);
	} catch {
		// Storage unavailable: the completed cart is dropped on its next load anyway (completed_at is set).
	}
	cartStore.set({ cart: null, loaded: true, busy: false });
}

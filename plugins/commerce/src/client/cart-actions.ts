import { cartCall, cartPath, cartStore, cartStoreUrl, change } from './cart-store.ts';
import { createStoreClient, type StoreClient } from './store-client.ts';

// The cart changes of the cart and checkout pages, apart from cart-store.ts so the product page (which only adds
// lines) does not load them.

/** Sets a line's quantity; 0 removes the line. */
export const updateItem = (lineId: string, quantity: number) =>
	change((id) => cartCall('POST', `${cartPath(id)}/line-items/${encodeURIComponent(lineId)}`, { quantity }));
export const removeItem = (lineId: string) =>
	change((id) => cartCall('DELETE', `${cartPath(id)}/line-items/${encodeURIComponent(lineId)}`));
/**
 * Applies a discount code. Medusa replaces the cart's list with the codes sent and keeps the first non-free-shipping
 * one, so the new code goes first and the codes already applied follow (a free-shipping code stays alongside).
 */
export const applyCode = (code: string) =>
	change((id) => {
		const others = (cartStore.get().cart?.discounts ?? [])
			.filter((d) => d.code !== code)
			.map((d) => ({ code: d.code }));
		return cartCall('POST', cartPath(id), { discounts: [{ code }, ...others] });
	});
export const removeCode = (code: string) =>
	change((id) => cartCall('DELETE', `${cartPath(id)}/discounts/${encodeURIComponent(code)}`));
export const setShipping = (optionId: string) =>
	change((id) => cartCall('POST', `${cartPath(id)}/shipping-methods`, { option_id: optionId }));
/** Moves the cart to another region: every line is re-priced in its currency (the shipping method is cleared). */
export const setRegion = (regionId: string) => change((id) => cartCall('POST', cartPath(id), { region_id: regionId }));

let client: StoreClient | undefined;
let clientBase = '';
/** The Store API client on the cart's base, for reads that are not cart changes (shipping options, payment). */
export function storeClient(): StoreClient {
	if (!client || clientBase !== cartStoreUrl()) {
		clientBase = cartStoreUrl();
		client = createStoreClient(clientBase);
	}
	return client;
}

// Browser-safe helpers: nothing here may import node: modules or server code.
export { currencyDecimals, formatMoney } from '../core/money.ts';
export type { AccountClient } from './account-client.ts';
export { createAccountClient, syncCart } from './account-client.ts';
export { isSignedIn, SESSION_HINT_KEY, setSignedIn } from './account-session.ts';
export type * from './account-types.ts';
export type { TrackData, TrackedEvent } from './analytics.ts';
export { configureAnalytics, track } from './analytics.ts';
export { applyCode, removeCode, removeItem, setRegion, setShipping, storeClient, updateItem } from './cart-actions.ts';
export type { CartResult, CartState, Store } from './cart-store.ts';
export {
	addItem,
	CART_ID_KEY,
	cartStore,
	configureCart,
	createStore,
	itemCount,
	loadCart,
	preferredRegionId,
	REGION_KEY,
	refresh,
	setPreferredRegionId,
	watchCart,
} from './cart-store.ts';
export type { RequestOptions, StoreClient } from './store-client.ts';
export { createStoreClient, StoreApiError } from './store-client.ts';
export type * from './types.ts';
export { useCart } from './use-cart.ts';

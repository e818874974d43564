// Browser-safe helpers: nothing here may import node: modules or server code.
export { formatMoney, currencyDecimals } from '../core/money.ts';
export { createStoreClient, StoreApiError } from './store-client.ts';
export type { RequestOptions, StoreClient } from './store-client.ts';
export {
	CART_ID_KEY,
	addItem,
	applyCode,
	cartStore,
	configureCart,
	createStore,
	itemCount,
	loadCart,
	refresh,
	removeCode,
	removeItem,
	setShipping,
	updateItem,
	useCart,
} from './cart-store.ts';
export type { CartResult, CartState, Store } from './cart-store.ts';
export { configureAnalytics, track } from './analytics.ts';
export type { TrackData, TrackedEvent } from './analytics.ts';
export type * from './types.ts';
export { createAccountClient, syncCart } from './account-client.ts';
export type { AccountClient } from './account-client.ts';
export { SESSION_HINT_KEY, isSignedIn, setSignedIn } from './account-session.ts';
export type * from './account-types.ts';

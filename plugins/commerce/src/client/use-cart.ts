import { useEffect, useState } from 'preact/hooks';
import { type CartState, INITIAL_CART_STATE, watchCart } from './cart-store.ts';

/**
 * The shared cart state, re-rendering on every change. The first render always uses the server state (no cart,
 * not loaded) so hydration matches the prerendered HTML; the real state follows right after. Apart from cart-store.ts
 * so the product page, whose islands are class components, does not load Preact's hooks.
 */
export function useCart(): CartState {
	const [state, setState] = useState(INITIAL_CART_STATE);
	useEffect(() => watchCart(setState), []);
	return state;
}

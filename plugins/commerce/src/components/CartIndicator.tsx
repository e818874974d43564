import { configureCart, itemCount, useCart } from '../client/cart-store.ts';

export interface CartIndicatorProps {
	/** @default '/cart' */
	href?: string;
	/** Store API base. @default '/store' */
	storeUrl?: string;
}

/**
 * The header's cart link with the number of items. Prerendered it is a plain "Cart" link, which is what shoppers
 * without JavaScript keep; the count appears once the stored cart has been read.
 */
export default function CartIndicator({ href = '/cart', storeUrl }: CartIndicatorProps) {
	if (storeUrl) configureCart(storeUrl);
	const count = itemCount(useCart().cart);
	return (
		<a href={href} class="cart-link" data-cart-indicator aria-label={count ? `Cart, ${count} ${count === 1 ? 'item' : 'items'}` : undefined}>
			Cart
			{count > 0 && (
				<span class="cart-link__count" data-cart-count={count}>
					{count}
				</span>
			)}
		</a>
	);
}

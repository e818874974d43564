import { Component } from 'preact';
import { configureAnalytics, track } from '../client/analytics.ts';
import { configureCart, itemCount, watchCart } from '../client/cart-store.ts';

export interface CartIndicatorProps {
	/** @default '/cart' */
	href?: string;
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** Analytics beacon path (the plugin's `analyticsPath`). @default '/analytics/events' */
	analyticsUrl?: string;
}

/**
 * The header's cart link with the number of items. Prerendered it is a plain "Cart" link, which is what shoppers
 * without JavaScript keep; the count appears once the stored cart has been read. A class component, like AddToCart:
 * the islands of the product page need no Preact hooks (its JavaScript budget is 12 KB gz).
 */
export default class CartIndicator extends Component<CartIndicatorProps, { count?: number }> {
	stop?: () => void;

	componentDidMount() {
		this.stop = watchCart(({ cart }) => this.setState({ count: itemCount(cart) }));
		// The header is on every page, so its mount is the page view.
		track('page_view');
	}

	componentWillUnmount() {
		this.stop?.();
	}

	render({ href = '/cart', storeUrl, analyticsUrl }: CartIndicatorProps, { count = 0 }: { count?: number }) {
		if (storeUrl) configureCart(storeUrl);
		if (analyticsUrl) configureAnalytics(analyticsUrl);
		// The name is the visible text plus hidden words ("Cart, 1 item"), never an aria-label that differs from what
		// sighted speech-input users read (axe label-content-name-mismatch).
		return (
			<a href={href} class="cart-link" data-cart-indicator>
				Cart
				{count > 0 && (
					<>
						<span class="visually-hidden">, </span>
						<span class="cart-link__count" data-cart-count={count}>
							{count}
						</span>
						<span class="visually-hidden"> {count === 1 ? 'item' : 'items'}</span>
					</>
				)}
			</a>
		);
	}
}

import { Component } from 'preact';
import { Heart, hint, toLogin } from './wishlist-heart.tsx';

export interface WishlistToggleProps {
	/** The variant to save; the button is disabled until it is known (live product data). */
	variantId: string | undefined;
	/** Names the button for screen readers ("Save Classic Hoodie to wishlist"). */
	productTitle: string;
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** Signed-out shoppers go here, and come back to this page. @default '/account/login/' */
	loginUrl?: string;
}

export { HINT_KEY } from './wishlist-heart.tsx';

/**
 * The wishlist calls the heart needs, without the whole account client (the product page's JavaScript budget is
 * 12 KB gz). Resolves with the saved variant ids; rejects with the HTTP status (401: the session has ended).
 */
async function wishlistIds(storeUrl: string, method: 'GET' | 'POST' | 'DELETE', variantId = ''): Promise<string[]> {
	// fetch sends the session cookie to the same origin by default (`credentials: 'same-origin'`).
	const response = await fetch(
		`${storeUrl}/customers/me/wishlist${method === 'DELETE' ? `/${encodeURIComponent(variantId)}` : ''}`,
		{
			method,
			headers: { 'content-type': 'application/json' },
			body: method === 'GET' ? undefined : JSON.stringify(method === 'POST' ? { variant_id: variantId } : {}),
		},
	);
	if (response.status === 401) hint(true);
	if (!response.ok) throw response.status;
	return ((await response.json()) as { wishlist: { variant_id: string }[] }).wishlist.map((item) => item.variant_id);
}

interface WishlistToggleState {
	saved: string[];
	busy?: boolean;
	failed?: boolean;
}

/**
 * The heart on the product page: saves the chosen variant to the customer's wishlist or removes it (a toggle button,
 * `aria-pressed`). It reads the wishlist only when this browser has signed in; a signed-out click leads to the login
 * page, which returns here. Rendered inside AddToCart, which knows the chosen variant, so it costs no island of its own;
 * AddToCart loads it only for a browser that has signed in (others get the bare heart of wishlist-heart.tsx). A class
 * component, as AddToCart: hooks would add Preact's hooks chunk (1.2 KB gz) to a signed-in shopper's product page.
 */
export default class WishlistToggle extends Component<WishlistToggleProps, WishlistToggleState> {
	state: WishlistToggleState = { saved: [] };

	componentDidMount() {
		if (hint())
			wishlistIds(this.props.storeUrl ?? '/store', 'GET').then(
				(saved) => this.setState({ saved }),
				() => undefined,
			);
	}

	toggle = async () => {
		const { variantId, storeUrl = '/store', loginUrl = '/account/login/' } = this.props;
		if (this.state.busy || !variantId) return;
		const pressed = this.state.saved.includes(variantId);
		this.setState({ busy: true, failed: false });
		try {
			if (!hint()) throw 401;
			this.setState({ saved: await wishlistIds(storeUrl, pressed ? 'DELETE' : 'POST', variantId) });
		} catch (status) {
			if (status === 401) toLogin(loginUrl);
			else this.setState({ failed: true });
		}
		this.setState({ busy: false });
	};

	render({ variantId, productTitle }: WishlistToggleProps, { saved, busy, failed }: WishlistToggleState) {
		const pressed = !!variantId && saved.includes(variantId);
		// The pressed state is the confirmation (filled heart; screen readers announce "pressed"); a failure is said aloud.
		return (
			<>
				<Heart pressed={pressed} disabled={!variantId || !!busy} productTitle={productTitle} onClick={this.toggle} />
				{failed && (
					<p class="form-error wishlist-toggle__error" role="alert">
						The wishlist could not be updated. Please try again.
					</p>
				)}
			</>
		);
	}
}

import { useEffect, useState } from 'preact/hooks';
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
 * 15 KB gz). Resolves with the saved variant ids; rejects with the HTTP status (401: the session has ended).
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

/**
 * The heart on the product page: saves the chosen variant to the customer's wishlist or removes it (a toggle button,
 * `aria-pressed`). It reads the wishlist only when this browser has signed in; a signed-out click leads to the login
 * page, which returns here. Rendered inside AddToCart, which knows the chosen variant, so it costs no island of its own;
 * AddToCart loads it only for a browser that has signed in (others get the bare heart of wishlist-heart.tsx).
 */
export default function WishlistToggle({
	variantId,
	productTitle,
	storeUrl = '/store',
	loginUrl = '/account/login/',
}: WishlistToggleProps) {
	const [saved, setSaved] = useState<string[]>([]);
	const [busy, setBusy] = useState(false);
	const [failed, setFailed] = useState(false);

	useEffect(() => {
		if (hint()) wishlistIds(storeUrl, 'GET').then(setSaved, () => undefined);
	}, []);

	const pressed = !!variantId && saved.includes(variantId);

	async function toggle() {
		if (busy || !variantId) return;
		setBusy(true);
		setFailed(false);
		try {
			if (!hint()) throw 401;
			setSaved(await wishlistIds(storeUrl, pressed ? 'DELETE' : 'POST', variantId));
		} catch (status) {
			if (status === 401) toLogin(loginUrl);
			else setFailed(true);
		}
		setBusy(false);
	}

	// The pressed state is the confirmation (filled heart; screen readers announce "pressed"); a failure is said aloud.
	return (
		<>
			<Heart pressed={pressed} disabled={!variantId || busy} productTitle={productTitle} onClick={toggle} />
			{failed && (
				<p class="form-error wishlist-toggle__error" role="alert">
					The wishlist could not be updated. Please try again.
				</p>
			)}
		</>
	);
}

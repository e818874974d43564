/**
 * `SESSION_HINT_KEY` of client/account-session.ts, repeated rather than imported: a module shared with the account
 * pages becomes a chunk of its own, and the product page has a 12 KB budget. tests/unit/account-ui.test.ts keeps the
 * two equal.
 */
export const HINT_KEY = 'commerce_signed_in';

/** The session hint, read and cleared without account-session.ts (see HINT_KEY). */
export function hint(clear?: boolean): boolean {
	try {
		if (clear) localStorage.removeItem(HINT_KEY);
		return localStorage.getItem(HINT_KEY) === '1';
	} catch {
		return false;
	}
}

export interface HeartProps {
	pressed: boolean;
	disabled: boolean;
	productTitle: string;
	onClick: () => void;
}

/** The wishlist heart's button (a toggle, `aria-pressed`): the same markup signed in (WishlistToggle) and out. */
export function Heart({ pressed, disabled, productTitle, onClick }: HeartProps) {
	return (
		<button type="button" class="wishlist-toggle" aria-pressed={pressed} disabled={disabled} onClick={onClick}>
			<svg aria-hidden="true" viewBox="0 0 24 24">
				<path d="M12 20.5 3.8 12.3a4.9 4.9 0 0 1 7-7l1.2 1.2 1.2-1.2a4.9 4.9 0 0 1 7 7z" />
			</svg>
			<span class="visually-hidden">Save {productTitle} to wishlist</span>
		</button>
	);
}

/** Where a signed-out click on the heart leads: the login page, which returns to this page. */
export const toLogin = (loginUrl: string) =>
	location.assign(`${loginUrl}?next=${encodeURIComponent(location.pathname)}`);

/**
 * localStorage key remembering that this browser signed in. A hint for the UI only (header link, wishlist heart): the
 * session cookie is HttpOnly and the API stays the authority — any 401 of a customer route clears the hint, any answer
 * sets it. It spares signed-out shoppers a `GET /auth` (and its 401) on every page; a header reads it with a few lines
 * of inline script (the demo's Base layout does) instead of an island. Kept tiny: the product page loads it.
 */
export const SESSION_HINT_KEY = 'commerce_signed_in';

/** True when this browser last knew of a customer session (false on the server or without storage). */
export function isSignedIn(): boolean {
	try {
		return localStorage.getItem(SESSION_HINT_KEY) === '1';
	} catch {
		return false;
	}
}

/** Records the session state the API just revealed. */
export function setSignedIn(value: boolean): void {
	try {
		if (value) localStorage.setItem(SESSION_HINT_KEY, '1');
		else localStorage.removeItem(SESSION_HINT_KEY);
	} catch {
		// No storage (server, privacy mode): the API still decides on every request.
	}
}

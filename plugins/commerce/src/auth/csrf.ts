import { readSessionCookie } from './sessions.ts';

/**
 * True for a request the router must refuse as cross-site request forgery: it carries the session cookie, is not
 * authenticated by a valid bearer token, and its `Origin` (or, without one, its `Referer`) names another host than the
 * request's own.
 * Requests without either header (non-browser clients such as medusa-js in Node) pass: a browser always sends
 * `Origin` on a cross-origin POST/DELETE. Hosts are compared rather than full origins so a TLS-terminating proxy
 * (browser on https, server on http) does not break same-site requests; `Origin: null` counts as foreign.
 * Requests with a VALID bearer token are exempt: a page on another site cannot add an `Authorization` header without
 * a CORS preflight (which this API never grants), and it cannot know a token. Any `Bearer` header alone is not enough:
 * a bogus one is anonymous (medusa-js storefronts send `Bearer` with an empty or stale token), so the cookie is what
 * authenticates and the check stays on. `bearerIsValid` is asked only for a cross-site request that has both.
 */
export async function isCrossOriginCookieRequest(
	request: Request,
	url: URL,
	bearerIsValid: () => Promise<boolean>,
): Promise<boolean> {
	if (!readSessionCookie(request.headers.get('cookie'))) return false;
	if (!isCrossOriginRequest(request, url)) return false;
	if (/^Bearer\s/i.test(request.headers.get('authorization') ?? '') && (await bearerIsValid())) return false;
	return true;
}

/**
 * True when a browser says the request comes from another site. Routes that create a session (login, registration)
 * check this even without a cookie: otherwise a page elsewhere could sign a shopper into the attacker's account
 * (login CSRF) with a text/plain form that carries a JSON-looking body.
 */
export function isCrossOriginRequest(request: Request, url: URL): boolean {
	const source = request.headers.get('origin') ?? request.headers.get('referer');
	if (source === null) return false;
	try {
		return new URL(source).host !== url.host;
	} catch {
		return true;
	}
}

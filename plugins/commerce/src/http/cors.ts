/**
 * CORS for the Store API (Medusa v1's `store_cors`): browsers on the listed origins may call it with credentials.
 * Same-origin stays the default (an empty list sends no CORS headers at all); `*` is never sent, because browsers
 * refuse it with credentials and it would hand every site a shopper's session. The admin API never gets CORS.
 */

/** Methods the Store API answers; preflights are granted for these. */
const METHODS = 'GET, HEAD, POST, DELETE, OPTIONS';
/** Headers a storefront sends: medusa-js's own, publishable keys, `Idempotency-Key`, custom headers. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const EXPOSED = 'Idempotency-Key, Idempotent-Replayed, X-Request-Id';

/**
 * The allowed origins: `STORE_CORS` (comma-separated, as Medusa v1 names it) when set, else the `storeCors` option.
 * Each entry is normalized to an origin (`https://shop.example`); a path or trailing slash is dropped.
 */
export function corsOrigins(option: readonly string[], env: NodeJS.ProcessEnv = process.env): Set<string> {
	const raw = env.STORE_CORS?.trim() ? env.STORE_CORS.split(',') : option;
	const origins = new Set<string>();
	for (const entry of raw) {
		const value = entry.trim();
		if (!value || value === '*') continue;
		try {
			origins.add(new URL(value).origin);
		} catch {
			// Not a URL: ignored, as a typo must never open the API wider.
		}
	}
	return origins;
}

/** The request's `Origin` when it is on the list, else null. */
export function allowedOrigin(request: Request, origins: Set<string>): string | null {
	const origin = request.headers.get('origin');
	return origin && origins.has(origin) ? origin : null;
}

/** Answers an `OPTIONS` request: a preflight from an allowed origin is granted; any other gets no CORS headers. */
export function preflightResponse(request: Request, origins: Set<string>): Response {
	const origin = allowedOrigin(request, origins);
	const headers = new Headers({ Allow: METHODS, 'Cache-Control': 'no-store', Vary: 'Origin' });
	if (!request.headers.get('access-control-request-method')) return new Response(null, { status: 204, headers });
	if (!origin) {
		headers.set('Content-Type', 'application/json; charset=utf-8');
		const message = `The origin ${request.headers.get('origin') ?? '(none)'} may not call this Store API from a browser. Add it to STORE_CORS (or the storeCors option).`;
		return new Response(JSON.stringify({ type: 'not_allowed', code: 'cors_origin_not_allowed', message }), {
			status: 403,
			headers,
		});
	}
	const requested = (request.headers.get('access-control-request-headers') ?? '')
		.split(',')
		.map((h) => h.trim())
		.filter((h) => HEADER_NAME.test(h));
	headers.set('Access-Control-Allow-Origin', origin);
	headers.set('Access-Control-Allow-Credentials', 'true');
	headers.set('Access-Control-Allow-Methods', METHODS);
	if (requested.length) headers.set('Access-Control-Allow-Headers', requested.join(', '));
	headers.set('Access-Control-Max-Age', '600');
	return new Response(null, { status: 204, headers });
}

/** Adds the CORS headers for an allowed origin to an actual response (and `Vary: Origin` whenever CORS is on). */
export function withCors(response: Response, request: Request, origins: Set<string>): Response {
	if (!origins.size) return response;
	const origin = allowedOrigin(request, origins);
	let out = response;
	try {
		out.headers.append('Vary', 'Origin');
	} catch {
		out = new Response(response.body, response);
		out.headers.append('Vary', 'Origin');
	}
	if (origin) {
		out.headers.set('Access-Control-Allow-Origin', origin);
		out.headers.set('Access-Control-Allow-Credentials', 'true');
		out.headers.set('Access-Control-Expose-Headers', EXPOSED);
	}
	return out;
}

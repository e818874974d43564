/** Medusa's error `type`s (see the Store API contract, §1.1) and the HTTP status each maps to. */
export const ERROR_STATUS = {
	invalid_data: 400,
	not_allowed: 400,
	unauthorized: 401,
	not_found: 404,
	conflict: 409,
	duplicate_error: 422,
	payment_authorization_error: 422,
	too_many_requests: 429,
	database_error: 500,
	unknown_error: 500,
} as const;

export type StoreErrorType = keyof typeof ERROR_STATUS;

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

/** A JSON response; API answers are per-shopper and live, so never cached. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** A JSON response from text already serialized (hot paths that assemble JSON from cached pieces). */
export function jsonText(text: string, status = 200, headers: Record<string, string> = {}): Response {
	return new Response(text, { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** The Medusa error body `{ type, message, code? }`; `code` is left out when there is none, as Medusa does. */
export function storeError(
	type: StoreErrorType,
	message: string,
	code?: string,
	headers: Record<string, string> = {},
): Response {
	return json(code ? { type, message, code } : { type, message }, ERROR_STATUS[type], headers);
}

/**
 * 405 with `Allow` for a method a path does not take (TRACE, PUT, OPTIONS, …), in the Store error body. `HEAD` is
 * listed wherever `GET` is, because the server answers it.
 */
export function methodNotAllowed(allowed: readonly string[]): Response {
	const list = [...new Set(allowed.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])))];
	return json(
		{
			type: 'not_allowed',
			code: 'method_not_allowed',
			message: `This path does not take that method. Use ${list.join(' or ')}.`,
		},
		405,
		{ Allow: list.join(', ') },
	);
}

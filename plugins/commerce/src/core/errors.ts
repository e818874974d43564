/**
 * Why a use case refused: the failure kinds every layer below `http/` speaks. Services and the core throw
 * `CommerceError` (or return it as a value); only `http/` knows status codes and Medusa's error body, and maps each kind
 * there once (`http/error-mapping.ts`).
 */
export type FailureKind =
	/** The input breaks a rule (wrong shape, out of range, unknown code). */
	| 'invalid'
	/** The thing named does not exist, or the caller may not know it exists. */
	| 'not_found'
	/** The caller is known but may not do this now (wrong state, wrong owner, feature off). */
	| 'not_allowed'
	/** No (valid) credentials. */
	| 'unauthorized'
	/** Known credentials without the right to this (a customer in the admin, a cross-site request, an expired link). */
	| 'forbidden'
	/** The request is larger than this endpoint accepts. */
	| 'too_large'
	/** Another request changed the thing first (a race the caller may retry), or the state forbids it. */
	| 'conflict'
	/** A unique thing already exists (email taken, code taken). */
	| 'duplicate'
	/** The payment provider refused the payment. */
	| 'payment_declined'
	/** Too many attempts; `retryAfterSeconds` says when to try again. */
	| 'rate_limited'
	/** A dependency (payment provider, mail server) could not be reached; nothing was changed. */
	| 'unavailable';

export interface FailureDetails {
	/** For `rate_limited`: seconds until the caller may try again. */
	retryAfterSeconds?: number;
	/** Per-item problems (the lines of an import), answered as `errors` beside the message. */
	errors?: Record<string, unknown>[];
}

/** An expected failure the caller caused or can act on. Anything else that escapes a use case is a bug (a 500). */
export class CommerceError extends Error {
	constructor(
		readonly kind: FailureKind,
		message: string,
		/** A stable machine-readable reason, e.g. `insufficient_inventory`; becomes Medusa's `code`. */
		readonly code?: string,
		readonly details: FailureDetails = {},
	) {
		super(message);
		this.name = 'CommerceError';
	}
}

export const invalid = (message: string, code?: string) => new CommerceError('invalid', message, code);
export const notFound = (message: string, code?: string) => new CommerceError('not_found', message, code);
export const notAllowed = (message: string, code?: string) => new CommerceError('not_allowed', message, code);
export const unauthorized = (message: string, code?: string) => new CommerceError('unauthorized', message, code);
export const forbidden = (message: string, code = 'forbidden') => new CommerceError('forbidden', message, code);
export const conflict = (message: string, code?: string) => new CommerceError('conflict', message, code);
export const duplicate = (message: string, code?: string) => new CommerceError('duplicate', message, code);
export const unavailable = (message: string, code?: string) => new CommerceError('unavailable', message, code);
export const rateLimited = (message: string, retryAfterSeconds: number) =>
	new CommerceError('rate_limited', message, 'rate_limited', { retryAfterSeconds });

import type { StoreErrorType } from './respond.ts';

/**
 * An expected failure a client caused or can act on; the router turns it into Medusa's error body.
 * Services throw it; anything else that escapes a handler is an unexpected 500.
 */
export class StoreError extends Error {
	constructor(
		readonly type: StoreErrorType,
		message: string,
		readonly code?: string,
		/** Overrides the status that `type` maps to (e.g. 413 for an oversized body). */
		readonly status?: number,
		/** Extra response headers, e.g. `Retry-After` on a 429. */
		readonly headers?: Record<string, string>,
	) {
		super(message);
		this.name = 'StoreError';
	}
}

export const notFound = (message: string) => new StoreError('not_found', message);
export const invalidData = (message: string, code?: string) => new StoreError('invalid_data', message, code);
export const notAllowed = (message: string, code?: string) => new StoreError('not_allowed', message, code);

/** 429 with `Retry-After`: the client may try again after that many seconds. */
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
	new StoreError('too_many_requests', message, 'rate_limited', undefined, { 'Retry-After': String(retryAfterSeconds) });

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
	) {
		super(message);
		this.name = 'StoreError';
	}
}

export const notFound = (message: string) => new StoreError('not_found', message);
export const invalidData = (message: string, code?: string) => new StoreError('invalid_data', message, code);
export const notAllowed = (message: string, code?: string) => new StoreError('not_allowed', message, code);

import type { CommerceError, FailureKind } from '../core/errors.ts';
import type { StoreErrorType } from './respond.ts';

/** Medusa's error `type` and the HTTP status for each domain failure kind: the one place that decides it. */
const MAPPING: Record<FailureKind, { type: StoreErrorType; status: number }> = {
	invalid: { type: 'invalid_data', status: 400 },
	not_found: { type: 'not_found', status: 404 },
	not_allowed: { type: 'not_allowed', status: 400 },
	unauthorized: { type: 'unauthorized', status: 401 },
	forbidden: { type: 'not_allowed', status: 403 },
	too_large: { type: 'invalid_data', status: 413 },
	conflict: { type: 'conflict', status: 409 },
	duplicate: { type: 'duplicate_error', status: 422 },
	payment_declined: { type: 'payment_authorization_error', status: 422 },
	rate_limited: { type: 'too_many_requests', status: 429 },
	unavailable: { type: 'unknown_error', status: 502 },
};

/** The response parts for a domain failure: status, Medusa body and headers (`Retry-After` on a 429). */
export function mapFailure(error: CommerceError): {
	status: number;
	body: { type: StoreErrorType; message: string; code?: string; errors?: Record<string, unknown>[] };
	headers: Record<string, string>;
} {
	const { type, status } = MAPPING[error.kind];
	const headers: Record<string, string> = {};
	if (error.details.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.details.retryAfterSeconds);
	const body = error.code ? { type, message: error.message, code: error.code } : { type, message: error.message };
	return { status, body: error.details.errors ? { ...body, errors: error.details.errors } : body, headers };
}

// The one fetch wrapper of the Store API clients. Kept apart from store-client.ts (every Store call as one object) so
// the product page's islands load only this and the few calls they make: an object's methods cannot be tree-shaken.

/**
 * A non-2xx answer of the Store API, carrying Medusa's error body (`{ type, message, code? }`), or a network failure
 * (`status` 0, `type` `network_error`). `message` is written for shoppers and is shown inline as it is.
 */
export class StoreApiError extends Error {
	// `declare`: assigned in the constructor, so no class field initialisers are emitted (bytes on every page).
	declare readonly status: number;
	declare readonly type: string;
	declare readonly code: string | undefined;
	/** Seconds from the `Retry-After` header of a 429 (or 503) answer. */
	declare readonly retryAfter: number | undefined;

	constructor(status: number, type: string, message: string, code?: string, retryAfter?: number) {
		super(message);
		this.name = 'StoreApiError';
		this.status = status;
		this.type = type;
		this.code = code;
		this.retryAfter = retryAfter;
	}
}

/** Per-call options; `signal` lets a search abort the request it superseded. */
export interface RequestOptions {
	signal?: AbortSignal;
}

/**
 * Sends one Store API call (`path` relative to the API base, e.g. `/carts`) and resolves with the JSON body; throws a
 * `StoreApiError` on a non-2xx answer or a network failure.
 */
export async function storeRequest<T>(
	base: string,
	method: 'GET' | 'POST' | 'DELETE',
	path: string,
	body?: object,
	options: RequestOptions = {},
): Promise<T> {
	let response: Response;
	try {
		response = await fetch(base.replace(/\/+$/, '') + path, {
			method,
			// Medusa clients send a JSON body on every POST and DELETE, `{}` when there is no payload.
			body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
			headers:
				method === 'GET'
					? { accept: 'application/json' }
					: { accept: 'application/json', 'content-type': 'application/json' },
			credentials: 'same-origin',
			signal: options.signal,
		});
	} catch (error) {
		if ((error as Error).name === 'AbortError') throw error;
		throw new StoreApiError(0, 'network_error', 'The store could not be reached. Check your connection and try again.');
	}
	type ErrorBody = { type?: string; message?: string; code?: string };
	const data = (await response.json().catch(() => null)) as (T & ErrorBody & { errors?: ErrorBody[] }) | null;
	if (!response.ok || data === null) {
		// Completion reports stock shortages as `{ errors: [{ message, type, code }] }` (contract §3.3).
		const body = data?.message ? data : (data?.errors?.[0] ?? data);
		const retryAfter = Number(response.headers.get('retry-after'));
		throw new StoreApiError(
			response.status,
			body?.type ?? 'unknown_error',
			body?.message ?? `The store answered ${response.status}. Please try again.`,
			body?.code,
			Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
		);
	}
	return data;
}

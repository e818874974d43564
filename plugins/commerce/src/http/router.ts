import { isCrossOriginCookieRequest, isCrossOriginRequest } from '../auth/csrf.ts';
import { CommerceError } from '../core/errors.ts';
import { logger } from '../log/logger.ts';
import { noteMatchedRoute } from '../log/request-log.ts';
import type { CommerceRuntime } from '../runtime/commerce-runtime.ts';
import { beginIdempotentRequest, finishIdempotentRequest, hashRequest } from '../services/idempotency.ts';
import { mapFailure } from './error-mapping.ts';
import { parseJsonObject, parseQuery, readBodyText } from './request.ts';
import { json, storeError } from './respond.ts';
import { StoreError } from './store-error.ts';

export type Method = 'GET' | 'POST' | 'DELETE';

/** Everything a handler gets: decoded path params, parsed query, a lazily read body, and the runtime. */
export interface HandlerContext {
	request: Request;
	url: URL;
	params: Record<string, string>;
	query: Record<string, unknown>;
	body: () => Promise<Record<string, unknown>>;
	runtime: CommerceRuntime;
	/** Client address as seen by the server (for rate limits and audit, never for pricing). */
	clientAddress: string | undefined;
	/** Adds a `Set-Cookie` to the response, whatever the handler returns or throws (sessions slide on any route). */
	setCookie: (cookie: string) => void;
}

/** A handler returns a JSON-able body (200) or a full Response. */
export type Handler = (ctx: HandlerContext) => Promise<unknown | Response>;

export interface Route {
	method: Method;
	/** Relative to the API base, e.g. `/carts/:id/line-items/:line_id`. */
	path: string;
	handler: Handler;
	/**
	 * Whether `Idempotency-Key` replays apply (default true). Off for answers that belong to the caller's session
	 * (login, customer data): a replay would skip authentication and rate limits and would drop `Set-Cookie`.
	 */
	idempotent?: boolean;
	/**
	 * Refuse cross-site browser requests even without a session cookie (routes that create a session: login CSRF).
	 * Every POST/DELETE carrying the session cookie is checked anyway.
	 */
	sameOrigin?: boolean;
}

interface CompiledRoute extends Route {
	segments: string[];
}

/** The route table of one API base: matching, 404/405, body limits and error mapping live here once. */
export function createRouter(routes: Route[], opts: { name?: string } = {}) {
	const name = opts.name ?? 'Store API';
	const compiled: CompiledRoute[] = routes.map((r) => ({ ...r, segments: r.path.split('/').filter(Boolean) }));

	function match(
		method: string,
		path: string,
	): { route?: CompiledRoute; params: Record<string, string>; allowed: string[] } {
		let segments: string[];
		try {
			// Decode each segment separately so an encoded "/" stays inside its segment.
			segments = path
				.split('/')
				.filter(Boolean)
				.map((s) => decodeURIComponent(s));
		} catch {
			throw new StoreError('invalid_data', 'The URL contains an invalid percent-encoding.', 'invalid_path');
		}
		const allowed: string[] = [];
		for (const route of compiled) {
			if (route.segments.length !== segments.length) continue;
			const params: Record<string, string> = {};
			const ok = route.segments.every((part, i) => {
				if (part.startsWith(':')) {
					params[part.slice(1)] = segments[i];
					return true;
				}
				return part === segments[i];
			});
			if (!ok) continue;
			if (route.method === method) return { route, params, allowed };
			allowed.push(route.method);
		}
		return { params: {}, allowed };
	}

	return {
		routes: compiled as readonly Route[],
		async handle(args: {
			request: Request;
			path: string;
			runtime: () => Promise<CommerceRuntime>;
			clientAddress?: string;
		}): Promise<Response> {
			const { request } = args;
			try {
				const method = request.method === 'HEAD' ? 'GET' : request.method;
				const found = match(method, args.path);
				if (!found.route) {
					if (found.allowed.length) {
						return storeError('not_allowed', `Use ${found.allowed.join(' or ')} for this path.`, 'method_not_allowed', {
							Allow: found.allowed.join(', '),
						});
					}
					return storeError('not_found', `No ${name} route ${request.method} ${args.path}.`);
				}
				// The route pattern labels the access line and the request metrics (never the raw path: ids).
				noteMatchedRoute(found.route.path);
				let runtime: CommerceRuntime;
				try {
					runtime = await args.runtime();
				} catch (error) {
					logger().error({ err: error }, '[commerce] the store could not start');
					return json(
						{
							type: 'database_error',
							code: 'api_error',
							message: 'The store database is not available; see the server log.',
						},
						503,
					);
				}
				const url = new URL(request.url);
				const route = found.route;
				const crossSite = route.sameOrigin
					? isCrossOriginRequest(request, url)
					: isCrossOriginCookieRequest(request, url);
				if ((method === 'POST' || method === 'DELETE') && crossSite) {
					return errorResponse(
						new StoreError(
							'not_allowed',
							"This request came from another site, so it was refused: sign-in, account and cart changes are only accepted from this store's own pages.",
							'cross_origin_request',
							403,
						),
					);
				}
				const rawBody = method === 'GET' ? '' : await readBodyText(request);
				let parsedBody: Record<string, unknown> | undefined;
				const cookies: string[] = [];
				const run = async (): Promise<Response> => {
					let response: Response;
					try {
						const result = await route.handler({
							request,
							url,
							params: found.params,
							query: parseQuery(url.search),
							body: async () => (parsedBody ??= parseJsonObject(rawBody)),
							runtime,
							clientAddress: args.clientAddress,
							setCookie: (cookie) => cookies.push(cookie),
						});
						response = result instanceof Response ? result : json(result);
					} catch (error) {
						response = errorResponse(error);
					}
					if (!cookies.length) return response;
					const headers = new Headers(response.headers);
					for (const cookie of cookies) headers.append('Set-Cookie', cookie);
					return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
				};
				const key = request.headers.get('idempotency-key')?.trim();
				if (method === 'GET' || !key || route.idempotent === false) return await run();
				return await withIdempotency(
					runtime,
					key,
					`${method} ${args.path}`,
					hashRequest(method, args.path, rawBody),
					run,
				);
			} catch (error) {
				return errorResponse(error);
			}
		},
	};
}

/**
 * Replays the stored response of a retried mutation (medusa-js sends a fresh Idempotency-Key per call and reuses it on
 * its own retries). The key is scoped to method + path, and the path names the cart.
 */
async function withIdempotency(
	runtime: CommerceRuntime,
	key: string,
	scope: string,
	requestHash: string,
	run: () => Promise<Response>,
): Promise<Response> {
	if (key.length > 255)
		throw new StoreError('invalid_data', 'Idempotency-Key must be at most 255 characters.', 'invalid_idempotency_key');
	const start = await beginIdempotentRequest(runtime.db, key, scope, requestHash);
	const echo = { 'Idempotency-Key': key };
	switch (start.kind) {
		case 'replay':
			return new Response(start.body, {
				status: start.status,
				headers: {
					'Content-Type': 'application/json; charset=utf-8',
					'Cache-Control': 'no-store',
					'Idempotent-Replayed': 'true',
					...echo,
				},
			});
		case 'in_progress':
			return storeError(
				'conflict',
				'A request with this Idempotency-Key is still being processed. Retry in a moment.',
				'invalid_state_error',
				echo,
			);
		case 'different_request':
			return new Response(
				JSON.stringify({
					type: 'invalid_data',
					code: 'idempotency_key_reused',
					message:
						'This Idempotency-Key was already used for a different request body. Use a new key for a new request.',
				}),
				{
					status: 422,
					headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...echo },
				},
			);
		case 'new': {
			const response = await run();
			const body = await response.text();
			await finishIdempotentRequest(runtime.db, key, scope, response.status, body);
			const headers = new Headers(response.headers);
			headers.set('Idempotency-Key', key);
			return new Response(body, { status: response.status, headers });
		}
	}
}

/** Maps a thrown error to Medusa's body: StoreErrors as they are, anything else as a logged 500. */
export function errorResponse(error: unknown): Response {
	if (error instanceof CommerceError) {
		const { status, body, headers } = mapFailure(error);
		return json(body, status, headers);
	}
	if (error instanceof StoreError) {
		const response = storeError(error.type, error.message, error.code, error.headers);
		return error.status ? new Response(response.body, { status: error.status, headers: response.headers }) : response;
	}
	logger().error({ err: error }, '[commerce] unexpected error');
	return json({ type: 'unknown_error', code: 'unknown_error', message: 'An unknown error occurred.' }, 500);
}

import type { CommerceRuntime } from '../runtime/commerce-runtime.ts';
import { json, storeError } from './respond.ts';
import { parseQuery, readJsonBody } from './request.ts';
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
}

/** A handler returns a JSON-able body (200) or a full Response. */
export type Handler = (ctx: HandlerContext) => Promise<unknown | Response>;

export interface Route {
	method: Method;
	/** Relative to the API base, e.g. `/carts/:id/line-items/:line_id`. */
	path: string;
	handler: Handler;
}

interface CompiledRoute extends Route {
	segments: string[];
}

/** The route table of one API base: matching, 404/405, body limits and error mapping live here once. */
export function createRouter(routes: Route[]) {
	const compiled: CompiledRoute[] = routes.map((r) => ({ ...r, segments: r.path.split('/').filter(Boolean) }));

	function match(method: string, path: string): { route?: CompiledRoute; params: Record<string, string>; allowed: string[] } {
		let segments: string[];
		try {
			// Decode each segment separately so an encoded "/" stays inside its segment.
			segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
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
		async handle(args: { request: Request; path: string; runtime: () => Promise<CommerceRuntime>; clientAddress?: string }): Promise<Response> {
			const { request } = args;
			try {
				const method = request.method === 'HEAD' ? 'GET' : request.method;
				const found = match(method, args.path);
				if (!found.route) {
					if (found.allowed.length) {
						return storeError('not_allowed', `Use ${found.allowed.join(' or ')} for this path.`, 'method_not_allowed', { Allow: found.allowed.join(', ') });
					}
					return storeError('not_found', `No Store API route ${request.method} ${args.path}.`);
				}
				let runtime: CommerceRuntime;
				try {
					runtime = await args.runtime();
				} catch (error) {
					console.error('[commerce] the store could not start:', error);
					return json({ type: 'database_error', code: 'api_error', message: 'The store database is not available; see the server log.' }, 503);
				}
				const url = new URL(request.url);
				let bodyPromise: Promise<Record<string, unknown>> | undefined;
				const result = await found.route.handler({
					request,
					url,
					params: found.params,
					query: parseQuery(url.search),
					body: () => (bodyPromise ??= readJsonBody(request)),
					runtime,
					clientAddress: args.clientAddress,
				});
				return result instanceof Response ? result : json(result);
			} catch (error) {
				return errorResponse(error);
			}
		},
	};
}

/** Maps a thrown error to Medusa's body: StoreErrors as they are, anything else as a logged 500. */
export function errorResponse(error: unknown): Response {
	if (error instanceof StoreError) {
		const response = storeError(error.type, error.message, error.code);
		return error.status ? new Response(response.body, { status: error.status, headers: response.headers }) : response;
	}
	console.error('[commerce] unexpected error:', error);
	return json({ type: 'unknown_error', code: 'unknown_error', message: 'An unknown error occurred.' }, 500);
}

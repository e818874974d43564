import type { z } from 'zod';
import { isCrossOriginCookieRequest, isCrossOriginRequest } from '../auth/csrf.ts';
import { hasValidBearer } from '../auth/request-auth.ts';
import { CommerceError, forbidden, invalid } from '../core/errors.ts';
import { logger } from '../log/logger.ts';
import { noteMatchedRoute } from '../log/request-log.ts';
import type { ResolvedOptions } from '../options.ts';
import type { CommerceRuntime } from '../runtime/commerce-runtime.ts';
import { beginIdempotentRequest, finishIdempotentRequest, hashRequest } from '../services/idempotency.ts';
import { mapFailure } from './error-mapping.ts';
import { publicOrigin } from './public-origin.ts';
import { parseInput, parseJsonObject, parseQuery, readBodyText } from './request.ts';
import { json, methodNotAllowed, storeError } from './respond.ts';

export type Method = 'GET' | 'POST' | 'DELETE';

/** What every step of a request sees before its input is validated: the request, decoded path params, the runtime. */
export interface RequestContext {
	request: Request;
	url: URL;
	/** The origin links in emails use: Astro's `site` when configured, else the origin the request reached. */
	shopOrigin: string;
	params: Record<string, string>;
	runtime: CommerceRuntime;
	/** Client address as seen by the server (for rate limits and audit, never for pricing). */
	clientAddress: string | undefined;
	/** Adds a `Set-Cookie` to the response, whatever the handler returns or throws (sessions slide on any route). */
	setCookie: (cookie: string) => void;
}

/**
 * What a handler gets: the request context plus its input, already validated by the router against the route's
 * schemas (`undefined` when the route declares none), and what the route's `before` step returned (e.g. who calls).
 */
export interface HandlerContext<Body = undefined, Query = undefined, Auth = undefined> extends RequestContext {
	body: Body;
	query: Query;
	auth: Auth;
}

/**
 * A zod schema, or a function building one from the store's options (for rules that depend on configuration, such as
 * region ids). A function is called per request, so it should cache per options object.
 */
export type SchemaSource<T> =
	| z.ZodType<T, z.ZodTypeDef, unknown>
	| ((options: ResolvedOptions) => z.ZodType<T, z.ZodTypeDef, unknown>);

interface RouteSettings {
	method: Method;
	/** Relative to the API base, e.g. `/carts/:id/line-items/:line_id`. */
	path: string;
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
	/**
	 * `text`: the body schema validates the raw body text (a CSV upload) instead of a JSON object. @default 'json'
	 */
	bodyFormat?: 'json' | 'text';
	/** The largest body accepted (413 beyond it). @default 64 KiB */
	maxBodyBytes?: number;
}

/**
 * A route as it is written beside its handler (Medusa v2 style): the schemas of its JSON body and query string, an
 * optional `before` step, and the handler, which receives typed, validated input and never parses anything itself.
 */
export interface RouteDefinition<Body, Query, Auth> extends RouteSettings {
	/** The JSON body (an object); without it the body is not read. Unknown keys follow the schema (strip or strict). */
	body?: SchemaSource<Body>;
	/** The query string as `qs` parses it (`a[0]=x`, `b[gt]=1`); without it the query is ignored. */
	query?: SchemaSource<Query>;
	/**
	 * Runs before the input is validated: authentication, access checks, rate limits that count every attempt. So an
	 * anonymous caller gets 401 (not a 400 about its body) and a refused one learns nothing about the schema. Its
	 * result is the handler's `auth`.
	 */
	before?: (ctx: RequestContext) => Promise<Auth>;
	/** Returns a JSON-able body (200) or a full Response. */
	handler: (ctx: HandlerContext<Body, Query, Auth>) => Promise<unknown>;
}

/** A route of a table, its input types erased; build one with `defineRoute`. */
export interface Route extends RouteSettings {
	body?: SchemaSource<unknown>;
	query?: SchemaSource<unknown>;
	before?: (ctx: RequestContext) => Promise<unknown>;
	handler: (ctx: HandlerContext<unknown, unknown, unknown>) => Promise<unknown>;
}

/**
 * Declares a route; the types of `ctx.body`, `ctx.query` and `ctx.auth` in the handler follow from `body`, `query` and
 * `before`. The router validates exactly what the schemas say before the handler runs.
 */
export function defineRoute<Body = undefined, Query = undefined, Auth = undefined>(
	definition: RouteDefinition<Body, Query, Auth>,
): Route {
	// The router passes each handler the output of the route's own schemas and `before`, so erasing is sound.
	return definition as unknown as Route;
}

interface CompiledRoute extends Route {
	segments: string[];
}

/** The route table of one API base: matching, 404/405, body limits and error mapping live here once. */
export function createRouter(routes: Route[], opts: { name?: string; authenticateWrongMethod?: boolean } = {}) {
	const name = opts.name ?? 'Store API';
	const compiled: CompiledRoute[] = routes.map((r) => ({ ...r, segments: r.path.split('/').filter(Boolean) }));

	function match(
		method: string,
		path: string,
	): { route?: CompiledRoute; params: Record<string, string>; allowed: string[]; siblings: CompiledRoute[] } {
		let segments: string[];
		try {
			// Decode each segment separately so an encoded "/" stays inside its segment.
			segments = path
				.split('/')
				.filter(Boolean)
				.map((s) => decodeURIComponent(s));
		} catch {
			throw invalid('The URL contains an invalid percent-encoding.', 'invalid_path');
		}
		const allowed: string[] = [];
		const siblings: CompiledRoute[] = [];
		let siblingParams: Record<string, string> = {};
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
			if (route.method === method) return { route, params, allowed, siblings };
			allowed.push(route.method);
			siblings.push(route);
			siblingParams = params;
		}
		return { params: siblingParams, allowed, siblings };
	}

	return {
		routes: compiled as readonly Route[],
		async handle(args: {
			request: Request;
			path: string;
			runtime: () => Promise<CommerceRuntime>;
			clientAddress?: string;
			/** Origins allowed by CORS (Store API only): their browser requests count as this site's own. */
			trustedOrigins?: ReadonlySet<string>;
		}): Promise<Response> {
			const { request } = args;
			try {
				const method = request.method === 'HEAD' ? 'GET' : request.method;
				const found = match(method, args.path);
				if (!found.route && !found.allowed.length)
					return storeError('not_found', `No ${name} route ${request.method} ${args.path}.`);
				// The route pattern labels the access line and the request metrics (never the raw path: ids).
				noteMatchedRoute((found.route ?? found.siblings[0]).path);
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
				if (!found.route) {
					if (!opts.authenticateWrongMethod) return methodNotAllowed(found.allowed);
					return await wrongMethod(found, request, url, runtime, args);
				}
				const route = found.route;
				const unsafe = method === 'POST' || method === 'DELETE';
				// Origins the merchant allowed for storefronts on another site (storeCors) are not cross-site.
				const trusted = args.trustedOrigins?.has(request.headers.get('origin') ?? '') ?? false;
				const crossSite =
					unsafe &&
					!trusted &&
					(route.sameOrigin
						? isCrossOriginRequest(request, url)
						: await isCrossOriginCookieRequest(request, url, () => hasValidBearer(runtime.db, request)));
				if (crossSite) {
					return errorResponse(
						forbidden(
							"This request came from another site, so it was refused: sign-in, account and cart changes are only accepted from this store's own pages.",
							'cross_origin_request',
						),
					);
				}
				const rawBody = method === 'GET' ? '' : await readBodyText(request, route.maxBodyBytes);
				const cookies: string[] = [];
				const context: RequestContext = {
					request,
					url,
					shopOrigin: publicOrigin(runtime.options, url),
					params: found.params,
					runtime,
					clientAddress: args.clientAddress,
					setCookie: (cookie) => cookies.push(cookie),
				};
				const run = async (): Promise<Response> => {
					let response: Response;
					try {
						const result = await route.handler(await routeInput(route, context, rawBody));
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
 * An admin path asked with a method it does not take (TRACE, PUT, OPTIONS, …): 405 with `Allow`, but only after the
 * path's own `before` step (authentication, role), so an anonymous caller learns nothing more than 401 tells. The Store
 * API answers 405 at once (its `before` steps count rate limits, which a wrong method must not spend).
 */
async function wrongMethod(
	{ siblings, allowed, params }: { siblings: Route[]; allowed: string[]; params: Record<string, string> },
	request: Request,
	url: URL,
	runtime: CommerceRuntime,
	args: { path: string; clientAddress?: string },
): Promise<Response> {
	const guard = siblings.find((r) => r.before)?.before;
	if (guard) {
		try {
			await guard({
				request,
				url,
				params,
				runtime,
				clientAddress: args.clientAddress,
				shopOrigin: publicOrigin(runtime.options, url),
				// A refreshed session cookie can wait for the next real request.
				setCookie: () => {},
			});
		} catch (error) {
			return errorResponse(error);
		}
	}
	return methodNotAllowed(allowed);
}

/** Runs the route's `before` step, then validates its query and body: the one place input is parsed. */
async function routeInput(
	route: Route,
	context: RequestContext,
	rawBody: string,
): Promise<HandlerContext<unknown, unknown, unknown>> {
	const auth = route.before ? await route.before(context) : undefined;
	const options = context.runtime.options;
	const query = route.query ? parseInput(schemaOf(route.query, options), parseQuery(context.url.search)) : undefined;
	const raw = route.bodyFormat === 'text' ? rawBody : route.body ? parseJsonObject(rawBody) : undefined;
	const body = route.body ? parseInput(schemaOf(route.body, options), raw) : undefined;
	return { ...context, auth, query, body };
}

const schemaOf = (source: SchemaSource<unknown>, options: ResolvedOptions) =>
	typeof source === 'function' ? source(options) : source;

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
	if (key.length > 255) throw invalid('Idempotency-Key must be at most 255 characters.', 'invalid_idempotency_key');
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

/** Maps a thrown error to Medusa's body: domain failures through `mapFailure`, anything else as a logged 500. */
export function errorResponse(error: unknown): Response {
	if (error instanceof CommerceError) {
		const { status, body, headers } = mapFailure(error);
		return json(body, status, headers);
	}
	logger().error({ err: error }, '[commerce] unexpected error');
	return json({ type: 'unknown_error', code: 'unknown_error', message: 'An unknown error occurred.' }, 500);
}

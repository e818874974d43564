import { randomUUID } from 'node:crypto';
import { observeHttpRequest } from '../metrics/registry.ts';
import { processState, type RequestContext } from '../runtime/process-state.ts';
import { logger } from './logger.ts';

// One access line and one metrics sample per request, written by whoever sees the request first: the `commerce serve`
// wrapper (every request, static files included) or, when a site runs `node dist/server/entry.mjs`, the plugin's
// middleware (every on-demand route: Store API, admin, webhooks, metrics).

export const REQUEST_ID_HEADER = 'X-Request-Id';

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;
/** Probes answer every second from each balancer; their successes are logged at `debug` so they do not drown the log. */
const PROBES = /\/health(\/ready)?$|^\/metrics$/;

/**
 * The request's id: the one a trusted proxy sent (`TRUST_PROXY=1`, same rule as for `X-Forwarded-For`) when it looks
 * like an id, otherwise a new UUID. A client cannot choose the id that ties log lines together.
 */
export function requestIdFor(incoming: string | null | undefined, env: NodeJS.ProcessEnv = process.env): string {
	if (env.TRUST_PROXY === '1' && incoming && INCOMING_ID.test(incoming)) return incoming;
	return randomUUID();
}

/** The pathname as logged: decoded (so the email scrub sees `@`), at most 200 characters, never the query string. */
export function loggedPath(url: string): string {
	const pathname = url.split('?')[0].split('#')[0] || '/';
	let decoded = pathname;
	try {
		decoded = decodeURIComponent(pathname);
	} catch {
		// A malformed escape is logged as it came.
	}
	return decoded.length > 200 ? `${decoded.slice(0, 200)}…` : decoded;
}

export function newRequestContext(
	method: string,
	url: string,
	incomingId: string | null | undefined,
	owner: RequestContext['owner'],
): RequestContext {
	return {
		id: requestIdFor(incomingId),
		method,
		path: loggedPath(url),
		startedAt: performance.now(),
		owner,
	};
}

/**
 * Runs background work (start-up, a scheduled backup) under an id of its own, as if it were a request: every log line
 * it writes carries a `reqId` that ties its lines together.
 */
export function runAsTask<T>(name: string, work: () => T): T {
	return runWithRequest(
		{ id: randomUUID(), method: 'TASK', path: name, startedAt: performance.now(), owner: 'server' },
		work,
	);
}

/** Runs `work` with `context` as the current request (log lines written meanwhile carry its id). */
export function runWithRequest<T>(context: RequestContext, work: () => T): T {
	return processState().requests.run(context, work);
}

/** Tells the current request which route of a plugin router matched (`/carts/:id/complete`). */
export function noteMatchedRoute(path: string): void {
	const request = processState().requests.getStore();
	if (request) request.subRoute = path;
}

/** The route label of a request: Astro's pattern, with a plugin router's own match in place of `[...path]`. */
export function routeLabel(context: RequestContext): string {
	const pattern = context.routePattern;
	if (!pattern) return 'static';
	if (context.subRoute && pattern.endsWith('/[...path]'))
		return `${pattern.slice(0, -'/[...path]'.length)}${context.subRoute}`;
	return pattern;
}

/** Writes the access line and records the request's metrics. */
export function finishRequest(context: RequestContext, status: number): void {
	const seconds = (performance.now() - context.startedAt) / 1000;
	const route = routeLabel(context);
	observeHttpRequest(context.method, route, status, seconds);
	const line = {
		reqId: context.id,
		method: context.method,
		path: context.path,
		route,
		status,
		durationMs: Math.round(seconds * 10_000) / 10,
		...(context.fast ? { fast: true } : {}),
	};
	const log = logger();
	if (status >= 500) log.error(line, 'request completed');
	else if (status < 400 && PROBES.test(route === 'static' ? context.path : route)) log.debug(line, 'request completed');
	else log.info(line, 'request completed');
}

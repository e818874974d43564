import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';

/** What is known about the request being handled, readable from any code that runs for it (logs, metrics). */
export interface RequestContext {
	/** Sent back as `X-Request-Id` and written on every log line of the request. */
	id: string;
	method: string;
	/** Pathname only: the query string can carry emails or tokens and is never logged. */
	path: string;
	startedAt: number;
	/**
	 * Who writes the access line and records the request metrics: `server` (the `commerce serve` wrapper, which sees
	 * static files too) or `middleware` (a site served by `node dist/server/entry.mjs`).
	 */
	owner: 'server' | 'middleware';
	/** Astro's route pattern (`/admin/orders/[id]`), set by the middleware; absent for static files. */
	routePattern?: string;
	/** The matched route of a plugin router (`/carts/:id/complete`), relative to the catch-all's base. */
	subRoute?: string;
	/** Answered by `commerce serve`'s fast path, without Astro's pipeline (written on the access line). */
	fast?: boolean;
}

/** Values the metrics endpoint reads at scrape time from the running store (queues, last backup). */
export interface RuntimeGauges {
	emailQueue: { depth: number; oldestAgeSeconds: number };
	analyticsQueue: { depth: number; dropped: number };
	lastBackup: { succeededAt: number | null; bytes: number | null; durationSeconds: number | null };
}

interface ProcessState {
	requests: AsyncLocalStorage<RequestContext>;
	logger?: Logger;
	metrics?: unknown;
	/** Set on SIGTERM: readiness answers 503 so balancers stop sending before the process stops listening. */
	draining: boolean;
	gauges?: () => Promise<RuntimeGauges>;
	/** Work a graceful stop awaits after the last request (e.g. writing queued analytics on PostgreSQL). */
	beforeStop?: Set<() => Promise<unknown>>;
	/** The JSON endpoints `commerce serve` calls without Astro's pipeline (server/fast-routes.ts). */
	fastRoutes?: Map<string, unknown>;
}

const KEY = Symbol.for('@frostbuy/commerce/process-state');

/**
 * State shared by every copy of the plugin's modules in one process. `commerce serve` loads the server wrapper from
 * the package while Astro's bundle carries its own copy of the same modules; a module-level variable would exist
 * twice (two loggers, two metric registries, two request contexts). A well-known global symbol makes it one.
 */
export function processState(): ProcessState {
	const holder = globalThis as unknown as Record<symbol, ProcessState | undefined>;
	holder[KEY] ??= { requests: new AsyncLocalStorage<RequestContext>(), draining: false };
	return holder[KEY];
}

/** The request being handled, if any. */
export function currentRequest(): RequestContext | undefined {
	return processState().requests.getStore();
}

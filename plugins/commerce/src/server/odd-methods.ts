import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { SERVED_BY_COMMERCE } from './deployment-checks.ts';

/** Methods undici's `Request` refuses to construct: Astro would crash on them with a 500 before any route runs. */
export const UNCONSTRUCTIBLE_METHODS: ReadonlySet<string> = new Set(['TRACE', 'TRACK']);

/** Node's own channel, published for every request an `http`/`https` server parses, before its `request` event. */
const REQUEST_START = 'http.server.request.start';

let installed = false;

/**
 * Makes `node dist/server/entry.mjs` answer TRACE like `commerce serve` does: as OPTIONS, which every route answers
 * with 405 + `Allow` (the Store API in its error format). The node adapter turns each request into a fetch `Request`
 * before any plugin code runs, and undici refuses TRACE there, so Astro answered a plain-text 500. Node publishes every
 * parsed request on the `http.server.request.start` diagnostics channel before the server's `request` listener sees
 * it; changing the method there needs no adapter internals and works for every adapter major. The integration imports
 * this from the adapter's server module (see `nodeAdapterServerModule` in astro-compat.ts), so it runs as the server
 * entry loads. Under `commerce serve`, which rewrites the method itself and logs the real one, it does nothing.
 * (TRACK never gets this far: Node's parser answers it 400; CONNECT closes the connection.)
 */
export function rewriteUnconstructibleMethods(): void {
	if (installed || process.env[SERVED_BY_COMMERCE] === '1') return;
	installed = true;
	subscribe(REQUEST_START, (message) => {
		const request = (message as { request?: IncomingMessage }).request;
		if (request?.method && UNCONSTRUCTIBLE_METHODS.has(request.method)) request.method = 'OPTIONS';
	});
}

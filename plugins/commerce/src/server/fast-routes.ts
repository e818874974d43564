import type { APIContext } from 'astro';
import { processState } from '../runtime/process-state.ts';

/**
 * What the plugin's JSON endpoints read of Astro's context, and all that `commerce serve`'s fast path gives them: an
 * endpoint typed with this context cannot start reading cookies or locals that only Astro's pipeline provides.
 */
export type EndpointContext = Pick<APIContext, 'request' | 'params' | 'clientAddress'>;
export type EndpointHandler = (context: EndpointContext) => Response | Promise<Response>;
/** An endpoint module's handlers by method; `ALL` answers every method without its own. */
export type Endpoint = Partial<Record<'ALL' | 'GET' | 'POST', EndpointHandler>>;
export type FastRouteName = 'store' | 'stripeWebhook' | 'analytics';

/**
 * The plugin's JSON endpoints register themselves here when Astro first loads their module (one process-wide map:
 * `commerce serve` and the server bundle are two copies of the plugin). `commerce serve` then calls them directly,
 * before Astro's static-file lookup, route matching and middleware; the Astro routes run the same functions for
 * `astro dev` and `node dist/server/entry.mjs`.
 */
export function registerFastRoute(name: FastRouteName, endpoint: Endpoint): void {
	const state = processState();
	state.fastRoutes ??= new Map();
	state.fastRoutes.set(name, endpoint);
}

/** The registered endpoint, or undefined until Astro has loaded its module once (the first request goes through it). */
export function fastRoute(name: FastRouteName): Endpoint | undefined {
	return processState().fastRoutes?.get(name) as Endpoint | undefined;
}

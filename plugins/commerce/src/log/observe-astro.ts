import type { APIContext } from 'astro';
import { currentRequest } from '../runtime/process-state.ts';
import { finishRequest, newRequestContext, REQUEST_ID_HEADER, runWithRequest } from './request-log.ts';

function withHeader(response: Response, name: string, value: string): Response {
	try {
		response.headers.set(name, value);
		return response;
	} catch {
		// Immutable headers (a fetched or redirect response): copy it.
		const copy = new Response(response.body, response);
		copy.headers.set(name, value);
		return copy;
	}
}

/**
 * Middleware step: every on-demand request gets a request context. Under `commerce serve` the server wrapper already
 * made one (and writes the access line); here it only learns the route pattern. Under `node dist/server/entry.mjs`
 * this step owns the request: id, `X-Request-Id`, access line and metrics. Prerendering at build time is skipped.
 */
export async function observeAstroRequest(context: APIContext, next: () => Promise<Response>): Promise<Response> {
	if (context.isPrerendered) return next();
	const existing = currentRequest();
	if (existing) {
		existing.routePattern = context.routePattern;
		return next();
	}
	const request = newRequestContext(
		context.request.method,
		context.url.pathname,
		context.request.headers.get(REQUEST_ID_HEADER),
		'middleware',
	);
	request.routePattern = context.routePattern;
	return runWithRequest(request, async () => {
		let response: Response;
		try {
			response = await next();
		} catch (error) {
			finishRequest(request, 500);
			throw error;
		}
		finishRequest(request, response.status);
		return withHeader(response, REQUEST_ID_HEADER, request.id);
	});
}

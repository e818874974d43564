import { defineMiddleware, sequence } from 'astro:middleware';
import { options } from 'virtual:frostbuy-commerce/config';
import { observeAstroRequest } from './log/observe-astro.ts';
import { securityHeaders, stripeEnabled, withCspFloor } from './security-headers.ts';

/** Request id, access line and request metrics for every on-demand request (see log/observe-astro.ts). */
const observe = defineMiddleware((context, next) => observeAstroRequest(context, next));

/** Adds the security headers to every response Astro renders (pages, endpoints, errors). */
const addSecurityHeaders = defineMiddleware(async (context, next) => {
	let response = await next();
	if (!options.securityHeaders.enabled) return response;
	// Some responses (redirects, fetched bodies) have immutable headers; copy those before adding ours.
	try {
		response.headers.has('X-Content-Type-Options') || response.headers.set('X-Content-Type-Options', 'nosniff');
	} catch {
		response = new Response(response.body, response);
	}
	const headers = securityHeaders(options.securityHeaders, context.url.protocol === 'https:', {
		pathname: context.url.pathname,
		checkoutPath: options.checkoutPath,
		stripe: stripeEnabled(),
	});
	for (const [name, value] of Object.entries(headers)) {
		const own = response.headers.get(name);
		// A route that set its own (stricter or wider) policy keeps it; a CSP keeps it but gains our floor directives
		// (Astro's hashed policy on on-demand pages such as the admin has no frame-ancestors, object-src, base-uri, …).
		if (own === null) response.headers.set(name, value);
		else if (name === 'Content-Security-Policy') response.headers.set(name, withCspFloor(own, value));
	}
	return response;
});

export const onRequest = sequence(observe, addSecurityHeaders);

import { defineMiddleware, sequence } from 'astro:middleware';
import { options } from 'virtual:frostbuy-commerce/config';
import { logger } from './log/logger.ts';
import { observeAstroRequest } from './log/observe-astro.ts';
import { securityHeaders, stripeEnabled, withCspFloor } from './security-headers.ts';
import { hostWarning, SERVED_BY_COMMERCE, staticHeadersWarning } from './server/deployment-checks.ts';
import { isPluginPath, withBase } from './storefront/paths.ts';

/** Request id, access line and request metrics for every on-demand request (see log/observe-astro.ts). */
const observe = defineMiddleware((context, next) => observeAstroRequest(context, next));

const checkoutPath = withBase(options.paths.base, options.checkoutPath, false);

// `node dist/server/entry.mjs` serves prerendered pages and /_astro assets without middleware: say so once, on the
// first request rendered at run time (never while prerendering at build time).
let warnedStatic = false;

let warnedHosts = new Set<string>();

/** Adds the security headers to every response Astro renders (pages, endpoints, errors). */
const addSecurityHeaders = defineMiddleware(async (context, next) => {
	if (!warnedStatic && import.meta.env.PROD && !context.isPrerendered) {
		warnedStatic = true;
		if (!process.env[SERVED_BY_COMMERCE] && options.securityHeaders.enabled) logger().warn(staticHeadersWarning());
	}
	// A real host missing from security.allowedDomains: Astro ignores the Host header (form posts 403, wrong links).
	// Not while prerendering: there is no request, and early Astro 5 releases warn on every page whose render reads headers.
	const warning = context.isPrerendered ? undefined : hostWarning(context.request.headers.get('host'), context.url);
	if (warning && !warnedHosts.has(warning.host) && warnedHosts.size < 20) {
		warnedHosts = new Set([...warnedHosts, warning.host]);
		logger().warn(warning.message);
	}
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
		checkoutPath,
		stripe: stripeEnabled(),
		pluginPath: isPluginPath(context.url.pathname, options.pluginPaths),
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

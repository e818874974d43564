/**
 * Start-up and first-request checks of how the built site is served, with messages that say what is missing and how
 * to fix it. Pure functions; the middleware and the server wrapper log what they return.
 */

/** Set by `commerce serve` (the wrapper that adds headers to static files) before it loads the server entry. */
export const SERVED_BY_COMMERCE = 'COMMERCE_SERVE';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function staticHeadersWarning(): string {
	return (
		"[commerce] This server was started without `commerce serve`: Astro's standalone server sends prerendered pages " +
		'and /_astro/* files without running middleware, so they get no security headers (Content-Security-Policy, ' +
		'X-Frame-Options, nosniff). Start it with `npx commerce serve` (same build, same options), or set those headers ' +
		'in the proxy or CDN in front (values: see "Security headers" in the @frostbuy/commerce README).'
	);
}

/**
 * A request for a real host that Astro did not trust (not in `security.allowedDomains`): Astro then builds URLs for
 * localhost and refuses same-site form posts. Localhost needs no entry (the integration adds it when none are set).
 */
export function hostWarning(hostHeader: string | null, url: URL): { host: string; message: string } | undefined {
	if (!hostHeader) return undefined;
	const hostname = hostHeader.replace(/:\d+$/, '').toLowerCase();
	if (LOCAL_HOSTS.has(hostname) || url.host.toLowerCase() === hostHeader.toLowerCase()) return undefined;
	return {
		host: hostname,
		message:
			`[commerce] Requests arrive for ${hostHeader}, which is not in security.allowedDomains, so Astro ignores the ` +
			'Host header: same-site form posts are refused (403) and links use the wrong origin. Add it to astro.config.mjs: ' +
			`security: { allowedDomains: [{ hostname: '${hostname}', protocol: 'https' }] } (and keep localhost if you also ` +
			"run it locally: { hostname: 'localhost' }), then build again.",
	};
}

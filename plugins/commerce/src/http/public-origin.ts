/**
 * The origin of the links the server writes (email links, absolute image URLs): `COMMERCE_PUBLIC_URL` at run time
 * (one build served at several addresses: staging, a test server on a free port), else the `siteUrl` option, else
 * Astro's `site`, else the request's own origin as Astro resolved it (Astro honours `X-Forwarded-Host`/`-Proto` only
 * for hosts listed in `security.allowedDomains`, so a client cannot make us print links to another host).
 */
export function publicOrigin(
	options: { siteUrl?: string; site?: string },
	requestUrl: URL,
	env: NodeJS.ProcessEnv = process.env,
): string {
	const configured = env.COMMERCE_PUBLIC_URL?.trim() || options.siteUrl || options.site;
	return (configured ? new URL(configured).origin : requestUrl.origin).replace(/\/$/, '');
}

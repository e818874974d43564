/**
 * The security headers every response carries. One pure function used by the middleware (on-demand responses) and
 * by the server wrapper (prerendered pages and assets, which Astro's standalone server serves without middleware).
 */

export interface SecurityHeaderSettings {
	/** Extra sources per CSP directive, appended to the defaults. */
	contentSecurityPolicy?: Record<string, string[]>;
	/** Strict-Transport-Security max-age in seconds; 0 disables it. */
	hstsMaxAge?: number;
	/** The site's own pages: `relaxed` (default), `strict` (as the plugin's routes) or `off`. */
	sitePages?: 'relaxed' | 'strict' | 'off';
}

/**
 * The site's own pages under `sitePages: 'relaxed'`: headers that restrict nothing a page loads (third-party images,
 * scripts, fonts, embeds keep working) but still stop MIME sniffing, referrer leaks, clickjacking by other sites and
 * plugin content.
 */
const RELAXED_CSP = "frame-ancestors 'self'; object-src 'none'; base-uri 'self'";

/**
 * A floor policy that works with Astro's islands. Scripts are limited to this origin; 'unsafe-inline' stays for the
 * inline island loader Astro emits, and sites that enable Astro's hashed CSP (`experimental.csp`) get a stricter
 * meta policy on top — browsers enforce both, so the stricter one wins. Later features (Stripe's Payment Element)
 * add their hosts only on the pages that need them.
 */
const DEFAULT_CSP: Record<string, string[]> = {
	'default-src': ["'self'"],
	'script-src': ["'self'", "'unsafe-inline'"],
	'style-src': ["'self'", "'unsafe-inline'"],
	'img-src': ["'self'", 'data:', 'blob:'],
	'font-src': ["'self'"],
	'connect-src': ["'self'"],
	'frame-src': ["'none'"],
	'object-src': ["'none'"],
	'base-uri': ["'self'"],
	'form-action': ["'self'"],
	'frame-ancestors': ["'none'"],
};

/**
 * What Stripe's Payment Element needs (Stripe's CSP guide), added only on the checkout page and only when Stripe is
 * configured, so every other page keeps the strict policy (PCI DSS SAQ A: control of the scripts on the payment page).
 */
export const STRIPE_CHECKOUT_CSP: Record<string, string[]> = {
	'script-src': ['https://js.stripe.com', 'https://*.js.stripe.com'],
	'frame-src': ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'],
	'connect-src': ['https://api.stripe.com'],
};

/** True for the checkout page itself (`/checkout`, `/checkout/`, `/checkout/index.html`). */
export function isCheckoutPath(pathname: string, checkoutPath: string): boolean {
	const path = pathname.replace(/\/index\.html$/, '').replace(/\/+$/, '') || '/';
	return path === checkoutPath;
}

/** True when the STRIPE_* keys are set at run time (the payments module refuses a partial set). */
export const stripeEnabled = (env: NodeJS.ProcessEnv = process.env) =>
	Boolean(env.STRIPE_SECRET_KEY && env.STRIPE_PUBLISHABLE_KEY && env.STRIPE_WEBHOOK_SECRET);

/** Builds the CSP value: defaults plus extras, duplicates removed, `'none'` dropped once a real source is added. */
export function contentSecurityPolicy(extra: Record<string, string[]> = {}): string {
	const merged: Record<string, string[]> = {};
	for (const [directive, sources] of Object.entries(DEFAULT_CSP)) merged[directive] = [...sources];
	for (const [directive, sources] of Object.entries(extra)) {
		const current = merged[directive] ?? [...(merged['default-src'] ?? [])];
		const combined = [...current, ...sources];
		const real = combined.filter((s) => s !== "'none'");
		merged[directive] = [...new Set(real.length ? real : combined)];
	}
	return Object.entries(merged)
		.map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
		.join('; ');
}

/**
 * Adds to a policy someone else set (Astro's hashed `experimental.csp` header on on-demand pages, which carries only
 * `script-src` and `style-src`) every directive of our `floor` it lacks: `default-src`, `object-src`,
 * `frame-ancestors 'none'`, `base-uri`, `form-action`, …. Directives the existing policy has stay as they are (its
 * hashes are stricter than our `'unsafe-inline'`).
 */
export function withCspFloor(existing: string, floor: string): string {
	const present = new Set(
		existing
			.split(';')
			.map((d) => d.trim().split(/\s+/, 1)[0]?.toLowerCase())
			.filter(Boolean),
	);
	const missing = floor
		.split(';')
		.map((d) => d.trim())
		.filter((d) => d && !present.has(d.split(/\s+/, 1)[0]!.toLowerCase()));
	if (!missing.length) return existing;
	return [existing.trim().replace(/;\s*$/, ''), ...missing].filter(Boolean).join('; ');
}

/**
 * Headers for one response; HSTS only over https because browsers ignore it on http and it pins the host.
 * `page` adds Stripe's sources on the checkout page when Stripe is enabled.
 */
export function securityHeaders(
	settings: SecurityHeaderSettings,
	https: boolean,
	page?: { pathname: string; checkoutPath: string; stripe: boolean; pluginPath?: boolean },
): Record<string, string> {
	const maxAge = settings.hstsMaxAge ?? 31_536_000;
	const hsts: Record<string, string> =
		https && maxAge > 0 ? { 'Strict-Transport-Security': `max-age=${maxAge}; includeSubDomains` } : {};
	const sitePolicy = settings.sitePages ?? 'relaxed';
	if (page && page.pluginPath === false && sitePolicy !== 'strict') {
		if (sitePolicy === 'off') return {};
		return {
			'Content-Security-Policy': RELAXED_CSP,
			'X-Frame-Options': 'SAMEORIGIN',
			'X-Content-Type-Options': 'nosniff',
			'Referrer-Policy': 'strict-origin-when-cross-origin',
			...hsts,
		};
	}
	const extra: Record<string, string[]> = { ...settings.contentSecurityPolicy };
	if (page?.stripe && isCheckoutPath(page.pathname, page.checkoutPath)) {
		for (const [directive, sources] of Object.entries(STRIPE_CHECKOUT_CSP))
			extra[directive] = [...(extra[directive] ?? []), ...sources];
	}
	const headers: Record<string, string> = {
		'Content-Security-Policy': contentSecurityPolicy(extra),
		'X-Frame-Options': 'DENY',
		'X-Content-Type-Options': 'nosniff',
		'Referrer-Policy': 'strict-origin-when-cross-origin',
		'Permissions-Policy':
			'camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=(), payment=(self)',
		'Cross-Origin-Opener-Policy': 'same-origin',
	};
	return { ...headers, ...hsts };
}

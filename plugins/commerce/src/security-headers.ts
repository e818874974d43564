/**
 * The security headers every response carries. One pure function used by the middleware (on-demand responses) and
 * by the server wrapper (prerendered pages and assets, which Astro's standalone server serves without middleware).
 */

export interface SecurityHeaderSettings {
	/** Extra sources per CSP directive, appended to the defaults. */
	contentSecurityPolicy?: Record<string, string[]>;
	/** Strict-Transport-Security max-age in seconds; 0 disables it. */
	hstsMaxAge?: number;
}

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

/** Headers for one response; HSTS only over https because browsers ignore it on http and it pins the host. */
export function securityHeaders(settings: SecurityHeaderSettings, https: boolean): Record<string, string> {
	const headers: Record<string, string> = {
		'Content-Security-Policy': contentSecurityPolicy(settings.contentSecurityPolicy),
		'X-Frame-Options': 'DENY',
		'X-Content-Type-Options': 'nosniff',
		'Referrer-Policy': 'strict-origin-when-cross-origin',
		'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=(), payment=(self)',
		'Cross-Origin-Opener-Policy': 'same-origin',
	};
	const maxAge = settings.hstsMaxAge ?? 31_536_000;
	if (https && maxAge > 0) headers['Strict-Transport-Security'] = `max-age=${maxAge}; includeSubDomains`;
	return headers;
}

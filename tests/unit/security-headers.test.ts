import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders, withCspFloor } from '../../plugins/commerce/src/security-headers.ts';

describe('securityHeaders', () => {
	it('sets the baseline headers and HSTS only over https', () => {
		const http = securityHeaders({}, false);
		expect(http).toMatchObject({
			'X-Frame-Options': 'DENY',
			'X-Content-Type-Options': 'nosniff',
			'Referrer-Policy': 'strict-origin-when-cross-origin',
		});
		expect(http['Permissions-Policy']).toContain('camera=()');
		expect(http['Strict-Transport-Security']).toBeUndefined();
		expect(securityHeaders({}, true)['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains');
		expect(securityHeaders({ hstsMaxAge: 0 }, true)['Strict-Transport-Security']).toBeUndefined();
	});

	it('builds a strict CSP and merges extra sources per directive', () => {
		const base = contentSecurityPolicy();
		expect(base).toContain("frame-ancestors 'none'");
		expect(base).toContain("object-src 'none'");
		expect(base).toContain("script-src 'self' 'unsafe-inline'");
		expect(base).not.toMatch(/https?:/);
		const extended = contentSecurityPolicy({
			'frame-src': ['https://js.stripe.com'],
			'img-src': ['https://cdn.example.com', "'self'"],
		});
		expect(extended).toContain('frame-src https://js.stripe.com');
		expect(extended).toContain("img-src 'self' data: blob: https://cdn.example.com;");
		// A directive the defaults lack starts from default-src.
		expect(contentSecurityPolicy({ 'worker-src': ['blob:'] })).toContain("worker-src 'self' blob:");
	});
});

describe('Stripe on the checkout page', () => {
	it('adds Stripe sources only on the checkout page and only when Stripe is enabled', () => {
		const checkout = securityHeaders({}, true, { pathname: '/checkout/', checkoutPath: '/checkout', stripe: true })[
			'Content-Security-Policy'
		];
		expect(checkout).toContain("script-src 'self' 'unsafe-inline' https://js.stripe.com https://*.js.stripe.com");
		expect(checkout).toContain('frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com');
		expect(checkout).toContain("connect-src 'self' https://api.stripe.com");
		expect(checkout).toContain("frame-ancestors 'none'");
		for (const page of [
			{ pathname: '/products/mug/', checkoutPath: '/checkout', stripe: true },
			{ pathname: '/checkout-help/', checkoutPath: '/checkout', stripe: true },
			{ pathname: '/checkout/', checkoutPath: '/checkout', stripe: false },
		]) {
			expect(securityHeaders({}, true, page)['Content-Security-Policy'], page.pathname).not.toContain('stripe');
		}
	});
});

describe('CSP floor under a policy set by someone else', () => {
	it("adds the floor's missing directives to Astro's hashed policy and keeps its own", () => {
		const astro = "script-src 'self' 'sha256-abc='; style-src 'self' 'sha256-def='";
		const merged = withCspFloor(astro, contentSecurityPolicy());
		expect(merged).toContain("script-src 'self' 'sha256-abc='");
		expect(merged).not.toContain("script-src 'self' 'unsafe-inline'");
		for (const directive of [
			"default-src 'self'",
			"object-src 'none'",
			"frame-ancestors 'none'",
			"base-uri 'self'",
			"form-action 'self'",
		])
			expect(merged).toContain(directive);
		expect(withCspFloor(merged, contentSecurityPolicy())).toBe(merged);
	});
});

import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../plugins/commerce/src/options.ts';

describe('commerce() options', () => {
	it('fills every default', () => {
		const result = parseOptions(undefined);
		expect(result).toEqual({
			ok: true,
			options: {
				storeBasePath: '/store',
				databasePath: 'db/commerce.sqlite',
				productsDir: 'content/products',
				syncOnStart: true,
				securityHeaders: { enabled: true, contentSecurityPolicy: {}, hstsMaxAge: 31_536_000 },
			},
		});
	});

	it('names an unknown option, also a nested one', () => {
		const top = parseOptions({ storeBase: '/shop' });
		expect(top.ok).toBe(false);
		if (!top.ok) expect(top.message).toContain('unknown option "storeBase"');
		const nested = parseOptions({ securityHeaders: { csp: {} } });
		expect(nested.ok).toBe(false);
		if (!nested.ok) expect(nested.message).toContain('securityHeaders: unknown option "csp"');
	});

	it('names the option and the problem for wrong values', () => {
		const result = parseOptions({ storeBasePath: 'store/', securityHeaders: { hstsMaxAge: -1 }, syncOnStart: 'yes' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.message).toContain('storeBasePath  write a path such as /store');
		expect(result.message).toContain('securityHeaders.hstsMaxAge');
		expect(result.message).toContain('syncOnStart  Expected boolean, received string');
	});

	it('accepts a custom base path and CSP additions', () => {
		const result = parseOptions({ storeBasePath: '/api/store', securityHeaders: { contentSecurityPolicy: { 'img-src': ['https://cdn.example.com'] } } });
		expect(result.ok && result.options.storeBasePath).toBe('/api/store');
	});
});

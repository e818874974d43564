import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../plugins/commerce/src/options.ts';

describe('commerce() options', () => {
	it('fills every default', () => {
		const result = parseOptions(undefined);
		expect(result).toEqual({
			ok: true,
			options: {
				storeBasePath: '/store',
				storeCors: [],
				adminBasePath: '/admin',
				brandColor: '#14213d',
				databasePath: 'db/commerce.sqlite',
				productsDir: 'content/products',
				syncOnStart: true,
				regions: [
					{
						handle: 'us',
						name: 'United States',
						currency: 'usd',
						taxRate: 0,
						taxName: 'Tax',
						countries: ['us'],
						shippingOptions: [{ handle: 'standard', name: 'Standard shipping', amount: 0 }],
					},
				],
				storeName: 'Our store',
				payments: { captureMethod: 'automatic' },
				stripeWebhookPath: '/webhooks/stripe',
				analyticsPath: '/analytics/events',
				checkoutPath: '/checkout',
				seed: { discounts: [], demoAdmin: false },
				metricsPath: '/metrics',
				backups: { keep: 7 },
				reportingTimeZone: 'UTC',
				securityHeaders: {
					enabled: true,
					contentSecurityPolicy: {},
					hstsMaxAge: 31_536_000,
					sitePages: 'relaxed',
				},
				webhooks: { allowPrivate: false, timeoutMs: 10_000 },
				abandonedCarts: { enabled: true, afterHours: 4, linkValidDays: 7, lookbackDays: 7 },
				pages: {
					catalog: { path: '/products', inject: true },
					product: { path: '/products', inject: true },
					category: { path: '/categories', inject: true },
					cart: { path: '/cart', inject: true },
					checkout: { path: '/checkout', inject: true },
					orderConfirmed: { path: '/order/confirmed', inject: true },
					orderLookup: { path: '/order/lookup', inject: true },
					account: { path: '/account', inject: true },
				},
				paths: expect.objectContaining({ base: '/', store: '/store', cart: '/cart/', login: '/account/login/' }),
				pluginPaths: expect.arrayContaining(['/store/', '/admin/', '/products/', '/cart/', '/account/']),
			},
		});
	});

	it('validates the backup schedule', () => {
		expect(parseOptions({ backups: { interval: '6h', keep: 14, directory: '/var/backups/shop' } })).toMatchObject({
			ok: true,
			options: { backups: { interval: '6h', keep: 14, directory: '/var/backups/shop' } },
		});
		const bad = parseOptions({ backups: { interval: 'nightly', keep: 0 } });
		expect(bad.ok).toBe(false);
		if (bad.ok) return;
		expect(bad.message).toContain('backups.interval  write a duration such as 6h, 30m or 1d, or off');
		expect(bad.message).toContain('backups.keep');
	});

	it('validates regions: currency, countries, unique handles and shipping options', () => {
		const result = parseOptions({
			regions: [
				{
					handle: 'us',
					name: 'US',
					currency: 'USD',
					taxRate: 6,
					countries: ['us'],
					shippingOptions: [{ handle: 'std', name: 'Std', amount: 5.99 }],
				},
				{ handle: 'us', name: 'Again', currency: 'eur', taxRate: 120, countries: ['us'], shippingOptions: [] },
			],
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.message).toContain('regions.0.currency  write the currency as three lowercase letters');
		expect(result.message).toContain('regions.0.shippingOptions.0.amount  write amounts in minor units');
		expect(result.message).toContain('regions.1.taxRate');
		expect(result.message).toContain('regions.1.shippingOptions  give every region at least one shipping option');
		expect(result.message).toContain('regions.1.handle  duplicate region handle us');
		expect(result.message).toContain('regions.1.countries  us is already in region us');
	});

	it('validates seed coupons', () => {
		const result = parseOptions({
			seed: {
				discounts: [
					{ code: 'FIVE', type: 'fixed', value: 500 },
					{ code: 'BIG', type: 'percentage', value: 150 },
				],
			},
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.message).toContain('seed.discounts.0.currency  give the currency of the amounts');
		expect(result.message).toContain('seed.discounts.1.value  a percentage must be above 0 and at most 100');
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
		const result = parseOptions({
			storeBasePath: '/api/store',
			securityHeaders: { contentSecurityPolicy: { 'img-src': ['https://cdn.example.com'] } },
		});
		expect(result.ok && result.options.storeBasePath).toBe('/api/store');
	});
});

describe('admin options', () => {
	it('validates adminBasePath like the other paths and seed.demoAdmin as a boolean', () => {
		expect(parseOptions({ adminBasePath: '/backoffice', seed: { demoAdmin: true } })).toMatchObject({
			ok: true,
			options: { adminBasePath: '/backoffice', seed: { demoAdmin: true } },
		});
		const bad = parseOptions({ adminBasePath: 'admin/', seed: { demoAdmin: 'yes' } });
		expect(bad.ok).toBe(false);
		if (!bad.ok) {
			expect(bad.message).toContain('adminBasePath');
			expect(bad.message).toContain('seed.demoAdmin');
		}
	});
});

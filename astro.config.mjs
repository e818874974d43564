// @ts-check
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import commerce from '@frostbuy/commerce';
import { defineConfig } from 'astro/config';
import { seed } from './db/seed.mjs';

// FrostBuy: pages are prerendered at build time; the commerce plugin adds the on-demand Store API.
export default defineConfig({
	output: 'static',
	adapter: node({ mode: 'standalone' }),
	integrations: [
		preact(),
		commerce({
			storeName: 'FrostBuy',
			// Every FrostBuy page is a shop page and loads nothing from other sites: the strict policy everywhere.
			securityHeaders: { sitePages: 'strict' },
			// FrostBuy designs every shop page itself (src/pages), so it turns the injected ones off; links and email links
			// still point at these default paths. Its catalog is the home page.
			pages: {
				catalog: { path: '/', inject: false },
				product: false,
				category: false,
				cart: false,
				checkout: false,
				orderConfirmed: false,
				orderLookup: false,
				account: false,
			},
			seed: { ...seed, demoAdmin: true },
			// Amounts in options are minor units (cents). Prices per currency come from content/products/*.md.
			regions: [
				{
					handle: 'us',
					name: 'United States',
					currency: 'usd',
					taxRate: 6, // Maryland sales tax
					taxName: 'Sales tax',
					countries: ['us'],
					shippingOptions: [
						{ handle: 'standard', name: 'Standard (3-5 business days)', amount: 599, maxSubtotal: 3499 },
						{ handle: 'free', name: 'Free standard shipping on orders over $35', amount: 0, minSubtotal: 3500 },
						{ handle: 'express', name: 'Express (1-2 business days)', amount: 1499 },
					],
				},
				{
					handle: 'eu',
					name: 'European Union',
					currency: 'eur',
					taxRate: 20,
					taxName: 'VAT',
					countries: ['de', 'fr', 'nl', 'ie', 'it', 'es', 'at', 'be'],
					shippingOptions: [
						{ handle: 'standard', name: 'Standard (5-8 business days)', amount: 999, maxSubtotal: 5999 },
						{ handle: 'free', name: 'Free shipping on orders over €60', amount: 0, minSubtotal: 6000 },
						{ handle: 'express', name: 'Express (2-3 business days)', amount: 2499 },
					],
				},
			],
		}),
	],
	security: {
		// Without these Astro ignores the Host header and refuses same-site form POSTs.
		allowedDomains: [{ hostname: 'localhost' }, { hostname: '127.0.0.1' }],
	},
	// Astro's hashed CSP meta on every page, on top of the plugin's header policy: browsers enforce both.
	experimental: { csp: true },
	// The node adapter would otherwise enable file-backed Astro sessions we never use.
	session: { driver: 'memory' },
	devToolbar: { enabled: false },
});

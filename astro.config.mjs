// @ts-check

import { copyFile } from 'node:fs/promises';
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import sitemap from '@astrojs/sitemap';
import commerce from '@frostbuy/commerce';
import { defineConfig } from 'astro/config';
import { seed } from './db/seed.mjs';
import { regions } from './src/lib/regions.mjs';

// Pages a search engine should not list: the shopper's own pages (they also carry `noindex`), the admin and the API.
const PRIVATE = /\/(cart|checkout|account|order|admin|store)(\/|$)/;

/**
 * `@astrojs/sitemap` writes `sitemap-index.xml`; crawlers and tools look for `/sitemap.xml` first, so the index is
 * copied there too (robots.txt names it).
 */
const sitemapXml = {
	name: 'frostbuy:sitemap-xml',
	hooks: {
		/** @param {{ dir: URL }} build */
		'astro:build:done': async ({ dir }) => copyFile(new URL('sitemap-index.xml', dir), new URL('sitemap.xml', dir)),
	},
};

// FrostBuy: pages are prerendered at build time; the commerce plugin adds the on-demand Store API.
export default defineConfig({
	output: 'static',
	// Four pages prerender at once: while one waits on its file write or an OpenGraph PNG (sharp, on libuv's threads),
	// another renders. A 1,000-product build's prerendering took 3.6–4.0 s instead of 4.8–5.1 s at the same peak
	// memory (system_design.md §5).
	build: { concurrency: 4 },
	// The public address: canonical links, OpenGraph images, JSON-LD and the sitemap are absolute URLs built from it.
	site: process.env.SITE_URL ?? 'http://localhost:4321',
	adapter: node({ mode: 'standalone' }),
	integrations: [
		preact(),
		sitemap({ filter: (page) => !PRIVATE.test(new URL(page).pathname) }),
		sitemapXml,
		commerce({
			storeName: 'FrostBuy',
			// The footer of every email: who sent it and how to reach a person.
			storeAddress: 'FrostBuy campus store\n101 Braddock Road\nFrostburg, MD 21532\nUnited States',
			supportEmail: 'help@frostbuy.local',
			supportUrl: '/contact/',
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
			regions,
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

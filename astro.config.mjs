// @ts-check
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import commerce from '@frostbuy/commerce';
import { defineConfig } from 'astro/config';

// FrostBuy: pages are prerendered at build time; the commerce plugin adds the on-demand Store API.
export default defineConfig({
	output: 'static',
	adapter: node({ mode: 'standalone' }),
	integrations: [preact(), commerce()],
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

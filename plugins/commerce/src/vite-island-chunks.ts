import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

// The browser build of the islands, shaped for the product page's JavaScript budget (12 KB gz):
// - What every page's islands load anyway (Preact and its JSX runtime, the cart store and its fetch wrapper,
//   the analytics beacon, stock labels) goes into one chunk: eight small files each cost a request, an import
//   statement and a cold gzip dictionary, about 1 KB gz together on the product page.
// - Vite wraps every dynamic import in a 0.65 KB preload helper that also preloads the imported chunk's static imports.
//   Astro's Preact renderer imports `@preact/signals` dynamically (never taken: no island gets signal props), and the
//   islands load rarely used parts lazily (the back-in-stock form), so the helper ships on every page. With
//   `modulePreload: false` the helper only ever loads CSS, which a few lines do.

const PRELOAD_HELPER = '\0vite/preload-helper.js';
const CORE_CHUNK = 'commerce-core';
/** The package's own browser modules that every page with a cart indicator loads. */
const dir = (relative: string) => fileURLToPath(new URL(relative, import.meta.url)).replaceAll('\\', '/');
const clientDir = dir('./client/');
const coreDir = dir('./core/');
const componentsDir = dir('./components/');
const islandsDir = dir('./islands/');
const CORE_MODULES = [
	`${clientDir}cart-store.`,
	`${clientDir}store-request.`,
	`${clientDir}analytics.`,
	`${clientDir}availability.`,
	`${coreDir}cart-limits.`,
	// The header's cart count is on every page: in the core chunk, its island file is a one-line re-export.
	`${componentsDir}CartIndicator.`,
	// The product pages' small island loader (islands/*.astro); the cart count's loader too, as every page loads it.
	`${islandsDir}define-island.`,
	`${islandsDir}cart-indicator.`,
];
// Not its hooks: the product page's islands are class components, so the hooks (1 KB gz) stay in a chunk of their own
// that only the other pages' islands load.
const PREACT = /\/node_modules\/preact\/(dist\/preact|jsx-runtime\/dist\/jsxRuntime)\.module\.js$/;

/** Vite's helper for `modulePreload: false`: the dependencies it is given are stylesheets (paths under `base`). */
const preloadHelper = (base: string) => `export const __vitePreload = (load, deps) =>
	deps && deps.length
		? Promise.all(
				deps.map((dep) => {
					const href = ${JSON.stringify(base)} + dep;
					// A link added by an earlier call is found here too: it is appended at once.
					if (document.querySelector('link[rel="stylesheet"][href="' + href + '"]')) return;
					const link = document.createElement('link');
					link.rel = 'stylesheet';
					link.href = href;
					document.head.append(link);
					return new Promise((done) => (link.onload = link.onerror = done));
				}),
			).then(load)
		: load();
`;

export function islandChunksPlugin(): Plugin {
	let client = false;
	let base = '/';
	return {
		name: '@frostbuy/commerce:island-chunks',
		apply: 'build',
		enforce: 'pre',
		config(_config, env) {
			if (env.isSsrBuild) return undefined;
			return { build: { modulePreload: false } };
		},
		configResolved(config) {
			client = !config.build.ssr;
			base = config.base;
		},
		options(input) {
			// Astro asks Rollup to keep each island's exports exactly ("exports-only"): a lazily loaded part that imports
			// from its island's chunk then costs an extra facade file. Extra exports on an island chunk harm nothing.
			if (client) return { ...input, preserveEntrySignatures: 'allow-extension' };
			return undefined;
		},
		load(id) {
			// A relative base needs the importer's URL: Vite's own helper handles that.
			if (id === PRELOAD_HELPER && client && base.startsWith('/')) return preloadHelper(base);
			return undefined;
		},
		outputOptions(output) {
			if (!client) return undefined;
			const previous = output.manualChunks;
			if (previous && typeof previous !== 'function') return undefined;
			return {
				...output,
				manualChunks(id, meta) {
					const named = previous?.(id, meta);
					if (named) return named;
					const path = id.replaceAll('\\', '/');
					if (id === PRELOAD_HELPER || PREACT.test(path) || CORE_MODULES.some((prefix) => path.startsWith(prefix)))
						return CORE_CHUNK;
					return undefined;
				},
			};
		},
	};
}

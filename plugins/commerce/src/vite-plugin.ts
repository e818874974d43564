import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { NODE_ADAPTER_SERVER_MODULE } from './astro-compat.ts';
import { loadCatalogFromDirectory } from './content/load-catalog.ts';
import { EMAIL_IMAGES_FILE } from './email-images.ts';
import type { ResolvedOptions } from './options.ts';

const CONFIG_ID = 'virtual:frostbuy-commerce/config';
const CATALOG_ID = 'virtual:frostbuy-commerce/catalog';
// The same catalog as a literal, for the prerendered shop pages only: their chunks run once at build time and are not
// part of the server that serves (and Astro 7 prerenders in its own environment, where the asset URL of the
// server build is not valid).
/** The catalog of a build, written into the server build's folder by the integration (index.ts). */
export const CATALOG_FILE = 'commerce-catalog.json';
const CATALOG_PAGES_ID = 'virtual:frostbuy-commerce/catalog-pages';

/**
 * Serializes the resolved options and the validated catalog into virtual modules (the catalog as a JSON file beside
 * the server build), so the server carries the exact catalog the prerendered pages were built from and needs no
 * content files at run time. Logic stays in ordinary
 * modules; this only serializes.
 */
export function commerceVitePlugin(options: ResolvedOptions, root: string): Plugin {
	const productsDir = resolve(root, options.productsDir);
	let build = false;
	return {
		name: '@frostbuy/commerce:virtual-modules',
		resolveId(id) {
			if (id === CONFIG_ID || id === CATALOG_ID || id === CATALOG_PAGES_ID) return `\0${id}`;
			return undefined;
		},
		configResolved(config) {
			build = config.command === 'build';
		},
		load(id, loadOptions) {
			if (id === `\0${CONFIG_ID}`) return `export const options = ${JSON.stringify(options)};`;
			if (id === `\0${CATALOG_PAGES_ID}`) {
				this.addWatchFile(productsDir);
				return `export const catalog = ${JSON.stringify(loadCatalogFromDirectory(productsDir, root))};`;
			}
			if (id === `\0${CATALOG_ID}`) {
				this.addWatchFile(productsDir);
				if (build && loadOptions?.ssr) {
					// The server build reads the catalog as data beside its chunks, parsed once at start: as a module it was
					// a JavaScript literal the size of the catalog that Rollup parsed and rendered at build time and Node
					// kept as source and bytecode at run time. The integration writes the file into the server build at
					// `astro:build:done` (an emitted asset lands in the public client folder on Astro 7, and its URL is
					// not a file URL there); this chunk sits at the root of the server build or in a folder below it.
					// The email images' map is written beside it (email-images.ts); a build without one has no renditions.
					return `import { existsSync, readFileSync } from 'node:fs';
const beside = (name) => {
	let file = new URL('./' + name, import.meta.url);
	for (let up = 0; up < 3 && !existsSync(file); up++) file = new URL('../' + name, file);
	return file;
};
export const loadCatalog = () => JSON.parse(readFileSync(beside('${CATALOG_FILE}'), 'utf8'));
export const loadEmailImages = () => {
	const file = beside('${EMAIL_IMAGES_FILE}');
	return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
};`;
				}
				// Dev draws no renditions: emails show raster product images only.
				return `export const loadCatalog = () => ${JSON.stringify(loadCatalogFromDirectory(productsDir, root))};
export const loadEmailImages = () => ({});`;
			}
			return undefined;
		},
	};
}

/** A module of ours beside this file (`.js` in the published package), by absolute path: found from any layout. */
const ownModule = (path: string) =>
	fileURLToPath(new URL(`./${path}${extname(fileURLToPath(import.meta.url))}`, import.meta.url)).replaceAll('\\', '/');

/**
 * Adds to the node adapter's server module, in the server build only, what `commerce serve` does itself before it
 * loads the build, so plain `node dist/server/entry.mjs` behaves the same: TRACE as a 405 (server/odd-methods.ts says
 * why and how) and V8's small-heap heuristics (runtime/small-heap.ts). Appended, so the module's lines and source map
 * stay as they are; imports are hoisted, and the calls run while `entry.mjs` loads, before any request.
 */
export function oddMethodsVitePlugin(): Plugin {
	return {
		name: '@frostbuy/commerce:odd-methods',
		apply: 'build',
		transform(code, id) {
			if (!NODE_ADAPTER_SERVER_MODULE.test(id.split('?')[0]!)) return undefined;
			return {
				code: `${code}
import { rewriteUnconstructibleMethods as __frostbuyOddMethods } from ${JSON.stringify(ownModule('server/odd-methods'))};
import { favourSmallHeap as __frostbuySmallHeap } from ${JSON.stringify(ownModule('runtime/small-heap'))};
__frostbuySmallHeap();
__frostbuyOddMethods();
`,
				map: null,
			};
		},
	};
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { NODE_ADAPTER_SERVER_MODULE } from './astro-compat.ts';
import { builtCatalogModule, CATALOG_FILE, clientCatalogModule, devCatalogModule } from './catalog/catalog-module.ts';
import { loadCatalogFromDirectory } from './content/load-catalog.ts';
import type { ResolvedOptions } from './options.ts';

export { CATALOG_FILE };

const CONFIG_ID = 'virtual:frostbuy-commerce/config';
const CATALOG_ID = 'virtual:frostbuy-commerce/catalog';

/** `content/load-catalog` beside this file (`.js` in the published package), by absolute path, for the dev module. */
const LOAD_CATALOG_MODULE = fileURLToPath(
	new URL(`./content/load-catalog${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/**
 * Serializes the resolved options into a virtual module and gives the server the catalog as code that reads a JSON
 * file (catalog/catalog-module.ts), so the server carries the exact catalog the prerendered pages were built from,
 * needs no content files at run time, and no bundle holds the catalog as a literal. Logic stays in ordinary modules.
 * @param catalogJson the build's validated catalog as JSON (the integration validates it once in `astro:config:setup`)
 */
export function commerceVitePlugin(
	options: ResolvedOptions,
	root: string,
	catalogJson: () => string | undefined = () => undefined,
): Plugin {
	const productsDir = resolve(root, options.productsDir);
	let build = false;
	let viteRoot = root;
	let viteOutDir = '';
	let ssrBuild = false;
	let buildFile: string | undefined;
	return {
		name: '@frostbuy/commerce:virtual-modules',
		resolveId(id) {
			if (id === CONFIG_ID || id === CATALOG_ID) return `\0${id}`;
			return undefined;
		},
		configResolved(config) {
			build = config.command === 'build';
			viteRoot = config.root;
			viteOutDir = config.build.outDir;
			ssrBuild = Boolean(config.build.ssr);
		},
		buildStart() {
			// Every server build (Astro 5's one, Astro 7's server and prerender environments) gets the catalog file in its
			// output folder before any chunk is written, so prerendering finds it beside its chunks; `astro:build:done`
			// writes the same file again (Astro empties the output folder between `astro:build:start` and here).
			const environment = (this as { environment?: { config: { consumer?: string; build: { outDir: string } } } })
				.environment;
			const server = environment ? environment.config.consumer === 'server' : ssrBuild;
			if (!build || !server) return;
			const outDir = resolve(viteRoot, environment?.config.build.outDir ?? viteOutDir);
			mkdirSync(outDir, { recursive: true });
			buildFile = join(outDir, CATALOG_FILE);
			writeFileSync(buildFile, catalogJson() ?? JSON.stringify(loadCatalogFromDirectory(productsDir, root)));
		},
		load(id, loadOptions) {
			if (id === `\0${CONFIG_ID}`) return `export const options = ${JSON.stringify(options)};`;
			if (id !== `\0${CATALOG_ID}`) return undefined;
			if (!loadOptions?.ssr) return clientCatalogModule();
			if (!build) return devCatalogModule(productsDir, root, LOAD_CATALOG_MODULE.replaceAll('\\', '/'));
			return builtCatalogModule(buildFile ?? join(root, 'dist', 'server', CATALOG_FILE));
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

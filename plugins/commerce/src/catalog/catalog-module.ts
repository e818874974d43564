import { EMAIL_IMAGES_FILE } from '../email-images.ts';

/** The catalog of a build, written into the server build's folder (vite-plugin.ts at the start of a server build). */
export const CATALOG_FILE = 'commerce-catalog.json';

/**
 * The source of `virtual:frostbuy-commerce/catalog` in a server build (prerendering and on-demand pages alike). It is
 * code that reads the catalog as JSON, never a literal of it: a literal the size of the catalog was parsed and
 * rendered by Rollup at every build (the build's peak memory) and kept by Node as source and bytecode at run time.
 *
 * - `commerce-catalog.json` is found beside the chunks: the server build's root or a folder below it, where the
 *   plugin writes it before bundling and again at `astro:build:done` (an emitted asset would land in the public client
 *   folder on Astro 7, and its URL is not a file URL there).
 * - `buildFile` is the copy written for this build, by absolute path: the fallback while Astro prerenders from
 *   chunks outside the server folder (Astro 7 prerenders in an environment of its own).
 * - `getCatalog` keeps what it read for the life of the process (one parse per build, however many pages ask);
 *   `loadCatalog` (the server's start-up sync) reuses it when a page read it first and otherwise reads without
 *   keeping, so a server whose on-demand pages never ask does not hold the catalog after the sync.
 */
export function builtCatalogModule(buildFile: string): string {
	return `import { existsSync, readFileSync } from 'node:fs';
const beside = (name) => {
	let file = new URL('./' + name, import.meta.url);
	for (let up = 0; up < 3 && !existsSync(file); up++) file = new URL('../' + name, file);
	return file;
};
const read = () => {
	const file = beside('${CATALOG_FILE}');
	return JSON.parse(readFileSync(existsSync(file) ? file : ${JSON.stringify(buildFile)}, 'utf8'));
};
let kept;
export const live = false;
export const getCatalog = () => (kept ??= read());
export const loadCatalog = () => kept ?? read();
export const loadEmailImages = () => {
	const file = beside('${EMAIL_IMAGES_FILE}');
	return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
};`;
}

/**
 * The same module under `astro dev`: the product files are read again on the first call after one of them changed
 * (names and modification times), so an edit shows on the next reload without restarting the dev server. Dev draws
 * no email renditions: emails show raster product images only.
 */
export function devCatalogModule(productsDir: string, root: string, loaderModule: string): string {
	return `import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogFromDirectory } from ${JSON.stringify(loaderModule)};
const dir = ${JSON.stringify(productsDir)};
const stamp = () =>
	existsSync(dir) ? readdirSync(dir).map((name) => name + ':' + statSync(join(dir, name)).mtimeMs).join('|') : '';
let seen;
let catalog;
export const live = true;
export const getCatalog = () => {
	const now = stamp();
	if (now !== seen || !catalog) {
		catalog = loadCatalogFromDirectory(dir, ${JSON.stringify(root)});
		seen = now;
	}
	return catalog;
};
export const loadCatalog = getCatalog;
export const loadEmailImages = () => ({});`;
}

/** In a browser bundle the catalog is not available: the product files and the JSON live on the server. */
export function clientCatalogModule(): string {
	const message =
		'@frostbuy/commerce/catalog runs on the server only (pages, endpoints, getStaticPaths); pass what an island needs as props.';
	return `const fail = () => { throw new Error(${JSON.stringify(message)}); };
export const live = false;
export const getCatalog = fail;
export const loadCatalog = fail;
export const loadEmailImages = fail;`;
}

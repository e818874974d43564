import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { loadCatalogFromDirectory } from './content/load-catalog.ts';
import type { ResolvedOptions } from './options.ts';

const CONFIG_ID = 'virtual:frostbuy-commerce/config';
const CATALOG_ID = 'virtual:frostbuy-commerce/catalog';

/**
 * Serializes the resolved options and the validated catalog into virtual modules, so the server bundle carries the
 * exact catalog the prerendered pages were built from and needs no content files at run time. Logic stays in ordinary
 * modules; this only serializes.
 */
export function commerceVitePlugin(options: ResolvedOptions, root: string): Plugin {
	const productsDir = resolve(root, options.productsDir);
	return {
		name: '@frostbuy/commerce:virtual-modules',
		resolveId(id) {
			if (id === CONFIG_ID || id === CATALOG_ID) return `\0${id}`;
			return undefined;
		},
		load(id) {
			if (id === `\0${CONFIG_ID}`) return `export const options = ${JSON.stringify(options)};`;
			if (id === `\0${CATALOG_ID}`) {
				this.addWatchFile(productsDir);
				return `export const catalog = ${JSON.stringify(loadCatalogFromDirectory(productsDir, root))};`;
			}
			return undefined;
		},
	};
}

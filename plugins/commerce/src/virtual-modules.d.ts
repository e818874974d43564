// Modules generated at build time by the integration's Vite plugin (src/vite-plugin.ts, catalog/catalog-module.ts).
declare module 'virtual:frostbuy-commerce/config' {
	export const options: import('./options.ts').ResolvedOptions;
}
declare module 'virtual:frostbuy-commerce/catalog' {
	/** True under `astro dev`, where the catalog is read again after a product file changed. */
	export const live: boolean;
	/** The validated catalog, read once and kept for the life of the process (pages; `@frostbuy/commerce/catalog`). */
	export const getCatalog: () => import('./content/product-schema.ts').CatalogProduct[];
	/** The same catalog for the start-up sync: reuses a kept one, otherwise reads without keeping it. */
	export const loadCatalog: () => import('./content/product-schema.ts').CatalogProduct[];
	/** The build's PNG renditions of product images for emails, by source path (empty in dev: email-images.ts). */
	export const loadEmailImages: () => Record<string, string>;
}

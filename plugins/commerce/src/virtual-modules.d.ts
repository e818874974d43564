// Modules generated at build time by the integration's Vite plugin (src/vite-plugin.ts).
declare module 'virtual:frostbuy-commerce/config' {
	export const options: import('./options.ts').ResolvedOptions;
}
declare module 'virtual:frostbuy-commerce/catalog' {
	/** The validated catalog of the build (read from a JSON file beside the server build). */
	export const loadCatalog: () => import('./content/product-schema.ts').CatalogProduct[];
	/** The build's PNG renditions of product images for emails, by source path (empty in dev: email-images.ts). */
	export const loadEmailImages: () => Record<string, string>;
}
declare module 'virtual:frostbuy-commerce/catalog-pages' {
	/** The validated catalog as a literal, for prerendered pages only (see vite-plugin.ts). */
	export const catalog: import('./content/product-schema.ts').CatalogProduct[];
}

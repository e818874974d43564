import { live, loadCatalog, getCatalog as readCatalog } from 'virtual:frostbuy-commerce/catalog';
import type { CatalogProduct } from '../content/product-schema.ts';
import { type CategoryView, categoriesOf, activeProducts as sortedActive } from '../storefront/catalog-view.ts';

export type { CatalogProduct } from '../content/product-schema.ts';
export type { CategoryView } from '../storefront/catalog-view.ts';

/**
 * `@frostbuy/commerce/catalog`: the validated catalog (the product files the server syncs) for a site's own pages,
 * endpoints and `getStaticPaths`, on the server only. The same data the plugin's injected pages and Store API use,
 * without a content collection:
 *
 * - `astro build`: read from the build's `commerce-catalog.json` once per build process and kept, however many pages
 *   ask; no bundle holds the catalog as a literal.
 * - On-demand pages at run time: the same file beside the server build, read once per process.
 * - `astro dev`: the product files are read again after one changes, so an edit shows on the next reload.
 *
 * Results are shared: treat them as read-only.
 */

interface Views {
	catalog: readonly CatalogProduct[];
	active?: readonly CatalogProduct[];
	byHandle?: Map<string, CatalogProduct>;
	categories?: readonly CategoryView[];
}

let views: Views | undefined;

function viewsOf(catalog: readonly CatalogProduct[]): Views {
	// One set of derived lists per catalog read: in a build that is once; in dev, again after a file changed.
	if (views?.catalog !== catalog) views = { catalog };
	return views;
}

/** Every product file, validated (inactive products too), in file-name order; prices in minor units. */
export function getCatalog(): readonly CatalogProduct[] {
	return readCatalog();
}

/** The active products, featured first, then by title. */
export function activeProducts(): readonly CatalogProduct[] {
	const view = viewsOf(readCatalog());
	view.active ??= sortedActive(view.catalog);
	return view.active;
}

/** The active product with this handle (the file name without `.md`), or undefined. */
export function getProduct(handle: string): CatalogProduct | undefined {
	const view = viewsOf(readCatalog());
	view.byHandle ??= new Map(activeProducts().map((product) => [product.handle, product]));
	return view.byHandle.get(handle);
}

let builtCategories: readonly CategoryView[] | undefined;

/**
 * The categories of the active products, by title, with their product counts. Cheap on every page, on-demand ones
 * included: a built site works them out once per process and does not keep the catalog in memory for them.
 */
export function getCategories(): readonly CategoryView[] {
	if (live) {
		const view = viewsOf(readCatalog());
		view.categories ??= categoriesOf(view.catalog.filter((product) => product.active));
		return view.categories;
	}
	builtCategories ??= categoriesOf(loadCatalog().filter((product) => product.active));
	return builtCategories;
}

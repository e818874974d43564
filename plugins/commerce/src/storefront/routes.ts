import type { ResolvedOptions } from '../options.ts';
import type { InjectedRoute } from './collisions.ts';

/**
 * The injected shop pages: each `pages.<name>` option maps to one or more `.astro` files in `storefront/pages`.
 * Catalog, category, product and the static shells (cart, checkout, confirmation, lookup, account forms) are
 * prerendered; the order detail page is rendered on demand because order ids are not known at build time.
 */
const PAGE_FILES: Record<keyof ResolvedOptions['pages'], [suffix: string, file: string, prerender: boolean][]> = {
	catalog: [['', 'catalog', true]],
	product: [['/[handle]', 'product', true]],
	category: [['/[handle]', 'category', true]],
	cart: [['', 'cart', true]],
	checkout: [['', 'checkout', true]],
	orderConfirmed: [['', 'order-confirmed', true]],
	orderLookup: [['', 'order-lookup', true]],
	account: [
		['', 'account/index', true],
		['/login', 'account/login', true],
		['/register', 'account/register', true],
		['/forgot-password', 'account/forgot-password', true],
		['/reset-password', 'account/reset-password', true],
		['/profile', 'account/profile', true],
		['/orders', 'account/orders', true],
		['/orders/[id]', 'account/order', false],
		['/wishlist', 'account/wishlist', true],
		['/claim', 'account/claim', true],
	],
};

/** Routes of the pages the options inject (Astro adds `base` itself), each naming the option that controls it. */
export function shopRoutes(pages: ResolvedOptions['pages'], pkg: string): InjectedRoute[] {
	return (Object.keys(PAGE_FILES) as (keyof typeof PAGE_FILES)[]).flatMap((name) =>
		pages[name].inject
			? PAGE_FILES[name].map(([suffix, file, prerender]) => ({
					pattern: `${pages[name].path === '/' ? '' : pages[name].path}${suffix}` || '/',
					entrypoint: `${pkg}/storefront/pages/${file}.astro`,
					prerender,
					option: `pages.${name}`,
				}))
			: [],
	);
}

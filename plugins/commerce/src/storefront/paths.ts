/**
 * Where the shop's pages live, as the browser sees them (Astro's `base` included, trailing slash on pages). Every link,
 * redirect, island prop and email link of the plugin is derived from this one object, so moving a page (`pages`
 * option) or serving the site under a `base` moves every link to it.
 */

/** The pages `commerce()` can inject, each movable with `pages.<name>: '/path'` or turned off with `false`. */
export const SHOP_PAGES = [
	'catalog',
	'product',
	'category',
	'cart',
	'checkout',
	'orderConfirmed',
	'orderLookup',
	'account',
] as const;
export type ShopPage = (typeof SHOP_PAGES)[number];

/** The demo's paths, the defaults of the `pages` option. */
export const DEFAULT_PAGE_PATHS: Record<ShopPage, string> = {
	catalog: '/products',
	product: '/products',
	category: '/categories',
	cart: '/cart',
	checkout: '/checkout',
	orderConfirmed: '/order/confirmed',
	orderLookup: '/order/lookup',
	account: '/account',
};

/** One page as resolved: its path without base or trailing slash, and whether the plugin injects it. */
export interface PageSetting {
	path: string;
	inject: boolean;
}

export interface ShopPaths {
	/** Astro's `base`, always ending in `/` (`/` or `/shop/`). */
	base: string;
	/** The Store API, e.g. `/shop/store` (islands' `storeUrl`). */
	store: string;
	/** The analytics beacon (islands' `analyticsUrl`). */
	analytics: string;
	catalog: string;
	/** Product pages are this prefix + handle + `/`. */
	product: string;
	/** Category pages are this prefix + handle + `/`. */
	category: string;
	cart: string;
	checkout: string;
	orderConfirmed: string;
	orderLookup: string;
	account: string;
	login: string;
	register: string;
	forgotPassword: string;
	resetPassword: string;
	profile: string;
	/** Order detail pages are this prefix + order id + `/`. */
	orders: string;
	wishlist: string;
	claim: string;
}

/** `/shop` or `/shop/` or `` → `/shop/`; `/` stays `/`. */
export function normalizeBase(base: string | undefined): string {
	const trimmed = (base ?? '/').replace(/\/+$/, '');
	return `${trimmed.startsWith('/') ? '' : '/'}${trimmed}/`.replace(/^\/\/$/, '/');
}

/** Joins base and a root-relative path: (`/shop/`, `/cart`) → `/shop/cart/`; `/` → `/shop/`. */
export function withBase(base: string, path: string, trailingSlash = true): string {
	const joined = `${normalizeBase(base)}${path.replace(/^\/+/, '')}`.replace(/\/+$/, '');
	return trailingSlash ? `${joined}/` : joined || '/';
}

/** Every shop URL from the page settings, the API paths and Astro's `base`. */
export function shopPaths(
	pages: Record<ShopPage, PageSetting>,
	api: { storeBasePath: string; analyticsPath: string },
	base = '/',
): ShopPaths {
	const page = (name: ShopPage) => withBase(base, pages[name].path);
	const account = page('account');
	return {
		base: normalizeBase(base),
		store: withBase(base, api.storeBasePath, false),
		analytics: withBase(base, api.analyticsPath, false),
		catalog: page('catalog'),
		product: page('product'),
		category: page('category'),
		cart: page('cart'),
		checkout: page('checkout'),
		orderConfirmed: page('orderConfirmed'),
		orderLookup: page('orderLookup'),
		account,
		login: `${account}login/`,
		register: `${account}register/`,
		forgotPassword: `${account}forgot-password/`,
		resetPassword: `${account}reset-password/`,
		profile: `${account}profile/`,
		orders: `${account}orders/`,
		wishlist: `${account}wishlist/`,
		claim: `${account}claim/`,
	};
}

/** The shop's own absolute URL for a path: Astro's `site` when configured (links in emails), else the request's origin. */
export function shopUrl(path: string, requestOrigin: string, site?: string): URL {
	return new URL(path, site ? new URL(site).origin : requestOrigin);
}

/**
 * Path prefixes (with `base`) of everything the plugin serves: its APIs, the admin and the injected pages. These get
 * the strict security headers; the site's own pages get `securityHeaders.sitePages`.
 */
export function pluginPathPrefixes(
	pages: Record<ShopPage, PageSetting>,
	paths: ShopPaths,
	apiPaths: string[],
): string[] {
	const injected = SHOP_PAGES.filter((name) => pages[name].inject)
		.map((name) => paths[name])
		// A catalog at the site's root would make every page the plugin's: the root keeps the site policy.
		.filter((path) => path !== paths.base);
	return [...apiPaths.map((p) => withBase(paths.base, p)), ...injected];
}

/** True when `pathname` is one of the plugin's paths (`/admin`, `/admin/…`, `/cart/`, `/cart/index.html`). */
export function isPluginPath(pathname: string, prefixes: readonly string[]): boolean {
	const path = `${pathname.replace(/\/index\.html$/, '/').replace(/\/+$/, '')}/`;
	return prefixes.some((prefix) => path.startsWith(prefix));
}

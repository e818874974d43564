/**
 * The shopper's region (and so currency), chosen with the storefront's region switcher. Kept in localStorage under
 * this key, beside the cart id: new carts are created in it, the catalog search prices in it, and the switcher
 * re-prices an existing cart (`POST /store/carts/:id {region_id}`). Pages are prerendered in the default region; a
 * tiny script of the site re-renders their prices from the per-currency prices in the HTML.
 */
export const REGION_KEY = 'commerce_region_id';

/** The stored region id, or undefined (default region) on the server, without storage or before a choice. */
export function preferredRegionId(): string | undefined {
	try {
		return localStorage.getItem(REGION_KEY) ?? undefined;
	} catch {
		return undefined;
	}
}

/** Remembers the chosen region for this browser. */
export function setPreferredRegionId(regionId: string): void {
	try {
		localStorage.setItem(REGION_KEY, regionId);
	} catch {
		// No storage: the choice lasts as long as the page.
	}
}

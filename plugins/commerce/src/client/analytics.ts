// Storefront analytics for the islands: one beacon per event, nothing when the browser asks not to be tracked.
// Kept tiny (it ships on every page): no imports, no batching, no retries.

/** Event types a browser may send; `purchase` is recorded by the server. */
export type TrackedEvent = 'page_view' | 'product_view' | 'add_to_cart' | 'view_cart' | 'checkout_start';

/** Optional details of an event; `value` is in minor units of `currency`. */
export interface TrackData {
	product_id?: string;
	variant_id?: string;
	cart_id?: string;
	value?: number;
	currency?: string;
}

const KEY = 'commerce_visit';
let endpoint = '/analytics/events';
let memo = '';

/** Sends beacons to another path than `/analytics/events` (the plugin's `analyticsPath`). */
export function configureAnalytics(url: string): void {
	endpoint = url;
}

/** The visit id: 16 random bytes as hex, one per tab session (sessionStorage), or per page when storage is off. */
function visit(): string {
	try {
		memo = sessionStorage.getItem(KEY) ?? '';
	} catch {
		// Storage disabled: keep the id of this page.
	}
	if (!/^[0-9a-f]{32}$/.test(memo)) {
		memo = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
		try {
			sessionStorage.setItem(KEY, memo);
		} catch {
			// As above.
		}
	}
	return memo;
}

/**
 * Records a storefront event with `navigator.sendBeacon` (fetch with `keepalive` where it is missing). Does nothing on
 * the server, and nothing when the browser sends Do Not Track or Global Privacy Control. The visit id also goes into
 * a session cookie, so the server can join the order's `purchase` to this visit.
 */
export function track(type: TrackedEvent, data: TrackData = {}): void {
	if (typeof window === 'undefined') return;
	const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
	if (nav.doNotTrack === '1' || nav.globalPrivacyControl) return;
	const id = visit();
	document.cookie = `${KEY}=${id}; path=/; samesite=lax`;
	const body = JSON.stringify({
		type,
		visit_id: id,
		path: location.pathname.slice(0, 200),
		occurred_at: Date.now(),
		...data,
	});
	try {
		if (nav.sendBeacon(endpoint, body)) return;
	} catch {
		// Not supported or refused: fall through to fetch.
	}
	fetch(endpoint, { method: 'POST', body, keepalive: true }).catch(() => undefined);
}

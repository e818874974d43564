/**
 * The analytics event vocabulary and the request rules of the beacon, as pure functions of strings: which events a
 * browser may send, what a visit id looks like, and which requests are dropped unread (privacy signals, bots).
 */

/** Every event type; `purchase` is written by the server when an order is placed, never accepted from a browser. */
export const ANALYTICS_EVENT_TYPES = [
	'page_view',
	'product_view',
	'add_to_cart',
	'view_cart',
	'checkout_start',
	'purchase',
] as const;
export type AnalyticsEventType = (typeof ANALYTICS_EVENT_TYPES)[number];

/** The types a browser may send to the beacon. */
export const CLIENT_EVENT_TYPES = ['page_view', 'product_view', 'add_to_cart', 'view_cart', 'checkout_start'] as const;
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];

/** A visit id: 16 random bytes as 32 lowercase hex digits, made by the browser per tab session. */
export const VISIT_ID_PATTERN = /^[0-9a-f]{32}$/;

/** Name of the session cookie that carries the visit id to the server, so a purchase can join its visit. */
export const VISIT_COOKIE = 'commerce_visit';

/** The most events one beacon may carry. */
export const MAX_EVENTS_PER_BEACON = 20;
/** The largest beacon body, in bytes. */
export const MAX_BEACON_BYTES = 8 * 1024;
/** Longest stored path. */
export const MAX_PATH_LENGTH = 200;

// Crawlers, link previewers, monitors, headless browsers and HTTP libraries: none of them is a shopper.
const BOT_PATTERN =
	/bot\b|bot[/;-]|crawl|spider|slurp|archiver|headless|phantomjs|selenium|webdriver|puppeteer|playwright|lighthouse|pagespeed|gtmetrix|preview|facebookexternalhit|embedly|whatsapp|monitor|uptime|pingdom|curl\/|wget\/|httpie|python-|aiohttp|go-http-client|java\/|okhttp|node-fetch|undici|axios|^node$|libwww|scrapy|feedfetcher/i;

/** True for a missing user agent or one that names a bot, crawler, headless browser or HTTP library. */
export function isBotUserAgent(userAgent: string | null | undefined): boolean {
	const ua = userAgent?.trim();
	if (!ua || ua.length < 10) return true;
	return BOT_PATTERN.test(ua);
}

/** True when the request carries `DNT: 1` or `Sec-GPC: 1`: nothing about it is recorded. */
export function refusesTracking(headers: { get(name: string): string | null }): boolean {
	return headers.get('dnt')?.trim() === '1' || headers.get('sec-gpc')?.trim() === '1';
}

/**
 * The visit id of a request that allows tracking: the `commerce_visit` cookie when it has the visit-id format, else
 * null. Requests with `DNT: 1` or `Sec-GPC: 1` get null whatever their cookies say.
 */
export function visitIdFromRequest(headers: { get(name: string): string | null }): string | null {
	if (refusesTracking(headers)) return null;
	for (const part of (headers.get('cookie') ?? '').split(';')) {
		const index = part.indexOf('=');
		if (index > 0 && part.slice(0, index).trim() === VISIT_COOKIE) {
			const value = part.slice(index + 1).trim();
			return VISIT_ID_PATTERN.test(value) ? value : null;
		}
	}
	return null;
}

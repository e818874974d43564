import { publicOrigin } from '../../http/public-origin.ts';
import type { RequestContext } from '../../http/router.ts';
import type { RegionOptions } from '../../options.ts';
import { regionProviders } from '../../services/checkout/checkout-deps.ts';

/**
 * What the Medusa mappers need from the request and the runtime beyond the domain objects: the public origin that
 * makes image URLs absolute, and the payment providers each region really offers.
 */
export interface Presentation {
	/** `https://shop.example` (no trailing slash). */
	origin: string;
	/** Provider ids of a region, in the order storefronts list them. */
	providersOf(region: RegionOptions): string[];
}

/**
 * The presentation of one request. The origin is the site's `site` option when set, else the request's own origin as
 * Astro resolved it: Astro honours `X-Forwarded-Host`/`-Proto` only for hosts listed in `security.allowedDomains`, so a
 * client cannot make us print links to another host.
 */
export function presentation(ctx: Pick<RequestContext, 'url' | 'runtime'>): Presentation {
	const { options, payments } = ctx.runtime;
	const origin = publicOrigin(options, ctx.url);
	return { origin, providersOf: (region) => regionProviders(payments, region).map((p) => p.id) };
}

/**
 * An absolute URL for an image or link the API returns: site-relative paths (`/images/x.svg`) get the public origin;
 * absolute URLs (a CDN) and `null` pass unchanged.
 */
export function absoluteUrl(p: Presentation, url: string): string;
export function absoluteUrl(p: Presentation, url: string | null): string | null;
export function absoluteUrl(p: Presentation, url: string | null): string | null {
	if (!url) return url;
	if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return url;
	return `${p.origin}${url.startsWith('/') ? '' : '/'}${url}`;
}

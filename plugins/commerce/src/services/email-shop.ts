import type { EmailShop } from '../email/index.ts';
import type { ResolvedOptions } from '../options.ts';

/**
 * The footer and colour every email carries, from the plugin options: `storeAddress`, `supportEmail`, `brandColor`,
 * and `supportUrl` made absolute against the shop's public origin (a mail client has no page to resolve it against).
 * Without an origin (an email sent outside a request) the `siteUrl` option is used; a relative `supportUrl` with
 * neither is left out rather than printed as a broken link. The one source of every email's footer: each sender
 * passes its result to the template, which requires it. Also carries the build's PNG renditions of product images.
 */
export function emailShopOf(
	options: Pick<
		ResolvedOptions,
		'storeAddress' | 'supportEmail' | 'supportUrl' | 'brandColor' | 'siteUrl' | 'emailImages'
	>,
	origin?: string,
): EmailShop {
	const shop: EmailShop = { color: options.brandColor };
	if (options.emailImages) shop.images = options.emailImages;
	if (options.storeAddress) shop.address = options.storeAddress;
	if (options.supportEmail) shop.supportEmail = options.supportEmail;
	const base = origin ?? options.siteUrl;
	if (options.supportUrl && (base || URL.canParse(options.supportUrl)))
		shop.contactUrl = new URL(options.supportUrl, base).href;
	return shop;
}

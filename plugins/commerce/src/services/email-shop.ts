import type { EmailShop } from '../email/index.ts';
import type { ResolvedOptions } from '../options.ts';

/**
 * The footer and colour every email carries, from the plugin options: `storeAddress`, `supportEmail`, `brandColor`,
 * and `supportUrl` made absolute against the shop's public origin (a mail client has no page to resolve it against).
 * Without an origin (an email sent outside a request) the `siteUrl` option is used; a relative `supportUrl` with
 * neither is left out rather than printed as a broken link.
 */
export function emailShopOf(
	options: Pick<ResolvedOptions, 'storeAddress' | 'supportEmail' | 'supportUrl' | 'brandColor' | 'siteUrl'>,
	origin?: string,
): EmailShop {
	const shop: EmailShop = { color: options.brandColor };
	if (options.storeAddress) shop.address = options.storeAddress;
	if (options.supportEmail) shop.supportEmail = options.supportEmail;
	const base = origin ?? options.siteUrl;
	if (options.supportUrl && (base || URL.canParse(options.supportUrl)))
		shop.contactUrl = new URL(options.supportUrl, base).href;
	return shop;
}

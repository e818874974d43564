import type { EmailShop } from './layout.ts';
import { brandColor, html, renderLayout, textSignature } from './layout.ts';
import type { RenderedEmail } from './order-confirmation.ts';

/** "Confirm: tell me when … is back": the double opt-in of a back-in-stock request. */
export function stockAlertConfirmEmail(input: {
	shopName: string;
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
	productTitle: string;
	variantTitle: string;
	confirmUrl: string;
}): RenderedEmail {
	const item = `${input.productTitle} (${input.variantTitle})`;
	const subject = `Confirm your back-in-stock alert for ${input.productTitle}`;
	const detail = `Someone (we hope you) asked ${input.shopName} to email this address when ${item} is back in stock. Confirm with the link below; without it we send nothing.`;
	const text = [
		detail,
		'',
		input.confirmUrl,
		'',
		'If this was not you, ignore this email.',
		'',
		...textSignature(input.shopName, input.shop),
	].join('\n');
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Confirm your alert</h1>
<p style="margin:0 0 16px;">${detail}</p>
<p style="margin:0 0 16px;"><a href="${input.confirmUrl}" style="color:${brandColor(input.shop)};font-weight:bold;">Yes, email me when it is back</a></p>
<p style="margin:0;">If this was not you, ignore this email.</p>`;
	return {
		subject,
		text,
		html: renderLayout({ shopName: input.shopName, title: subject, preheader: detail, content, shop: input.shop }),
	};
}

/** "… is back in stock": sent once per confirmed request when the variant is restocked. */
export function backInStockEmail(input: {
	shopName: string;
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
	productTitle: string;
	variantTitle: string;
	productUrl: string;
}): RenderedEmail {
	const item = `${input.productTitle} (${input.variantTitle})`;
	const subject = `${input.productTitle} is back in stock`;
	const detail = `${item} is available again at ${input.shopName}. Stock can go quickly; this is the only email we send about it.`;
	const text = [detail, '', input.productUrl, '', ...textSignature(input.shopName, input.shop)].join('\n');
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Back in stock</h1>
<p style="margin:0 0 16px;">${detail}</p>
<p style="margin:0;"><a href="${input.productUrl}" style="color:${brandColor(input.shop)};font-weight:bold;">See ${input.productTitle}</a></p>`;
	return {
		subject,
		text,
		html: renderLayout({ shopName: input.shopName, title: subject, preheader: detail, content, shop: input.shop }),
	};
}

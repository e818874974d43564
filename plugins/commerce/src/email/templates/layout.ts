/** HTML that has already been escaped or built from escaped parts; `html` inserts it verbatim. */
export class SafeHtml {
	constructor(readonly value: string) {}

	toString(): string {
		return this.value;
	}
}

/** A value `html` can interpolate: text is escaped, `SafeHtml` is kept, arrays are joined, null/undefined/false vanish. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * Tagged template for email markup that escapes every interpolated value unless it is `SafeHtml`,
 * so forgetting to escape a product title cannot happen.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
	let out = strings[0] ?? '';
	values.forEach((value, index) => {
		out += renderValue(value) + (strings[index + 1] ?? '');
	});
	return new SafeHtml(out);
}

function renderValue(value: HtmlValue): string {
	if (value === null || value === undefined || value === false) return '';
	if (value instanceof SafeHtml) return value.value;
	if (Array.isArray(value)) return value.map(renderValue).join('');
	return escapeHtml(String(value));
}

/**
 * Who the shop is in every email's footer and how it looks: the postal address and support contact a customer can
 * reach (required in transactional mail by consumer law in many countries), and the header/button colour. Built from
 * the plugin options by `emailShopOf`; every field may be missing.
 */
export interface EmailShop {
	/** Postal address, one line per `\n`. */
	address?: string;
	/** Where customers write with questions, e.g. `help@shop.example`. */
	supportEmail?: string;
	/** Absolute link to the shop's contact page. */
	contactUrl?: string;
	/** Header and button colour as `#rrggbb`. @default '#14213d' */
	color?: string;
	/** PNG renditions of product images mail clients would not show (SVG…), by source path (`emailImageUrl`). */
	images?: Readonly<Record<string, string>>;
}

/** Options of `renderLayout`. */
export interface LayoutOptions {
	shopName: string;
	/** The document title, shown by some clients in previews and browser views. */
	title: string;
	/** Short text many clients show next to the subject in the inbox list. */
	preheader?: string;
	content: SafeHtml;
	/** Address, support contact and colour for the footer and header; the footer shows the shop's name alone without it. */
	shop?: EmailShop;
}

const NAVY = '#14213d';
const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** The shop's colour when it is a valid `#rrggbb`, else navy (a colour lands in a style attribute, so it is checked). */
export function brandColor(shop?: EmailShop): string {
	return shop?.color && HEX_COLOR.test(shop.color) ? shop.color : NAVY;
}

/** The call-to-action button every email uses, in the shop's colour. */
export function emailButton(href: string, label: string, shop?: EmailShop): SafeHtml {
	return html`<a href="${href}" style="display:inline-block;background:${brandColor(shop)};color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold;">${label}</a>`;
}

/** The support contact as one sentence, or null when the shop gave none. */
function supportSentence(shop?: EmailShop): string | null {
	if (shop?.supportEmail && shop.contactUrl)
		return `Questions? Write to ${shop.supportEmail} or use ${shop.contactUrl}`;
	if (shop?.supportEmail) return `Questions? Write to ${shop.supportEmail}`;
	if (shop?.contactUrl) return `Questions? Contact us at ${shop.contactUrl}`;
	return null;
}

/**
 * The plain-text signature every email ends with: the shop's name, its address lines and the support contact — the
 * same as the HTML footer of `renderLayout`, so both parts of a message say who sent it.
 */
export function textSignature(shopName: string, shop: EmailShop): string[] {
	const lines = ['--', shopName, ...addressLines(shop)];
	const support = supportSentence(shop);
	if (support) lines.push(support);
	return [...lines, ''];
}

function addressLines(shop?: EmailShop): string[] {
	return (shop?.address ?? '')
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean);
}

function footer(shopName: string, shop?: EmailShop): SafeHtml {
	const muted = 'margin:0;color:#6b7280;font-size:13px;text-align:center;';
	const address = addressLines(shop);
	const mail = shop?.supportEmail;
	const contact = shop?.contactUrl;
	return html`<div style="margin:16px 0 0;">
<p style="${muted}font-weight:bold;">${shopName}</p>
${address.length ? html`<p style="${muted}">${address.map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}</p>` : ''}
${
	mail || contact
		? html`<p style="${muted}">Questions? ${mail ? html`Write to <a href="mailto:${mail}" style="color:#374151;">${mail}</a>` : ''}${mail && contact ? ' or ' : ''}${contact ? html`<a href="${contact}" style="color:#374151;">contact us</a>` : ''}</p>`
		: ''
}
</div>`;
}

/**
 * Wraps email content in the shop's layout: a header in the shop's colour with its name, a white card at most 600px
 * wide, and a footer with the shop's name, address and support contact. Styles are inline because most mail clients
 * drop `<style>` blocks.
 */
export function renderLayout({ shopName, title, preheader, content, shop }: LayoutOptions): string {
	const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;color:#1f2933;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;">
${preheader ? html`<div style="display:none;max-height:0;overflow:hidden;">${preheader}</div>` : ''}
<div style="max-width:600px;margin:0 auto;padding:16px 12px;">
<div style="background:${brandColor(shop)};color:#ffffff;padding:20px 24px;border-radius:6px 6px 0 0;">
<div style="font-size:20px;font-weight:bold;">${shopName}</div>
</div>
<div style="background:#ffffff;padding:24px;border-radius:0 0 6px 6px;">
${content}
</div>
${footer(shopName, shop)}
</div>
</body>
</html>
`;
	return page.value;
}

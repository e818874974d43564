import { formatAddressLines } from '../../core/address-format.ts';
import { lineName } from '../../core/line-name.ts';
import { formatMoney } from '../../core/money.ts';
import type { EmailShop, SafeHtml } from './layout.ts';
import { emailButton, html, renderLayout, textSignature } from './layout.ts';

/** One line of the order as the customer bought it; amounts in minor units. */
export interface OrderEmailItem {
	title: string;
	variantTitle: string;
	quantity: number;
	unitPrice: number;
	total: number;
	/** Absolute URL of the product image (a mail client has no page to resolve a relative one against). */
	imageUrl?: string | null;
}

/** The shipping address fields the confirmation shows; any of them may be missing. */
export interface OrderEmailAddress {
	firstName?: string | null;
	lastName?: string | null;
	company?: string | null;
	address1?: string | null;
	address2?: string | null;
	city?: string | null;
	/** State, province or county: US addresses need it. */
	province?: string | null;
	postalCode?: string | null;
	countryCode?: string | null;
}

/** Everything the order confirmation needs; amounts are integer minor units of `currency`. */
export interface OrderConfirmationInput {
	displayId: number;
	email: string;
	currency: string;
	items: OrderEmailItem[];
	subtotal: number;
	discountTotal: number;
	shippingTotal: number;
	taxTotal: number;
	total: number;
	shippingAddress?: OrderEmailAddress | null;
	/** The shipping option the shopper chose, e.g. `Standard shipping`. */
	shippingMethod?: string | null;
	/** Paid with gift cards (minor units); `total` is what the card paid. */
	giftCardTotal?: number;
	/** Absolute link to the order page. */
	orderUrl: string;
	shopName: string;
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
}

/** A rendered email without recipient. */
export interface RenderedEmail {
	subject: string;
	text: string;
	html: string;
}

/** Renders the order confirmation as a subject, a plain-text body and an HTML body with the same content. */
export function orderConfirmationEmail(order: OrderConfirmationInput): RenderedEmail {
	const money = (amount: number): string => formatMoney(amount, order.currency);
	const subject = `Order #${order.displayId} confirmed — ${order.shopName}`;
	const items = order.items.map((item) => ({
		name: lineName(item.title, item.variantTitle),
		detail: `${item.quantity} × ${money(item.unitPrice)}`,
		total: money(item.total),
		imageUrl: item.imageUrl ?? null,
	}));
	const totals: [label: string, amount: string][] = [['Subtotal', money(order.subtotal)]];
	if (order.discountTotal > 0) totals.push(['Discount', money(-order.discountTotal)]);
	const shipping = order.shippingMethod ? `Shipping (${order.shippingMethod})` : 'Shipping';
	totals.push([shipping, money(order.shippingTotal)], ['Tax', money(order.taxTotal)]);
	if (order.giftCardTotal) totals.push(['Gift card', money(-order.giftCardTotal)]);
	const address = addressLines(order.shippingAddress);
	const nextStep = "We'll email you when it ships.";

	const text = [
		`Thank you for your order. Order #${order.displayId} is confirmed.`,
		'',
		'Items',
		...items.map((item) => `- ${item.name}: ${item.detail} = ${item.total}`),
		'',
		...totals.map(([label, amount]) => `${label}: ${amount}`),
		`Total: ${money(order.total)}`,
		...(order.shippingMethod ? ['', `Shipping method: ${order.shippingMethod}`] : []),
		...(address.length > 0 ? ['', 'Shipping to', ...address] : []),
		'',
		'What happens next',
		nextStep,
		'',
		`View your order: ${order.orderUrl}`,
		'',
		...textSignature(order.shopName, order.shop),
	].join('\n');

	const heading = 'margin:24px 0 8px;font-size:16px;';
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Order #${order.displayId} confirmed</h1>
<p style="margin:0 0 16px;">Thank you for your order. This confirmation was sent to ${order.email}.</p>
<h2 style="${heading}">Items</h2>
${items.map((item) => row(itemCell(item), item.total))}
<div style="margin-top:8px;">
${totals.map(([label, amount]) => row(label, amount))}
${row(html`<strong>Total</strong>`, html`<strong>${money(order.total)}</strong>`)}
</div>
${
	address.length > 0
		? html`<h2 style="${heading}">Shipping to</h2>
${order.shippingMethod ? html`<p style="margin:0 0 8px;">${order.shippingMethod}</p>` : ''}
<p style="margin:0;">${address.map((line, index) => html`${index > 0 ? html`<br>` : ''}${line}`)}</p>`
		: ''
}
<h2 style="${heading}">What happens next</h2>
<p style="margin:0 0 20px;">${nextStep}</p>
<p style="margin:0 0 8px;">${emailButton(order.orderUrl, 'View your order', order.shop)}</p>
<p style="margin:0;color:#6b7280;font-size:13px;word-break:break-all;">Or open ${order.orderUrl}</p>`;

	return {
		subject,
		text,
		html: renderLayout({
			shopName: order.shopName,
			title: subject,
			preheader: `Order #${order.displayId} is confirmed.`,
			content,
			shop: order.shop,
		}),
	};
}

// Floats rather than flexbox or tables: they survive the widest range of mail clients and wrap well on phones.
function row(label: string | SafeHtml, amount: string | SafeHtml): SafeHtml {
	return html`<div style="overflow:hidden;padding:6px 0;border-bottom:1px solid #e5e7eb;"><span style="float:right;padding-left:12px;">${amount}</span>${label}</div>
`;
}

// A small image beside the name when the line has one; the alt text repeats the name for clients that block images.
function itemCell(item: { name: string; detail: string; imageUrl: string | null }): SafeHtml {
	const text = html`<strong>${item.name}</strong><br><span style="color:#6b7280;">${item.detail}</span>`;
	if (!item.imageUrl) return text;
	return html`<img src="${item.imageUrl}" alt="${item.name}" width="56" height="56" style="float:left;width:56px;height:56px;margin:0 12px 0 0;border-radius:4px;background:#f4f5f7;object-fit:contain;">${text}`;
}

/** The address in its country's format (the same lines the storefront and the admin show), state included. */
export function addressLines(address: OrderEmailAddress | null | undefined): string[] {
	if (!address) return [];
	return formatAddressLines({
		first_name: address.firstName,
		last_name: address.lastName,
		company: address.company,
		address_1: address.address1,
		address_2: address.address2,
		city: address.city,
		province: address.province,
		postal_code: address.postalCode,
		country_code: address.countryCode,
	});
}

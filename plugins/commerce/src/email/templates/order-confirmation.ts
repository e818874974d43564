import { lineName } from '../../core/line-name.ts';
import { formatMoney } from '../../core/money.ts';
import type { SafeHtml } from './layout.ts';
import { html, renderLayout } from './layout.ts';

/** One line of the order as the customer bought it; amounts in minor units. */
export interface OrderEmailItem {
	title: string;
	variantTitle: string;
	quantity: number;
	unitPrice: number;
	total: number;
}

/** The shipping address fields the confirmation shows; any of them may be missing. */
export interface OrderEmailAddress {
	firstName?: string | null;
	lastName?: string | null;
	address1?: string | null;
	city?: string | null;
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
	/** Absolute link to the order page. */
	orderUrl: string;
	shopName: string;
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
	}));
	const totals: [label: string, amount: string][] = [['Subtotal', money(order.subtotal)]];
	if (order.discountTotal > 0) totals.push(['Discount', money(-order.discountTotal)]);
	totals.push(['Shipping', money(order.shippingTotal)], ['Tax', money(order.taxTotal)]);
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
		...(address.length > 0 ? ['', 'Shipping to', ...address] : []),
		'',
		'What happens next',
		nextStep,
		'',
		`View your order: ${order.orderUrl}`,
		'',
		order.shopName,
		'',
	].join('\n');

	const heading = 'margin:24px 0 8px;font-size:16px;';
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Order #${order.displayId} confirmed</h1>
<p style="margin:0 0 16px;">Thank you for your order. This confirmation was sent to ${order.email}.</p>
<h2 style="${heading}">Items</h2>
${items.map((item) => row(html`<strong>${item.name}</strong><br><span style="color:#6b7280;">${item.detail}</span>`, item.total))}
<div style="margin-top:8px;">
${totals.map(([label, amount]) => row(label, amount))}
${row(html`<strong>Total</strong>`, html`<strong>${money(order.total)}</strong>`)}
</div>
${
	address.length > 0
		? html`<h2 style="${heading}">Shipping to</h2>
<p style="margin:0;">${address.map((line, index) => html`${index > 0 ? html`<br>` : ''}${line}`)}</p>`
		: ''
}
<h2 style="${heading}">What happens next</h2>
<p style="margin:0 0 20px;">${nextStep}</p>
<p style="margin:0 0 8px;"><a href="${order.orderUrl}" style="display:inline-block;background:#14213d;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold;">View your order</a></p>
<p style="margin:0;color:#6b7280;font-size:13px;word-break:break-all;">Or open ${order.orderUrl}</p>`;

	return {
		subject,
		text,
		html: renderLayout({
			shopName: order.shopName,
			title: subject,
			preheader: `Order #${order.displayId} is confirmed.`,
			content,
		}),
	};
}

// Floats rather than flexbox or tables: they survive the widest range of mail clients and wrap well on phones.
function row(label: string | SafeHtml, amount: string | SafeHtml): SafeHtml {
	return html`<div style="overflow:hidden;padding:6px 0;border-bottom:1px solid #e5e7eb;"><span style="float:right;padding-left:12px;">${amount}</span>${label}</div>
`;
}

function addressLines(address: OrderEmailAddress | null | undefined): string[] {
	if (!address) return [];
	const join = (...parts: (string | null | undefined)[]): string => parts.filter(Boolean).join(' ');
	return [
		join(address.firstName, address.lastName),
		join(address.address1),
		join(address.postalCode, address.city),
		join(address.countryCode?.toUpperCase()),
	].filter((line) => line.length > 0);
}

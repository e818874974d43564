import { lineName } from '../../core/line-name.ts';
import { formatMoney } from '../../core/money.ts';
import type { EmailShop } from './layout.ts';
import { emailButton, html, renderLayout, textSignature } from './layout.ts';
import type { OrderEmailItem, RenderedEmail } from './order-confirmation.ts';

/** Everything the cancellation notice needs; amounts are integer minor units of `currency`. */
export interface OrderCanceledInput {
	displayId: number;
	email: string;
	currency: string;
	items: OrderEmailItem[];
	total: number;
	/** What was refunded by this cancellation (0 when the authorization was released or nothing was paid). */
	refunded: number;
	/** True when an authorization was released: the shopper was never charged. */
	voided: boolean;
	/** e.g. `visa` and `4242`, when known. */
	cardBrand?: string | null;
	cardLast4?: string | null;
	/** Absolute link to the order page. */
	orderUrl: string;
	shopName: string;
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
}

function moneyNote(input: OrderCanceledInput, money: (amount: number) => string): string {
	const card = input.cardLast4 ? ` ending in ${input.cardLast4}` : '';
	const brand = input.cardBrand && input.cardBrand !== 'unknown' ? `${input.cardBrand.toUpperCase()} card` : 'card';
	if (input.refunded > 0) {
		return `We refunded ${money(input.refunded)} to your ${brand}${card}. Depending on your bank it shows up within 5 to 10 business days.`;
	}
	if (input.voided) return `The payment on your ${brand}${card} was released: you were not charged.`;
	return 'Nothing was charged for this order.';
}

/** Renders the notice sent when an order is canceled: what was canceled and what happens to the money. */
export function orderCanceledEmail(input: OrderCanceledInput): RenderedEmail {
	const money = (amount: number): string => formatMoney(amount, input.currency);
	const subject = `Order #${input.displayId} canceled — ${input.shopName}`;
	const items = input.items.map((item) => ({
		name: lineName(item.title, item.variantTitle),
		detail: `${item.quantity} × ${money(item.unitPrice)}`,
	}));
	const note = moneyNote(input, money);

	const text = [
		`Order #${input.displayId} has been canceled.`,
		'',
		'Items',
		...items.map((item) => `- ${item.name}: ${item.detail}`),
		`Order total: ${money(input.total)}`,
		'',
		'Your payment',
		note,
		'',
		`View your order: ${input.orderUrl}`,
		'',
		...textSignature(input.shopName, input.shop),
	].join('\n');

	const heading = 'margin:24px 0 8px;font-size:16px;';
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Order #${input.displayId} canceled</h1>
<p style="margin:0 0 16px;">Your order has been canceled as requested. This notice was sent to ${input.email}.</p>
<h2 style="${heading}">Items</h2>
${items.map(
	(
		item,
	) => html`<div style="padding:6px 0;border-bottom:1px solid #e5e7eb;"><strong>${item.name}</strong><br><span style="color:#6b7280;">${item.detail}</span></div>
`,
)}
<p style="margin:8px 0 0;">Order total: <strong>${money(input.total)}</strong></p>
<h2 style="${heading}">Your payment</h2>
<p style="margin:0 0 20px;">${note}</p>
<p style="margin:0 0 8px;">${emailButton(input.orderUrl, 'View your order', input.shop)}</p>
<p style="margin:0;color:#6b7280;font-size:13px;word-break:break-all;">Or open ${input.orderUrl}</p>`;

	return {
		subject,
		text,
		html: renderLayout({
			shopName: input.shopName,
			title: subject,
			preheader: `Order #${input.displayId} was canceled.`,
			content,
			shop: input.shop,
		}),
	};
}

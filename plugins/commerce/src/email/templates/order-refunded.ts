import { formatMoney } from '../../core/money.ts';
import type { EmailShop } from './layout.ts';
import { emailButton, html, renderLayout, textSignature } from './layout.ts';
import type { RenderedEmail } from './order-confirmation.ts';

/** Everything the refund notice needs; amounts are integer minor units of `currency`. */
export interface OrderRefundedInput {
	displayId: number;
	email: string;
	currency: string;
	/** What this refund gave back. */
	amount: number;
	/** Everything refunded on the order so far, this refund included. */
	refundedTotal: number;
	/** What the shopper paid by card. */
	paid: number;
	/** e.g. `visa` and `4242`, when known. */
	cardBrand?: string | null;
	cardLast4?: string | null;
	/** Absolute link to the order page. */
	orderUrl: string;
	shopName: string;
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
}

/** Renders the notice sent when the merchant refunds part or all of an order's payment. */
export function orderRefundedEmail(input: OrderRefundedInput): RenderedEmail {
	const money = (amount: number): string => formatMoney(amount, input.currency);
	const full = input.refundedTotal >= input.paid;
	const subject = `Refund of ${money(input.amount)} for order #${input.displayId} — ${input.shopName}`;
	const brand = input.cardBrand && input.cardBrand !== 'unknown' ? `${input.cardBrand.toUpperCase()} card` : 'card';
	const card = input.cardLast4 ? `${brand} ending in ${input.cardLast4}` : brand;
	const note = `We refunded ${money(input.amount)} to your ${card}. Depending on your bank it shows up within 5 to 10 business days.`;
	const summary = full
		? `Your payment of ${money(input.paid)} is now refunded in full.`
		: `Refunded so far: ${money(input.refundedTotal)} of the ${money(input.paid)} you paid.`;

	const text = [
		`A refund for order #${input.displayId}.`,
		'',
		note,
		summary,
		'',
		`View your order: ${input.orderUrl}`,
		'',
		...textSignature(input.shopName, input.shop),
	].join('\n');
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Refund for order #${input.displayId}</h1>
<p style="margin:0 0 16px;">This notice was sent to ${input.email}.</p>
<p style="margin:0 0 8px;font-size:20px;"><strong>${money(input.amount)}</strong> refunded</p>
<p style="margin:0 0 8px;">${note}</p>
<p style="margin:0 0 20px;">${summary}</p>
<p style="margin:0 0 8px;">${emailButton(input.orderUrl, 'View your order', input.shop)}</p>`;
	return {
		subject,
		text,
		html: renderLayout({
			shopName: input.shopName,
			title: subject,
			preheader: `${money(input.amount)} refunded for order #${input.displayId}.`,
			content,
			shop: input.shop,
		}),
	};
}

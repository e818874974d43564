import { lineName } from '../../core/line-name.ts';
import { formatMoney } from '../../core/money.ts';
import type { EmailShop } from './layout.ts';
import { brandColor, html, renderLayout, textSignature } from './layout.ts';
import type { RenderedEmail } from './order-confirmation.ts';

/** Everything the abandoned-cart reminder shows; amounts in minor units of `currency`. */
export interface CartReminderInput {
	shopName: string;
	/** Footer (address, support contact) and colour (`emailShopOf`). */
	shop: EmailShop;
	currency: string;
	items: { title: string; variantTitle: string; quantity: number; unitPrice: number | null }[];
	/** Reopens the cart on any device (signed, expires). */
	restoreUrl: string;
	/** Stops these reminders for the address. */
	unsubscribeUrl: string;
	/** How long the restore link works, in days (said in the email). */
	validDays: number;
}

/** "You left something in your cart": sent once per abandoned cart, with its items and a link back to it. */
export function cartReminderEmail(input: CartReminderInput): RenderedEmail {
	const money = (amount: number | null) => (amount === null ? '' : formatMoney(amount, input.currency));
	const subject = `You left something in your cart at ${input.shopName}`;
	const lines = input.items.map((item) => ({
		name: lineName(item.title, item.variantTitle),
		detail: item.unitPrice === null ? `× ${item.quantity}` : `${item.quantity} × ${money(item.unitPrice)}`,
	}));
	const detail = `Your cart is still waiting for you. The link below opens it again on any device for the next ${input.validDays} days.`;
	const once = 'This is the only reminder we send for this cart.';
	const text = [
		detail,
		'',
		...lines.map((l) => `- ${l.name}  ${l.detail}`),
		'',
		`Back to your cart: ${input.restoreUrl}`,
		'',
		once,
		`No more reminders: ${input.unsubscribeUrl}`,
		'',
		...textSignature(input.shopName, input.shop),
	].join('\n');
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Your cart is waiting</h1>
<p style="margin:0 0 16px;">${detail}</p>
<ul style="margin:0 0 16px;padding-left:20px;">${lines.map((l) => html`<li>${l.name} <span style="color:#6b7280;">${l.detail}</span></li>`)}</ul>
<p style="margin:0 0 16px;"><a href="${input.restoreUrl}" style="color:${brandColor(input.shop)};font-weight:bold;">Back to your cart</a></p>
<p style="margin:0;color:#6b7280;font-size:13px;">${once} <a href="${input.unsubscribeUrl}" style="color:#6b7280;">No more reminders</a></p>`;
	return {
		subject,
		text,
		html: renderLayout({ shopName: input.shopName, title: subject, preheader: detail, content, shop: input.shop }),
	};
}

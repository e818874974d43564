import { formatMoney } from '../../core/money.ts';
import type { EmailShop } from './layout.ts';
import { html, renderLayout, textSignature } from './layout.ts';
import type { RenderedEmail } from './order-confirmation.ts';

/** A gift card bought in the shop, as its email shows it; `value` in minor units of `currency`. */
export interface GiftCardDeliveryInput {
	shopName: string;
	code: string;
	value: number;
	currency: string;
	orderDisplayId: number;
	endsAt: string | null;
	/** The shop's catalog; null when the server knows no public origin (the email then has no link). */
	shopUrl: string | null;
	/** Set when the purchaser named a recipient on the line: the email goes to them, with the purchaser's message. */
	gift?: { name: string | null; message: string | null };
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
}

/** The code of a purchased gift card, sent to the purchaser once the order is paid. */
export function giftCardDeliveryEmail(input: GiftCardDeliveryInput): RenderedEmail {
	const amount = formatMoney(input.value, input.currency);
	const subject = `Your ${amount} gift card for ${input.shopName}`;
	const detail = input.gift
		? `${input.gift.name ? `${input.gift.name}, you` : 'You'} received a ${amount} gift card for ${input.shopName}. Enter the code at checkout.`
		: `Here is the ${amount} gift card from order #${input.orderDisplayId}. Enter the code at checkout (or give it to someone).`;
	const message = input.gift?.message ?? null;
	const expiry = input.endsAt ? `Valid until ${input.endsAt.slice(0, 10)}.` : 'It does not expire.';
	const text = [
		detail,
		'',
		...(message ? [`Message from the sender: ${message}`, ''] : []),
		`Code: ${input.code}`,
		'',
		expiry,
		'',
		...(input.shopUrl ? [input.shopUrl, ''] : []),
		...textSignature(input.shopName, input.shop),
	].join('\n');
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Your gift card</h1>
<p style="margin:0 0 16px;">${detail}</p>
${message ? html`<p style="margin:0 0 16px;font-style:italic;">Message from the sender: ${message}</p>` : ''}
<p style="margin:0 0 16px;font-size:22px;font-family:monospace;letter-spacing:2px;"><strong>${input.code}</strong></p>
<p style="margin:0 0 16px;">${expiry}</p>
${input.shopUrl ? html`<p style="margin:0;"><a href="${input.shopUrl}" style="color:${input.shop.color ?? '#14213d'};font-weight:bold;">Go to ${input.shopName}</a></p>` : ''}`;
	return {
		subject,
		text,
		html: renderLayout({ shopName: input.shopName, title: subject, preheader: detail, content, shop: input.shop }),
	};
}

import type { EmailShop } from './layout.ts';
import { html, renderLayout, textSignature } from './layout.ts';
import type { RenderedEmail } from './order-confirmation.ts';

/** What the erasure confirmation needs. */
export interface AccountErasedInput {
	shopName: string;
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
	firstName?: string | null;
	/** Orders kept, without the person's name, address or email, because accounting law requires them. */
	ordersKept: number;
}

/** "Your account was deleted": sent once, to the address that was erased, right after the erasure. */
export function accountErasedEmail(input: AccountErasedInput): RenderedEmail {
	const subject = `Your ${input.shopName} account was deleted`;
	const greeting = input.firstName ? `Hello ${input.firstName},` : 'Hello,';
	const detail = `As you asked, your ${input.shopName} account and its personal data were deleted: profile, addresses, wishlist, messages and sign-ins.`;
	const kept =
		input.ordersKept > 0
			? `We keep ${input.ordersKept} order record${input.ordersKept === 1 ? '' : 's'} for accounting, without your name, email or street address.`
			: 'No order records were kept.';
	const text = [
		greeting,
		'',
		detail,
		'',
		kept,
		'',
		'This is the last email we send to this address.',
		'',
		...textSignature(input.shopName, input.shop),
	].join('\n');
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Your account was deleted</h1>
<p style="margin:0 0 16px;">${greeting}</p>
<p style="margin:0 0 16px;">${detail}</p>
<p style="margin:0 0 16px;">${kept}</p>
<p style="margin:0;">This is the last email we send to this address.</p>`;
	return {
		subject,
		text,
		html: renderLayout({ shopName: input.shopName, title: subject, preheader: detail, content, shop: input.shop }),
	};
}

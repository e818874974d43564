import type { EmailShop } from './layout.ts';
import { emailButton, html, renderLayout, textSignature } from './layout.ts';
import type { RenderedEmail } from './order-confirmation.ts';

/** What the "add your past orders to your account" email needs. */
export interface OrderClaimInput {
	email: string;
	/** Absolute link carrying the one-time token. */
	claimUrl: string;
	/** Minutes the link stays valid. */
	validMinutes: number;
	shopName: string;
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
}

/**
 * Renders the one-time link that attaches guest orders placed with this address to the account. Receiving it is the
 * proof that the account holder owns the address, so the link is the only way in and it says so.
 */
export function orderClaimEmail(input: OrderClaimInput): RenderedEmail {
	const subject = `Add your past orders to your account — ${input.shopName}`;
	const explain = `You asked to add the orders placed as a guest with ${input.email} to your ${input.shopName} account. Open the link below while signed in; it works once and expires in ${input.validMinutes} minutes.`;
	const ignore = 'If you did not ask for this, ignore this email: nothing changes without the link.';
	const text = [
		explain,
		'',
		`Add my orders: ${input.claimUrl}`,
		'',
		ignore,
		'',
		...textSignature(input.shopName, input.shop),
	].join('\n');
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Add your past orders</h1>
<p style="margin:0 0 20px;">${explain}</p>
<p style="margin:0 0 8px;">${emailButton(input.claimUrl, 'Add my orders', input.shop)}</p>
<p style="margin:0 0 20px;color:#6b7280;font-size:13px;word-break:break-all;">Or open ${input.claimUrl}</p>
<p style="margin:0;color:#6b7280;font-size:13px;">${ignore}</p>`;
	return {
		subject,
		text,
		html: renderLayout({
			shopName: input.shopName,
			title: subject,
			preheader: 'Your one-time link to add guest orders to your account.',
			content,
			shop: input.shop,
		}),
	};
}

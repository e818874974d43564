import type { EmailShop } from './layout.ts';
import { emailButton, html, renderLayout, textSignature } from './layout.ts';
import type { RenderedEmail } from './order-confirmation.ts';

/** What the password reset email needs. */
export interface PasswordResetInput {
	shopName: string;
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
	/** Greets the customer by name when known. */
	firstName?: string | null;
	/** Absolute link to the reset page, carrying the token and the email. */
	resetUrl: string;
	/** How long the link works. */
	expiresInMinutes: number;
}

/** Renders the "reset your password" email: one link, its lifetime, and what to do if it was not you. */
export function passwordResetEmail(input: PasswordResetInput): RenderedEmail {
	const subject = `Reset your ${input.shopName} password`;
	const greeting = input.firstName ? `Hello ${input.firstName},` : 'Hello,';
	const lifetime = `The link works once and expires in ${input.expiresInMinutes} minutes.`;
	const notYou = 'If you did not ask for this, ignore this email: your password stays as it is.';

	const text = [
		greeting,
		'',
		`Someone (hopefully you) asked to reset the password of your ${input.shopName} account.`,
		'Choose a new password here:',
		input.resetUrl,
		'',
		lifetime,
		notYou,
		'',
		...textSignature(input.shopName, input.shop),
	].join('\n');

	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Reset your password</h1>
<p style="margin:0 0 16px;">${greeting}</p>
<p style="margin:0 0 16px;">Someone (hopefully you) asked to reset the password of your ${input.shopName} account.</p>
<p style="margin:0 0 16px;">${emailButton(input.resetUrl, 'Choose a new password', input.shop)}</p>
<p style="margin:0 0 8px;">${lifetime}</p>
<p style="margin:0 0 16px;">${notYou}</p>
<p style="margin:0;color:#6b7280;font-size:13px;word-break:break-all;">Or open ${input.resetUrl}</p>`;

	return {
		subject,
		text,
		html: renderLayout({ shopName: input.shopName, title: subject, preheader: lifetime, content, shop: input.shop }),
	};
}

import type { EmailShop } from './layout.ts';
import { brandColor, html, renderLayout, textSignature } from './layout.ts';
import type { RenderedEmail } from './order-confirmation.ts';

/** What the security notice needs. */
export interface PasswordChangedInput {
	shopName: string;
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
	firstName?: string | null;
	/** What changed: the password (by reset or in the account) or the account's email address. */
	change: 'password' | 'email';
	/** The new address, for an email change (the notice goes to the old one). */
	newEmail?: string;
	/** Absolute link to the page where a new reset link can be requested. */
	recoverUrl: string;
}

/**
 * Renders the notice sent after a password change or reset (to the account's address) and after an email change (to
 * the previous address): what changed, that other devices were signed out, and how to react if it was not the owner.
 */
export function passwordChangedEmail(input: PasswordChangedInput): RenderedEmail {
	const what = input.change === 'password' ? 'password' : 'email address';
	const subject = `Your ${input.shopName} ${what} was changed`;
	const greeting = input.firstName ? `Hello ${input.firstName},` : 'Hello,';
	const detail =
		input.change === 'password'
			? `The password of your ${input.shopName} account was just changed, and every other device was signed out.`
			: `The email address of your ${input.shopName} account was just changed to ${input.newEmail ?? 'a new address'}, and every other device was signed out.`;
	const notYou =
		input.change === 'password'
			? 'If this was not you, reset your password now with the link below and check your account details.'
			: 'If this was not you, contact us by replying to this email: this address can no longer sign in to the account.';

	const text = [
		greeting,
		'',
		detail,
		'',
		notYou,
		...(input.change === 'password' ? [input.recoverUrl] : []),
		'',
		...textSignature(input.shopName, input.shop),
	].join('\n');

	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Your ${what} was changed</h1>
<p style="margin:0 0 16px;">${greeting}</p>
<p style="margin:0 0 16px;">${detail}</p>
<p style="margin:0 0 16px;">${notYou}</p>
${input.change === 'password' ? html`<p style="margin:0;"><a href="${input.recoverUrl}" style="color:${brandColor(input.shop)};font-weight:bold;">Reset your password</a></p>` : ''}`;

	return {
		subject,
		text,
		html: renderLayout({ shopName: input.shopName, title: subject, preheader: detail, content, shop: input.shop }),
	};
}

import { type Mailer, passwordChangedEmail, passwordResetEmail } from '../../email/index.ts';
import { logger } from '../../log/logger.ts';
import type { ResolvedOptions } from '../../options.ts';
import { emailShopOf } from '../email-shop.ts';

interface MailDeps {
	mailer: Mailer;
	options: Pick<
		ResolvedOptions,
		'storeName' | 'paths' | 'storeAddress' | 'supportEmail' | 'supportUrl' | 'brandColor' | 'siteUrl'
	>;
}

// Account emails are sent after the answer is decided and are not awaited by the request: a slow or failing mail
// server must neither delay the response (timing would reveal whether the account exists) nor fail it.
function sendInBackground(deps: MailDeps, message: Parameters<Mailer['send']>[0], what: string): void {
	deps.mailer
		.send(message)
		.catch((error: unknown) => logger().error({ err: error }, `[commerce] the ${what} email could not be sent`));
}

/** The reset link: `<origin><account>/reset-password/?token=…&email=…` (the `pages.account` path, Astro's `base`). */
export function resetLink(
	origin: string,
	paths: Pick<ResolvedOptions['paths'], 'resetPassword'>,
	token: string,
	email: string,
): string {
	const url = new URL(paths.resetPassword, origin);
	url.searchParams.set('token', token);
	url.searchParams.set('email', email);
	return url.href;
}

export function sendPasswordResetLink(
	deps: MailDeps,
	input: { to: string; firstName: string | null; link: string; expiresInMinutes: number },
): void {
	const message = passwordResetEmail({
		shopName: deps.options.storeName,
		shop: emailShopOf(deps.options, new URL(input.link).origin),
		firstName: input.firstName,
		resetUrl: input.link,
		expiresInMinutes: input.expiresInMinutes,
	});
	sendInBackground(deps, { to: input.to, ...message }, 'password reset');
}

/** "Your password / email was changed": to the account after a password change, to the old address after an email change. */
export function sendSecurityNotice(
	deps: MailDeps,
	input: { to: string; firstName: string | null; change: 'password' | 'email'; newEmail?: string; origin: string },
): void {
	const message = passwordChangedEmail({
		shopName: deps.options.storeName,
		shop: emailShopOf(deps.options, input.origin),
		firstName: input.firstName,
		change: input.change,
		newEmail: input.newEmail,
		recoverUrl: new URL(deps.options.paths.forgotPassword, input.origin).href,
	});
	sendInBackground(deps, { to: input.to, ...message }, `${input.change} changed`);
}

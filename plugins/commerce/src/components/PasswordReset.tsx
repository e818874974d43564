import { useEffect, useState } from 'preact/hooks';
import { createAccountClient } from '../client/account-client.ts';
import { FormFooter, PasswordField } from './account-fields.tsx';
import type { Errors, Values } from './account-form.ts';
import { PASSWORD_MIN_LENGTH, useForm } from './account-form.ts';

export interface PasswordResetProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** @default '/account/login/' */
	loginUrl?: string;
	/** Where a shopper with a dead link asks for a new one. @default '/account/forgot-password/' */
	forgotUrl?: string;
}

type Name = 'password' | 'confirm';

const validate = (values: Values<Name>): Errors<Name> => {
	const errors: Errors<Name> = {};
	if (values.password.length < PASSWORD_MIN_LENGTH)
		errors.password = `Use at least ${PASSWORD_MIN_LENGTH} characters (${values.password.length} so far).`;
	else if (values.confirm !== values.password) errors.confirm = 'The two passwords are not the same.';
	return errors;
};

/**
 * The page the reset email links to (`?token=…&email=…`). The token is taken out of the address bar at once, so it
 * does not stay in the history; success signs out every session, so the shopper signs in again with the new password.
 */
export default function PasswordReset({
	storeUrl,
	loginUrl = '/account/login/',
	forgotUrl = '/account/forgot-password/',
}: PasswordResetProps) {
	const form = useForm<Name>('reset', { password: '', confirm: '' });
	const [link, setLink] = useState<{ token: string; email: string } | null | undefined>(undefined);
	const [expired, setExpired] = useState(false);

	useEffect(() => {
		const params = new URLSearchParams(location.search);
		const token = params.get('token');
		const email = params.get('email');
		setLink(token && email ? { token, email } : null);
		if (token) history.replaceState(history.state, '', location.pathname);
	}, []);

	if (link === undefined) return <p role="status">Checking your link…</p>;
	if (link === null || expired) {
		return (
			<div class="empty-state" role="alert">
				<p>
					{expired
						? 'This reset link has expired or has already been used. Links work once, for 30 minutes.'
						: 'This page needs the link from your password reset email.'}
				</p>
				<a
					class="button button--primary"
					href={link ? `${forgotUrl}?email=${encodeURIComponent(link.email)}` : forgotUrl}
				>
					Request a new link
				</a>
			</div>
		);
	}

	const submit = (event: Event) =>
		form.submit(
			event,
			validate,
			async ({ password }) => {
				await createAccountClient(storeUrl).resetPassword(link.email, link.token, password);
				location.assign(`${loginUrl}?reset=1&email=${encodeURIComponent(link.email)}`);
				return 'Your password has been changed. Taking you to the sign-in page…';
			},
			{
				onFailure: (error) => {
					if (error.status === 401 || error.status === 404) setExpired(true);
					return undefined;
				},
			},
		);

	return (
		<form method="post" class="account-form cart__summary" noValidate onSubmit={submit} aria-busy={form.sending}>
			<p>
				Choose a new password for <strong>{link.email}</strong>. Every device signed in to this account will be signed
				out.
			</p>
			{/* Lets password managers pair the new password with the account. */}
			<input type="email" name="username" autocomplete="username" value={link.email} readOnly hidden />
			<PasswordField form={form} name="password" label="New password" autocomplete="new-password" />
			<PasswordField
				form={form}
				name="confirm"
				label="Repeat the new password"
				autocomplete="new-password"
				hint={false}
			/>
			<FormFooter form={form} label="Change password" sendingLabel="Changing…" />
		</form>
	);
}

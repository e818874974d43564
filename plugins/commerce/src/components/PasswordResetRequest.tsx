import { useEffect, useState } from 'preact/hooks';
import { createAccountClient } from '../client/account-client.ts';
import { Field, FormFooter } from './account-fields.tsx';
import type { Errors, Values } from './account-form.ts';
import { EMAIL_PATTERN, useForm } from './account-form.ts';

export interface PasswordResetRequestProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** @default '/account/login/' */
	loginUrl?: string;
	/** How long the emailed link works, as the email says. @default 30 */
	linkMinutes?: number;
}

type Name = 'email';

const validate = (values: Values<Name>): Errors<Name> =>
	EMAIL_PATTERN.test(values.email.trim())
		? {}
		: { email: 'Enter the email address of your account, such as name@example.com.' };

/**
 * "Forgot your password": asks for a reset link. The answer is the same whether or not an account exists (the API
 * always says 204), so the confirmation is worded for both cases.
 */
export default function PasswordResetRequest({
	storeUrl,
	loginUrl = '/account/login/',
	linkMinutes = 30,
}: PasswordResetRequestProps) {
	const form = useForm<Name>('forgot', { email: '' });
	const [sentTo, setSentTo] = useState('');

	useEffect(() => {
		const email = new URLSearchParams(location.search).get('email');
		if (email) form.set('email', email);
	}, []);

	const submit = (event: Event) =>
		form.submit(event, validate, async ({ email }) => {
			await createAccountClient(storeUrl).requestPasswordReset(email.trim());
			setSentTo(email.trim());
		});

	return (
		<div class="account-auth">
			<form method="post" class="account-form cart__summary" noValidate onSubmit={submit} aria-busy={form.sending}>
				<Field
					form={form}
					name="email"
					label="Email"
					type="email"
					autocomplete="email"
					autocapitalize="off"
					spellcheck={false}
					required
				/>
				<FormFooter form={form} label="Email me a reset link" sendingLabel="Sending…" />
				<div role="status" class="account-confirmation" hidden={!sentTo}>
					{sentTo && (
						<p>
							If an account exists for <strong>{sentTo}</strong>, we have emailed it a link to choose a new password.
							The link works for {linkMinutes} minutes and only once. No email? Check your spam folder, or try again in
							a few minutes.
						</p>
					)}
				</div>
			</form>
			<p class="account-auth__switch">
				Remembered it? <a href={loginUrl}>Sign in</a>
			</p>
		</div>
	);
}

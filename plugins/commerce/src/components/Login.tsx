import { useEffect, useState } from 'preact/hooks';
import { createAccountClient, syncCart } from '../client/account-client.ts';
import { isSignedIn } from '../client/account-session.ts';
import { Field, FormFooter, PasswordField } from './account-fields.tsx';
import type { Errors, Values } from './account-form.ts';
import { EMAIL_PATTERN, safeNext, useForm } from './account-form.ts';

export interface LoginProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** Where a login without `?next=` leads. @default '/account/' */
	accountUrl?: string;
	/** @default '/account/register/' */
	registerUrl?: string;
	/** @default '/account/forgot-password/' */
	forgotUrl?: string;
}

type Name = 'email' | 'password';

const validate = (values: Values<Name>): Errors<Name> => {
	const errors: Errors<Name> = {};
	if (!EMAIL_PATTERN.test(values.email.trim()))
		errors.email = 'Enter the email address of your account, such as name@example.com.';
	if (!values.password) errors.password = 'Enter your password.';
	return errors;
};

/**
 * The login form. Returns to `?next=` (a same-site path) afterwards; the guest cart goes along (the server merges it
 * into the customer's cart), and the cart store reloads so the header count is right on the next page.
 */
export default function Login({
	storeUrl,
	accountUrl = '/account/',
	registerUrl = '/account/register/',
	forgotUrl = '/account/forgot-password/',
}: LoginProps) {
	const form = useForm<Name>('login', { email: '', password: '' });
	const [next, setNext] = useState(accountUrl);
	const [notice, setNotice] = useState('');
	const [signedIn, setSignedIn] = useState(false);

	useEffect(() => {
		const params = new URLSearchParams(location.search);
		setNext(safeNext(params.get('next'), accountUrl));
		const email = params.get('email');
		if (email) form.set('email', email);
		if (params.has('signed_out')) setNotice('You have signed out.');
		else if (params.has('reset')) setNotice('Your password has been changed. Sign in with your new password.');
		else if (params.has('next')) setNotice('Please sign in to continue.');
		setSignedIn(isSignedIn());
	}, []);

	const submit = (event: Event) =>
		form.submit(
			event,
			validate,
			async ({ email, password }) => {
				const { cartId } = await createAccountClient(storeUrl).login(email.trim(), password);
				await syncCart(cartId, true);
				location.assign(next);
				return 'Signed in. Taking you to your account…';
			},
			// Deliberately vague: the answer must not tell which of the two was wrong.
			{ onFailure: (error) => (error.status === 401 ? 'The email address or password is incorrect.' : undefined) },
		);

	const withNext = (url: string) => (next === accountUrl ? url : `${url}?next=${encodeURIComponent(next)}`);
	return (
		<div class="account-auth">
			{notice && (
				<p class="account-notice" role="status">
					{notice}
				</p>
			)}
			{signedIn && (
				<p class="account-notice">
					You are already signed in. <a href={accountUrl}>Go to your account</a>
				</p>
			)}
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
				<PasswordField form={form} name="password" label="Password" autocomplete="current-password" />
				<p class="account-form__aside">
					<a href={forgotUrl}>Forgot your password?</a>
				</p>
				<FormFooter form={form} label="Sign in" sendingLabel="Signing in…" />
			</form>
			<p class="account-auth__switch">
				New here? <a href={withNext(registerUrl)}>Create an account</a>
			</p>
		</div>
	);
}

import { useEffect, useState } from 'preact/hooks';
import { createAccountClient, syncCart } from '../client/account-client.ts';
import { Field, FormFooter, PasswordField } from './account-fields.tsx';
import type { Errors, Values } from './account-form.ts';
import { EMAIL_PATTERN, PASSWORD_MIN_LENGTH, safeNext, useForm } from './account-form.ts';

export interface RegisterProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** Where a new account goes without `?next=`. @default '/account/' */
	accountUrl?: string;
	/** @default '/account/login/' */
	loginUrl?: string;
	/** @default '/account/forgot-password/' */
	forgotUrl?: string;
}

type Name = 'first_name' | 'last_name' | 'email' | 'password';

/** Errors of the registration form; the password rule is the server's (at least 12 characters). */
export function validateRegistration(values: Values<Name>): Errors<Name> {
	const errors: Errors<Name> = {};
	if (!values.first_name.trim()) errors.first_name = 'Enter your first name.';
	if (!values.last_name.trim()) errors.last_name = 'Enter your last name.';
	if (!EMAIL_PATTERN.test(values.email.trim())) errors.email = 'Enter an email address, such as name@example.com.';
	if (values.password.length < PASSWORD_MIN_LENGTH) {
		errors.password = `Use at least ${PASSWORD_MIN_LENGTH} characters (${values.password.length} so far).`;
	}
	return errors;
}

/** The registration form: creates the account, which signs it in, then continues to `?next=` or the account page. */
export default function Register({
	storeUrl,
	accountUrl = '/account/',
	loginUrl = '/account/login/',
	forgotUrl = '/account/forgot-password/',
}: RegisterProps) {
	const form = useForm<Name>('register', { first_name: '', last_name: '', email: '', password: '' });
	const [next, setNext] = useState(accountUrl);
	const [duplicate, setDuplicate] = useState(false);

	useEffect(() => setNext(safeNext(new URLSearchParams(location.search).get('next'), accountUrl)), []);

	const submit = (event: Event) => {
		setDuplicate(false);
		return form.submit(
			event,
			validateRegistration,
			async (values) => {
				const { cartId } = await createAccountClient(storeUrl).register({
					first_name: values.first_name.trim(),
					last_name: values.last_name.trim(),
					email: values.email.trim(),
					password: values.password,
				});
				await syncCart(cartId, true);
				location.assign(next);
				return 'Your account has been created. Taking you to it…';
			},
			{
				onFailure: (error) => {
					if (error.status !== 422 || error.type !== 'duplicate_error') return undefined;
					setDuplicate(true);
					return 'An account with this email address already exists.';
				},
			},
		);
	};

	const signIn = `${loginUrl}?${new URLSearchParams({ email: form.values.email.trim(), ...(next !== accountUrl ? { next } : {}) })}`;
	return (
		<div class="account-auth">
			<form method="post" class="account-form cart__summary" noValidate onSubmit={submit} aria-busy={form.sending}>
				<div class="account-form__row">
					<Field form={form} name="first_name" label="First name" autocomplete="given-name" required />
					<Field form={form} name="last_name" label="Last name" autocomplete="family-name" required />
				</div>
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
				<PasswordField form={form} name="password" label="Password" autocomplete="new-password" />
				<FormFooter form={form} label="Create account" sendingLabel="Creating your account…" />
				{duplicate && (
					<p class="account-form__aside">
						<a href={signIn}>Sign in instead</a> or <a href={forgotUrl}>reset your password</a>.
					</p>
				)}
			</form>
			<p class="account-auth__switch">
				Already have an account?{' '}
				<a href={next === accountUrl ? loginUrl : `${loginUrl}?next=${encodeURIComponent(next)}`}>Sign in</a>
			</p>
		</div>
	);
}

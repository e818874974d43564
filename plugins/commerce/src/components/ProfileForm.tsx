import type { AccountClient } from '../client/account-client.ts';
import { createAccountClient } from '../client/account-client.ts';
import type { StoreCustomer, StoreCustomerUpdate } from '../client/account-types.ts';
import { StoreApiError } from '../client/store-client.ts';
import { Field, FormFooter, LoadState, PasswordField } from './account-fields.tsx';
import type { Errors, Values } from './account-form.ts';
import { EMAIL_PATTERN, LOGIN_URL, PASSWORD_MIN_LENGTH, useCustomerData, useForm } from './account-form.ts';

export interface ProfileFormProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** @default '/account/login/' */
	loginUrl?: string;
}

/**
 * The customer's details (name, phone), email address and password, as three forms. Changing the email or the password
 * needs the current password, and signs out the customer's other sessions (the server rotates this one's id).
 */
export default function ProfileForm({ storeUrl, loginUrl = LOGIN_URL }: ProfileFormProps) {
	const client = createAccountClient(storeUrl);
	const [state, setCustomer, retry] = useCustomerData(() => client.getCustomer(), loginUrl);
	if (state.kind !== 'ready') return <LoadState state={state} what="your profile" retry={retry} />;
	const props = { client, customer: state.data, onSaved: setCustomer, loginUrl };
	return (
		<div class="account-profile">
			<DetailsForm {...props} />
			<EmailForm {...props} />
			<PasswordForm {...props} />
		</div>
	);
}

interface FormProps {
	client: AccountClient;
	customer: StoreCustomer;
	onSaved: (customer: StoreCustomer) => void;
	loginUrl: string;
}

/**
 * Sends a credential change. A 401 here means either a wrong current password or an ended session; asking for the
 * session tells which, so a typo does not throw the shopper out to the login page.
 */
async function changeCredential(client: AccountClient, body: StoreCustomerUpdate): Promise<StoreCustomer> {
	try {
		return await client.updateCustomer(body);
	} catch (error) {
		if (!(error instanceof StoreApiError) || error.status !== 401) throw error;
		// This API says which (`code`); asking for the session covers servers that do not.
		const signedIn =
			error.code === 'invalid_old_password' ||
			(await client.getSession().then(
				() => true,
				() => false,
			));
		throw signedIn ? new StoreApiError(400, 'invalid_data', 'The current password is incorrect.') : error;
	}
}

type DetailsName = 'first_name' | 'last_name' | 'phone';

function DetailsForm({ client, customer, onSaved, loginUrl }: FormProps) {
	const form = useForm<DetailsName>('profile', {
		first_name: customer.first_name ?? '',
		last_name: customer.last_name ?? '',
		phone: customer.phone ?? '',
	});
	const validate = (values: Values<DetailsName>): Errors<DetailsName> => {
		const errors: Errors<DetailsName> = {};
		if (!values.first_name.trim()) errors.first_name = 'Enter your first name.';
		if (!values.last_name.trim()) errors.last_name = 'Enter your last name.';
		if (values.phone.trim() && !/^[+()\d\s./-]{5,25}$/.test(values.phone.trim()))
			errors.phone = 'Enter a phone number with digits, such as 301-555-0100.';
		return errors;
	};
	const submit = (event: Event) =>
		form.submit(
			event,
			validate,
			async (values) => {
				onSaved(
					await client.updateCustomer({
						first_name: values.first_name.trim(),
						last_name: values.last_name.trim(),
						phone: values.phone.trim() || null,
					}),
				);
				return 'Your details have been saved.';
			},
			{ loginUrl },
		);
	return (
		<form
			method="post"
			class="account-form account-card"
			noValidate
			onSubmit={submit}
			aria-labelledby="profile-title"
			aria-busy={form.sending}
		>
			<h2 id="profile-title">Your details</h2>
			<div class="account-form__row">
				<Field form={form} name="first_name" label="First name" autocomplete="given-name" required />
				<Field form={form} name="last_name" label="Last name" autocomplete="family-name" required />
			</div>
			<Field form={form} name="phone" label="Phone (optional)" type="tel" autocomplete="tel" />
			<FormFooter form={form} label="Save details" sendingLabel="Saving…" />
		</form>
	);
}

type EmailName = 'email' | 'old_password';

function EmailForm({ client, customer, onSaved, loginUrl }: FormProps) {
	const form = useForm<EmailName>('email-change', { email: '', old_password: '' });
	const validate = (values: Values<EmailName>): Errors<EmailName> => {
		const errors: Errors<EmailName> = {};
		const email = values.email.trim();
		if (!EMAIL_PATTERN.test(email)) errors.email = 'Enter the new email address, such as name@example.com.';
		else if (email.toLowerCase() === customer.email.toLowerCase()) errors.email = 'This is already your email address.';
		if (!values.old_password) errors.old_password = 'Enter your current password to confirm the change.';
		return errors;
	};
	const submit = (event: Event) =>
		form.submit(
			event,
			validate,
			async (values) => {
				const updated = await changeCredential(client, {
					email: values.email.trim(),
					old_password: values.old_password,
				});
				onSaved(updated);
				form.setValues({ email: '', old_password: '' });
				return `Your email address is now ${updated.email}. Other devices have been signed out.`;
			},
			{ loginUrl },
		);
	return (
		<form
			method="post"
			class="account-form account-card"
			noValidate
			onSubmit={submit}
			aria-labelledby="email-change-title"
			aria-busy={form.sending}
		>
			<h2 id="email-change-title">Email address</h2>
			<p>
				You sign in with <strong data-account-email>{customer.email}</strong>.
			</p>
			<Field
				form={form}
				name="email"
				label="New email address"
				type="email"
				autocomplete="email"
				autocapitalize="off"
				spellcheck={false}
				required
			/>
			<PasswordField form={form} name="old_password" label="Current password" autocomplete="current-password" />
			<FormFooter form={form} label="Change email" sendingLabel="Changing…" />
		</form>
	);
}

type PasswordName = 'old_password' | 'password' | 'confirm';

function PasswordForm({ client, customer, onSaved, loginUrl }: FormProps) {
	const form = useForm<PasswordName>('password-change', { old_password: '', password: '', confirm: '' });
	const validate = (values: Values<PasswordName>): Errors<PasswordName> => {
		const errors: Errors<PasswordName> = {};
		if (!values.old_password) errors.old_password = 'Enter your current password.';
		if (values.password.length < PASSWORD_MIN_LENGTH)
			errors.password = `Use at least ${PASSWORD_MIN_LENGTH} characters (${values.password.length} so far).`;
		else if (values.password === values.old_password)
			errors.password = 'Choose a password different from the current one.';
		else if (values.confirm !== values.password) errors.confirm = 'The two new passwords are not the same.';
		return errors;
	};
	const submit = (event: Event) =>
		form.submit(
			event,
			validate,
			async (values) => {
				onSaved(await changeCredential(client, { password: values.password, old_password: values.old_password }));
				form.setValues({ old_password: '', password: '', confirm: '' });
				return 'Your password has been changed. Other devices have been signed out.';
			},
			{ loginUrl },
		);
	return (
		<form
			method="post"
			class="account-form account-card"
			noValidate
			onSubmit={submit}
			aria-labelledby="password-change-title"
			aria-busy={form.sending}
		>
			<h2 id="password-change-title">Password</h2>
			{/* Lets password managers store the new password for the right account. */}
			<input type="email" name="username" autocomplete="username" value={customer.email} readOnly hidden />
			<PasswordField form={form} name="old_password" label="Current password" autocomplete="current-password" />
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

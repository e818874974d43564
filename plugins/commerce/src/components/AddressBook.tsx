import { useEffect, useState } from 'preact/hooks';
import type { AccountClient } from '../client/account-client.ts';
import { createAccountClient } from '../client/account-client.ts';
import type { StoreCustomerAddress } from '../client/account-types.ts';
import type { StoreApiError } from '../client/store-client.ts';
import type { StoreCountry } from '../client/types.ts';
import type { AddressName } from './account-address.ts';
import { addressValues, toAddressInput, validateAddress } from './account-address.ts';
import { ConfirmButton, Field, FormFooter, LoadState } from './account-fields.tsx';
import { failureText, LOGIN_URL, redirectToLogin, useCustomerData, useForm } from './account-form.ts';
import { ADDRESS_FIELDS } from './checkout-form.ts';
import { addressLines } from './checkout-order.ts';

export interface AddressBookProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** @default '/account/login/' */
	loginUrl?: string;
}

/** What the book shows: nothing open, the new-address form, or the form of one saved address. */
type Editing = null | 'new' | string;

/**
 * The customer's saved shipping addresses: add, edit, delete. Countries are those the store ships to. After each
 * change the list is what the API answered, and the change is announced.
 */
export default function AddressBook({ storeUrl, loginUrl = LOGIN_URL }: AddressBookProps) {
	const client = createAccountClient(storeUrl);
	const [state, setAddresses, retry] = useCustomerData(
		async () => (await client.getCustomer()).shipping_addresses ?? [],
		loginUrl,
	);
	const [countries, setCountries] = useState<StoreCountry[]>([]);
	const [editing, setEditing] = useState<Editing>(null);
	const [busy, setBusy] = useState(false);
	const [status, setStatus] = useState('');
	const [failure, setFailure] = useState('');

	useEffect(() => {
		client.listCountries().then(setCountries, () => setCountries([]));
	}, []);

	if (state.kind !== 'ready') return <LoadState state={state} what="your addresses" retry={retry} />;
	const addresses = state.data;

	function saved(list: StoreCustomerAddress[], message: string) {
		setAddresses(list);
		setEditing(null);
		setStatus(message);
	}

	async function remove(address: StoreCustomerAddress) {
		if (busy) return;
		setBusy(true);
		setFailure('');
		setStatus('');
		try {
			saved((await client.deleteAddress(address.id)).shipping_addresses ?? [], 'The address has been deleted.');
		} catch (error) {
			if ((error as StoreApiError).status === 401) return redirectToLogin(loginUrl);
			setFailure(failureText(error as StoreApiError));
		} finally {
			setBusy(false);
		}
	}

	const formProps = { client, countries, loginUrl, onCancel: () => setEditing(null) };
	return (
		<section class="account-card address-book" aria-labelledby="address-book-title">
			<h2 id="address-book-title">Address book</h2>
			{addresses.length === 0 && editing !== 'new' && <p>No saved addresses yet. Add one to check out faster.</p>}
			<ul class="address-book__list" role="list">
				{addresses.map((address) => {
					const lines = addressLines(address);
					return (
						<li key={address.id} class="address-book__item" data-address-id={address.id}>
							{editing === address.id ? (
								<AddressForm
									{...formProps}
									address={address}
									onSaved={(list) => saved(list, 'The address has been updated.')}
								/>
							) : (
								<>
									<address>
										{lines.map((line) => (
											<span key={line}>{line}</span>
										))}
										{address.phone && <span>{address.phone}</span>}
									</address>
									<div class="address-book__actions">
										<button
											type="button"
											class="button"
											disabled={busy}
											aria-label={`Edit address ${lines[1] ?? ''}`}
											onClick={() => setEditing(address.id)}
										>
											Edit
										</button>
										<ConfirmButton
											label="Delete"
											ariaLabel={`Delete address ${lines[1] ?? ''}`}
											question="Delete this address?"
											confirmLabel="Yes, delete"
											keepLabel="Keep it"
											busy={busy}
											onConfirm={() => remove(address)}
										/>
									</div>
								</>
							)}
						</li>
					);
				})}
			</ul>
			{editing === 'new' ? (
				<AddressForm {...formProps} address={null} onSaved={(list) => saved(list, 'The address has been added.')} />
			) : (
				<button
					type="button"
					class="button"
					onClick={() => {
						setStatus('');
						setEditing('new');
					}}
				>
					Add an address
				</button>
			)}
			<p class="form-error" role="alert">
				{failure}
			</p>
			<p class="form-status form-success" role="status">
				{status}
			</p>
		</section>
	);
}

interface AddressFormProps {
	client: AccountClient;
	countries: StoreCountry[];
	address: StoreCustomerAddress | null;
	loginUrl: string;
	onSaved: (addresses: StoreCustomerAddress[]) => void;
	onCancel: () => void;
}

function AddressForm({ client, countries, address, loginUrl, onSaved, onCancel }: AddressFormProps) {
	const id = address ? `address-${address.id}` : 'address-new';
	const form = useForm<AddressName>(id, addressValues(address, countries.length === 1 ? countries[0].iso_2 : ''));
	const country = form.values.country_code;

	const submit = (event: Event) =>
		form.submit(
			event,
			validateAddress,
			async (values) => {
				const body = toAddressInput(values);
				const customer = address ? await client.updateAddress(address.id, body) : await client.addAddress(body);
				onSaved(customer.shipping_addresses ?? []);
			},
			{ loginUrl },
		);

	return (
		<form
			method="post"
			class="account-form address-form"
			noValidate
			onSubmit={submit}
			aria-label={address ? 'Edit address' : 'New address'}
			aria-busy={form.sending}
		>
			<div class="checkout-grid">
				{ADDRESS_FIELDS.map((field) => (
					<Field
						key={field.name}
						form={form}
						name={field.name}
						label={field.name === 'province' && country === 'us' ? 'State' : field.label}
						type={field.type ?? 'text'}
						autocomplete={`shipping ${field.autocomplete}`}
						required={field.required}
						class={field.name.startsWith('address') ? 'field--wide' : undefined}
					/>
				))}
				<div class="field">
					<label for={`${id}-country_code`}>Country</label>
					<select
						id={`${id}-country_code`}
						name="country_code"
						autocomplete="shipping country"
						required
						value={country}
						onChange={(event) => form.set('country_code', event.currentTarget.value)}
						aria-invalid={!!form.errors.country_code || undefined}
						aria-describedby={`${id}-country_code-error`}
					>
						<option value="">Choose a country</option>
						{countries.map((c) => (
							<option key={c.iso_2} value={c.iso_2}>
								{c.display_name}
							</option>
						))}
						{/* A saved address in a country the store no longer ships to keeps its value. */}
						{country && !countries.some((c) => c.iso_2 === country) && (
							<option value={country}>{country.toUpperCase()}</option>
						)}
					</select>
					<p id={`${id}-country_code-error`} class="form-error">
						{form.errors.country_code}
					</p>
				</div>
			</div>
			<FormFooter form={form} label={address ? 'Save address' : 'Add address'} sendingLabel="Saving…">
				<button type="button" class="button" onClick={onCancel} disabled={form.sending}>
					Cancel
				</button>
			</FormFooter>
		</form>
	);
}

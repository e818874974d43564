import { useEffect, useState } from 'preact/hooks';
import { createAccountClient } from '../client/account-client.ts';
import { isSignedIn } from '../client/account-session.ts';
import type { StoreCustomer, StoreCustomerAddress } from '../client/account-types.ts';
import { addressLines } from './checkout-order.ts';

/** "New address" in the picker: the shopper types one. */
export const NEW_ADDRESS = 'new';

/**
 * The signed-in customer (null for guests and until known). Only asked when this browser has a session hint, so
 * guests never see a 401; a stale hint just answers null.
 */
export function useCheckoutCustomer(storeUrl?: string): StoreCustomer | null {
	const [customer, setCustomer] = useState<StoreCustomer | null>(null);
	useEffect(() => {
		if (!isSignedIn()) return;
		createAccountClient(storeUrl)
			.getCustomer()
			.then(setCustomer, () => setCustomer(null));
	}, []);
	return customer;
}

/**
 * The default saved address: the first of the address book (the one saved first; the account page lists it first).
 * Only addresses in a country the cart's region ships to are offered.
 */
export function usableAddresses(customer: StoreCustomer | null, countries: string[]): StoreCustomerAddress[] {
	return (customer?.shipping_addresses ?? []).filter((a) => a.country_code && countries.includes(a.country_code));
}

interface SavedAddressPickerProps {
	addresses: StoreCustomerAddress[];
	/** The chosen address id, or `NEW_ADDRESS`. */
	value: string;
	disabled: boolean;
	onChoose: (id: string) => void;
}

/** The customer's saved addresses as radios, the default first, and "Use a new address". */
export function SavedAddressPicker({ addresses, value, disabled, onChoose }: SavedAddressPickerProps) {
	return (
		<fieldset class="option-group checkout-saved">
			<legend>Saved addresses</legend>
			{addresses.map((address, index) => (
				<label class="checkout-saved__option" key={address.id}>
					<input
						type="radio"
						name="saved-address"
						value={address.id}
						checked={value === address.id}
						disabled={disabled}
						onChange={() => onChoose(address.id)}
					/>
					<span>
						{addressLines(address).join(', ')}
						{index === 0 && <span class="checkout-saved__default"> (default)</span>}
					</span>
				</label>
			))}
			<label class="checkout-saved__option">
				<input
					type="radio"
					name="saved-address"
					value={NEW_ADDRESS}
					checked={value === NEW_ADDRESS}
					disabled={disabled}
					onChange={() => onChoose(NEW_ADDRESS)}
				/>
				<span>Use a new address</span>
			</label>
		</fieldset>
	);
}

import type { StoreAddress, StoreAddressInput } from '../client/types.ts';
import type { Errors, Values } from './account-form.ts';
import { ADDRESS_FIELDS } from './checkout-form.ts';

// The address book's form model: the checkout's address fields (same labels and autofill tokens) without a prefix.

export type AddressName = (typeof ADDRESS_FIELDS)[number]['name'] | 'country_code';

const NAMES: AddressName[] = [...ADDRESS_FIELDS.map((field) => field.name), 'country_code'];
const US_ZIP = /^\d{5}(-\d{4})?$/;

/** Form values of a saved address, or empty ones with `country` preset for a new address. */
export function addressValues(address: StoreAddress | null, country = ''): Values<AddressName> {
	const values = Object.fromEntries(NAMES.map((name) => [name, address?.[name] ?? ''])) as Values<AddressName>;
	if (!values.country_code) values.country_code = country;
	return values;
}

/** Errors of the address form; a US address needs its state and a ZIP code (as at checkout). */
export function validateAddress(values: Values<AddressName>): Errors<AddressName> {
	const errors: Errors<AddressName> = {};
	const value = (name: AddressName) => values[name].trim();
	const us = value('country_code') === 'us';
	for (const field of ADDRESS_FIELDS) {
		const required = field.required || (field.name === 'province' && us);
		if (required && !value(field.name))
			errors[field.name] = `Enter ${field.name === 'province' ? 'the state' : field.label.toLowerCase()}.`;
	}
	if (!value('country_code')) errors.country_code = 'Choose a country.';
	if (us && value('postal_code') && !US_ZIP.test(value('postal_code')))
		errors.postal_code = 'Enter a 5-digit ZIP code, such as 21532.';
	return errors;
}

/** The API body; empty optional fields are sent as null so an earlier value is cleared. */
export function toAddressInput(values: Values<AddressName>): StoreAddressInput {
	return Object.fromEntries(NAMES.map((name) => [name, values[name].trim() || null])) as StoreAddressInput;
}

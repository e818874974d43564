import type { StoreAddress, StoreAddressInput, StoreTestCardData } from '../client/types.ts';

/**
 * The checkout form without the UI: field definitions, validation and the conversion to API bodies. Values are the
 * raw strings of the inputs, keyed by name; address fields carry a prefix (`shipping.city`, `billing.city`).
 */

export type Values = Record<string, string>;
export type Errors = Partial<Record<string, string>>;

export interface AddressField {
	name: keyof StoreAddress & string;
	label: string;
	/** The autofill token without its section (`shipping`/`billing` is prepended). */
	autocomplete: string;
	required?: boolean;
	type?: string;
}

/** Address inputs in display order; country is a select rendered separately (it limits the others). */
export const ADDRESS_FIELDS: AddressField[] = [
	{ name: 'first_name', label: 'First name', autocomplete: 'given-name', required: true },
	{ name: 'last_name', label: 'Last name', autocomplete: 'family-name', required: true },
	{ name: 'address_1', label: 'Address', autocomplete: 'address-line1', required: true },
	{ name: 'address_2', label: 'Apartment, suite (optional)', autocomplete: 'address-line2' },
	{ name: 'city', label: 'City', autocomplete: 'address-level2', required: true },
	{ name: 'province', label: 'State / province', autocomplete: 'address-level1' },
	{ name: 'postal_code', label: 'Postal code', autocomplete: 'postal-code', required: true },
	{ name: 'phone', label: 'Phone (optional)', autocomplete: 'tel', type: 'tel' },
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const US_ZIP = /^\d{5}(-\d{4})?$/;

/** Errors of one address (`prefix` = `shipping` or `billing`). A US address needs its state and a ZIP code. */
function validateAddress(values: Values, prefix: string, errors: Errors): void {
	const value = (name: string) => (values[`${prefix}.${name}`] ?? '').trim();
	const country = value('country_code');
	for (const field of ADDRESS_FIELDS) {
		const required = field.required || (field.name === 'province' && country === 'us');
		if (required && !value(field.name))
			errors[`${prefix}.${field.name}`] =
				`Enter ${field.name === 'province' ? 'the state' : field.label.toLowerCase()}.`;
	}
	if (!country) errors[`${prefix}.country_code`] = 'Choose a country.';
	if (country === 'us' && value('postal_code') && !US_ZIP.test(value('postal_code'))) {
		errors[`${prefix}.postal_code`] = 'Enter a 5-digit ZIP code, such as 21532.';
	}
}

/** Card number digits; spaces and dashes typed by the shopper are ignored. */
export const cardDigits = (text: string) => text.replace(/[\s-]/g, '');

/** The Luhn checksum every card number passes, so typos are caught before the card is sent. */
export function luhnValid(digits: string): boolean {
	if (!/^\d{12,19}$/.test(digits)) return false;
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let digit = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
		sum += digit;
	}
	return sum % 10 === 0;
}

/** `MM/YY`, `MM / YYYY` or `MMYY` → month and four-digit year; null when it is not a date. */
export function parseExpiry(text: string): { month: number; year: number } | null {
	const match = /^(\d{1,2})\s*\/?\s*(\d{2}|\d{4})$/.exec(text.trim());
	if (!match) return null;
	const month = Number(match[1]);
	const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
	return month >= 1 && month <= 12 ? { month, year } : null;
}

/** Errors of the card fields of the test provider, checked against `now` (a card is valid through its month). */
function validateCard(values: Values, errors: Errors, now: Date): void {
	if (!luhnValid(cardDigits(values.card_number ?? ''))) errors.card_number = 'Enter a valid card number.';
	const expiry = parseExpiry(values.card_expiry ?? '');
	if (!expiry) errors.card_expiry = 'Enter the expiry date as MM/YY.';
	else if (expiry.year * 12 + expiry.month < now.getFullYear() * 12 + now.getMonth() + 1)
		errors.card_expiry = 'This card has expired.';
	if (!/^\d{3,4}$/.test((values.card_cvc ?? '').trim()))
		errors.card_cvc = 'Enter the 3 or 4 digits on the back of the card.';
}

export interface ValidateOptions {
	billingSame: boolean;
	/** The test provider's card form is on the page (Stripe's Payment Element validates itself). */
	card: boolean;
	now?: Date;
}

/** Every error of the form at once; the component shows those of the fields the shopper has left. */
export function validate(values: Values, { billingSame, card, now = new Date() }: ValidateOptions): Errors {
	const errors: Errors = {};
	if (!EMAIL.test((values.email ?? '').trim())) errors.email = 'Enter an email address, such as name@example.com.';
	validateAddress(values, 'shipping', errors);
	if (!billingSame) validateAddress(values, 'billing', errors);
	if (card) validateCard(values, errors, now);
	return errors;
}

/** True when the contact and address part is complete (it can be saved to the cart). */
export const detailsValid = (errors: Errors) => !Object.keys(errors).some((key) => !key.startsWith('card_'));

/** The API address body of `prefix`; empty optional fields are sent as null so an earlier value is cleared. */
export function toAddress(values: Values, prefix: string): StoreAddressInput {
	const address: StoreAddressInput = { country_code: values[`${prefix}.country_code`] || null };
	for (const field of ADDRESS_FIELDS) address[field.name] = values[`${prefix}.${field.name}`]?.trim() || null;
	return address;
}

/** Form values from an address the cart already has (a shopper coming back to the checkout). */
export function fromAddress(address: StoreAddress | null | undefined, prefix: string): Values {
	const values: Values = {};
	if (!address) return values;
	for (const field of [...ADDRESS_FIELDS.map((f) => f.name), 'country_code' as const]) {
		const value = address[field];
		if (value) values[`${prefix}.${field}`] = value;
	}
	return values;
}

/** True when the two addresses are the same (so "billing same as shipping" starts checked). */
export function sameAddress(a: StoreAddress | null | undefined, b: StoreAddress | null | undefined): boolean {
	if (!a || !b) return true;
	return [...ADDRESS_FIELDS.map((f) => f.name), 'country_code' as const].every(
		(name) => (a[name] ?? '') === (b[name] ?? ''),
	);
}

/** The test provider's card body; call only when `validate` found no card errors. */
export function toCardData(values: Values): StoreTestCardData {
	const expiry = parseExpiry(values.card_expiry ?? '') ?? { month: 0, year: 0 };
	return {
		card_number: cardDigits(values.card_number ?? ''),
		exp_month: expiry.month,
		exp_year: expiry.year,
		cvc: (values.card_cvc ?? '').trim(),
	};
}

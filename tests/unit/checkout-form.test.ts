import { describe, expect, it } from 'vitest';
import {
	cardDigits,
	detailsValid,
	luhnValid,
	parseExpiry,
	sameAddress,
	toAddress,
	toCardData,
	validate,
} from '../../plugins/commerce/src/components/checkout-form.ts';

const shipping = {
	email: 'sam@example.com',
	'shipping.first_name': 'Sam',
	'shipping.last_name': 'Bobcat',
	'shipping.address_1': '101 Braddock Rd',
	'shipping.city': 'Frostburg',
	'shipping.province': 'MD',
	'shipping.postal_code': '21532',
	'shipping.country_code': 'us',
};
const card = { card_number: '4242 4242 4242 4242', card_expiry: '12/29', card_cvc: '123' };
const now = new Date('2026-11-22T00:00:00Z');

describe('checkout form', () => {
	it('checks card numbers with Luhn and accepts spaces and dashes', () => {
		expect(luhnValid(cardDigits('4242 4242 4242 4242'))).toBe(true);
		expect(luhnValid(cardDigits('4000-0025-0000-3155'))).toBe(true);
		expect(luhnValid('4242424242424241')).toBe(false);
		expect(luhnValid('42424242')).toBe(false);
	});

	it('parses expiry dates in the forms people type', () => {
		expect(parseExpiry('12/29')).toEqual({ month: 12, year: 2029 });
		expect(parseExpiry('1 / 2030')).toEqual({ month: 1, year: 2030 });
		expect(parseExpiry('0130')).toEqual({ month: 1, year: 2030 });
		expect(parseExpiry('13/29')).toBeNull();
		expect(parseExpiry('soon')).toBeNull();
	});

	it('accepts a complete form and names every missing or wrong field', () => {
		expect(validate({ ...shipping, ...card }, { billingSame: true, card: true, now })).toEqual({});
		const errors = validate(
			{
				...shipping,
				email: 'nope',
				'shipping.postal_code': '215',
				card_expiry: '10/26',
				card_cvc: '1',
				card_number: '4242',
			},
			{ billingSame: false, card: true, now },
		);
		expect(Object.keys(errors).sort()).toEqual(
			[
				'billing.address_1',
				'billing.city',
				'billing.country_code',
				'billing.first_name',
				'billing.last_name',
				'billing.postal_code',
				'card_cvc',
				'card_expiry',
				'card_number',
				'email',
				'shipping.postal_code',
			].sort(),
		);
		expect(errors.card_expiry).toBe('This card has expired.');
		expect(detailsValid(validate({ ...shipping }, { billingSame: true, card: true, now }))).toBe(true);
	});

	it('builds API bodies: empty optional fields clear, card digits only', () => {
		const address = toAddress(shipping, 'shipping');
		expect(address).toMatchObject({ first_name: 'Sam', country_code: 'us', address_2: null, phone: null });
		expect(toCardData(card)).toEqual({ card_number: '4242424242424242', exp_month: 12, exp_year: 2029, cvc: '123' });
		expect(sameAddress(null, null)).toBe(true);
	});
});

import { describe, expect, it } from 'vitest';
import {
	type PaymentFailure,
	type ProviderData,
	WebhookSignatureError,
} from '../../plugins/commerce/src/payments/provider.ts';
import { cardBrand, createTestProvider, passesLuhn } from '../../plugins/commerce/src/payments/test-provider.ts';

// Mid-June 2030, so expiry checks have a fixed "now".
const NOW = new Date('2030-06-15T12:00:00Z');
const provider = createTestProvider({ captureMethod: 'manual', now: () => NOW });

async function session(amount = 5000) {
	return (
		await provider.initiate({
			amount,
			currency: 'usd',
			cartId: 'cart_1',
			email: null,
			idempotencyKey: `init_${Math.random()}`,
		})
	).data;
}

async function withCard(input: ProviderData, amount = 5000) {
	return provider.update({ data: await session(amount), amount, currency: 'usd', input });
}

const authorize = (data: ProviderData, amount = 5000) =>
	provider.authorize({ data, amount, currency: 'usd', idempotencyKey: 'auth' });
const card = (card_number: string | number, extra: ProviderData = {}) => ({
	card_number,
	exp_month: 12,
	exp_year: 2034,
	cvc: '314',
	...extra,
});

describe('test provider: Stripe test cards', () => {
	it.each([
		['4242424242424242', undefined],
		[
			'4000000000009995',
			{ code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
		],
		['4000000000000002', { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' }],
		['4000000000000069', { code: 'expired_card', message: 'Your card has expired.' }],
	] as Array<[string, PaymentFailure | undefined]>)('%s at authorize', async (number, failure) => {
		const updated = await withCard(card(number));
		// Declines are only known at authorization, as with Stripe.
		expect(updated.status).toBe('pending');
		const auth = await authorize(updated.data);
		if (!failure) {
			expect(auth).toMatchObject({ status: 'authorized', amountAuthorized: 5000, captured: false });
		} else {
			expect(auth).toMatchObject({ status: 'error', amountAuthorized: 0, captured: false });
			expect(auth.failure).toEqual(failure);
			expect(auth.data.outcome).toBe(failure.declineCode ?? failure.code);
		}
	});

	it('behaves like 4242 4242 4242 4242 when no card is given', async () => {
		const data = await session();
		expect(data).toMatchObject({ brand: 'visa', last4: '4242', outcome: 'success' });
		expect(await authorize(data)).toMatchObject({ status: 'authorized', amountAuthorized: 5000 });
	});

	it('accepts numbers with spaces or dashes, and as JSON numbers', async () => {
		for (const number of ['4242 4242 4242 4242', '4242-4242-4242-4242', 4242424242424242, ' 5555 5555 5555 4444 ']) {
			const updated = await withCard(card(number));
			expect(updated.status).toBe('pending');
			expect((await authorize(updated.data)).status).toBe('authorized');
		}
	});

	it('refuses a number failing the Luhn check at update and again at authorize', async () => {
		expect(passesLuhn('4242424242424242')).toBe(true);
		expect(passesLuhn('4242424242424241')).toBe(false);
		const failure = { code: 'incorrect_number', message: 'Your card number is incorrect.' };
		for (const number of ['4242424242424241', '1234', 'not a card', '']) {
			const updated = await withCard(card(number));
			expect(updated).toMatchObject({ status: 'error', failure });
			expect(await authorize(updated.data)).toMatchObject({ status: 'error', failure, amountAuthorized: 0 });
		}
	});

	it('a refused card replaces the earlier one, so authorize cannot fall back to it', async () => {
		const good = await withCard(card('4242424242424242'));
		const bad = await provider.update({
			data: good.data,
			amount: 5000,
			currency: 'usd',
			input: card('4242424242424241'),
		});
		expect(bad.status).toBe('error');
		expect((await authorize(bad.data)).status).toBe('error');
	});

	it('checks expiry month, year and CVC format', async () => {
		expect(await withCard(card('4242424242424242', { exp_month: 13 }))).toMatchObject({
			status: 'error',
			failure: { code: 'invalid_expiry_month' },
		});
		expect(await withCard(card('4242424242424242', { exp_month: 'ab' }))).toMatchObject({
			status: 'error',
			failure: { code: 'invalid_expiry_month' },
		});
		expect(await withCard(card('4242424242424242', { exp_year: '203' }))).toMatchObject({
			status: 'error',
			failure: { code: 'invalid_expiry_year' },
		});
		expect(await withCard(card('4242424242424242', { cvc: '12' }))).toMatchObject({
			status: 'error',
			failure: { code: 'invalid_cvc' },
		});
		const updated = await withCard(card('4242424242424242', { cvc: '12' }));
		expect((await authorize(updated.data)).failure?.code).toBe('invalid_cvc');
	});

	it('refuses an expired card (expiry month in the past) and accepts the current month', async () => {
		const expired = { code: 'expired_card', message: 'Your card has expired.' };
		expect(await withCard(card('4242424242424242', { exp_month: 5, exp_year: 2030 }))).toMatchObject({
			status: 'error',
			failure: expired,
		});
		expect(await withCard(card('4242424242424242', { exp_month: '12', exp_year: '29' }))).toMatchObject({
			status: 'error',
			failure: expired,
		});
		const current = await withCard(card('4242424242424242', { exp_month: 6, exp_year: '30' }));
		expect(current.status).toBe('pending');
		expect(current.data).toMatchObject({ exp_month: 6, exp_year: 2030 });
		expect((await authorize(current.data)).status).toBe('authorized');
	});

	it('a card that expires between update and authorize is refused at authorize', async () => {
		let now = new Date('2030-06-30T23:00:00Z');
		const clocked = createTestProvider({ captureMethod: 'manual', now: () => now });
		const start = await clocked.initiate({
			amount: 700,
			currency: 'usd',
			cartId: 'c',
			email: null,
			idempotencyKey: 'clock',
		});
		const updated = await clocked.update({
			data: start.data,
			amount: 700,
			currency: 'usd',
			input: card('4242424242424242', { exp_month: 6, exp_year: 2030 }),
		});
		expect(updated.status).toBe('pending');
		now = new Date('2030-07-01T00:00:01Z');
		const auth = await clocked.authorize({ data: updated.data, amount: 700, currency: 'usd', idempotencyKey: 'a' });
		expect(auth).toMatchObject({ status: 'error', failure: { code: 'expired_card' } });
	});

	it('4000 0025 0000 3155 needs the simulated 3-D Secure confirmation before it authorizes', async () => {
		const updated = await withCard(card('4000002500003155'));
		const first = await authorize(updated.data);
		expect(first).toMatchObject({ status: 'requires_more', amountAuthorized: 0, captured: false });
		expect(first.data.next_action).toBe('confirm');
		const stillWaiting = await authorize(first.data);
		expect(stillWaiting.status).toBe('requires_more');
		const confirmed = await provider.update({
			data: first.data,
			amount: 5000,
			currency: 'usd',
			input: { confirm: true },
		});
		expect(confirmed.status).toBe('pending');
		expect(confirmed.data.next_action).toBeNull();
		expect(await authorize(confirmed.data)).toMatchObject({ status: 'authorized', amountAuthorized: 5000 });
		// A new card needs its own confirmation.
		const swapped = await provider.update({
			data: confirmed.data,
			amount: 5000,
			currency: 'usd',
			input: card('4000002500003155'),
		});
		expect((await authorize(swapped.data)).status).toBe('requires_more');
	});

	it.each([
		['4242424242424242', 'visa', '4242'],
		['5555555555554444', 'mastercard', '4444'],
		['2223003122003222', 'mastercard', '3222'],
		['378282246310005', 'amex', '0005'],
		['371449635398431', 'amex', '8431'],
		['6011111111111117', 'unknown', '1117'],
	])('%s is %s ending %s', async (number, brand, last4) => {
		expect(cardBrand(number)).toBe(brand);
		const updated = await withCard(card(number, { cvc: brand === 'amex' ? '1234' : '123' }));
		expect(updated.data).toMatchObject({ brand, last4, exp_month: 12, exp_year: 2034 });
	});

	it('keeps only brand, last 4, expiry and outcome of the card: never the number or the CVC', async () => {
		const number = '4000 0000 0000 9995';
		const updated = await withCard({ card_number: number, exp_month: '08', exp_year: '2031', cvc: '8531' });
		const steps = [updated.data, (await authorize(updated.data)).data];
		for (const data of steps) {
			// The id is a hash and could contain any 4 digits by chance; everything else must not.
			const json = JSON.stringify({ ...data, id: null });
			expect(json).not.toContain('4000000000009995');
			expect(json).not.toContain(number);
			expect(json).not.toMatch(/8531/);
			expect(Object.keys(data).sort()).toEqual(
				[
					'amount',
					'amount_authorized',
					'amount_captured',
					'amount_refunded',
					'brand',
					'canceled',
					'confirmed',
					'currency',
					'exp_month',
					'exp_year',
					'id',
					'last4',
					'next_action',
					'outcome',
					'status',
				].sort(),
			);
		}
		expect(updated.data).toMatchObject({
			brand: 'visa',
			last4: '9995',
			exp_month: 8,
			exp_year: 2031,
			outcome: 'insufficient_funds',
		});
	});
});

describe('test provider: session state', () => {
	it('ids look like testpay_<hex>', async () => {
		expect((await session()).id).toMatch(/^testpay_[0-9a-f]{24}$/);
	});

	it('captures at authorization by default (automatic capture)', async () => {
		const automatic = createTestProvider();
		const start = await automatic.initiate({
			amount: 1234,
			currency: 'EUR',
			cartId: 'c',
			email: null,
			idempotencyKey: 'auto',
		});
		const auth = await automatic.authorize({ data: start.data, amount: 1234, currency: 'eur', idempotencyKey: 'a' });
		expect(auth).toMatchObject({ status: 'authorized', captured: true, amountAuthorized: 1234 });
		expect(auth.data).toMatchObject({ currency: 'eur', amount_authorized: 1234, amount_captured: 1234 });
	});

	it('an authorized session keeps its amount and card: update reports why instead of changing them', async () => {
		const auth = await authorize((await withCard(card('4242424242424242'))).data);
		const changed = await provider.update({ data: auth.data, amount: 6000, currency: 'usd' });
		expect(changed).toMatchObject({ status: 'authorized', failure: { code: 'payment_intent_unexpected_state' } });
		expect(changed.data).toEqual(auth.data);
		expect(await provider.update({ data: auth.data, amount: 5000, currency: 'usd' })).toEqual({
			status: 'authorized',
			data: auth.data,
		});
	});

	it('retrieve reports the failure of a declined session', async () => {
		const auth = await authorize((await withCard(card('4000000000000002'))).data);
		expect(await provider.retrieve({ data: auth.data })).toMatchObject({
			status: 'error',
			amount: 5000,
			failure: { declineCode: 'generic_decline' },
		});
	});

	it('refuses data it did not write', async () => {
		const data = await session();
		await expect(provider.retrieve({ data: { ...data, id: 'pi_123' } })).rejects.toThrow(
			/not created by the test provider/,
		);
		await expect(
			provider.capture({ data: { ...data, amount_authorized: '5000' }, amount: 1, idempotencyKey: 'k' }),
		).rejects.toThrow(/amount_authorized/);
	});

	it('sends no webhooks', () => {
		expect(() => provider.parseWebhook('{}', new Headers({ 'stripe-signature': 't=1,v1=abc' }))).toThrow(
			new WebhookSignatureError('The test provider sends no webhooks.'),
		);
	});
});

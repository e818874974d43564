/**
 * The offline `test` provider: simulates Stripe's test cards without any network, so checkout works (and is tested)
 * with no account. It is stateless: the session `data` it returns is its whole state, and the caller stores it.
 * Card details pass through `update` and only brand, last 4, expiry and the simulated outcome are kept.
 */
import { createHash } from 'node:crypto';
import type {
	AuthorizeResult,
	PaymentFailure,
	PaymentProvider,
	PaymentSessionStatus,
	ProviderData,
} from './provider.ts';
import { WebhookSignatureError } from './provider.ts';
import {
	assertPositiveAmount,
	cancelUntaken,
	captureOnce,
	refundTaken,
	refuseAmountMismatch,
} from './simulated-ledger.ts';

/** What a card will do at authorization, named after Stripe's error and decline codes. */
export type TestCardOutcome =
	| 'success'
	| 'insufficient_funds'
	| 'generic_decline'
	| 'expired_card'
	| 'incorrect_number'
	| 'invalid_expiry_month'
	| 'invalid_expiry_year'
	| 'invalid_cvc'
	| 'authentication_required';

export type TestCardBrand = 'visa' | 'mastercard' | 'amex' | 'unknown';

/** The test provider's session data: its whole state. Safe to show the browser (no card number, no CVC). */
export type TestPaymentData = {
	/** `testpay_<24 hex>`, derived from the initiate idempotency key so a retried initiate gives the same id. */
	id: string;
	amount: number;
	currency: string;
	status: PaymentSessionStatus;
	amount_authorized: number;
	amount_captured: number;
	amount_refunded: number;
	canceled: boolean;
	brand: TestCardBrand;
	last4: string;
	exp_month: number | null;
	exp_year: number | null;
	outcome: TestCardOutcome;
	/** `confirm` while the simulated 3-D Secure step waits for `update({ input: { confirm: true } })`. */
	next_action: 'confirm' | null;
	/** The browser completed the simulated 3-D Secure step for the current card. */
	confirmed: boolean;
};

/** Options of {@link createTestProvider}. */
export interface TestProviderOptions {
	/** `automatic` captures at authorization. @default 'automatic' */
	captureMethod?: 'automatic' | 'manual';
	/** Clock for expiry checks (tests pin it). @default () => new Date() */
	now?: () => Date;
}

/** Stripe's test card numbers with a special outcome; any other number passing the Luhn check succeeds. */
const SPECIAL_CARDS: Record<string, TestCardOutcome> = {
	'4000000000009995': 'insufficient_funds',
	'4000000000000002': 'generic_decline',
	'4000000000000069': 'expired_card',
	'4000002500003155': 'authentication_required',
};

const FAILURES: Record<Exclude<TestCardOutcome, 'success' | 'authentication_required'>, PaymentFailure> = {
	insufficient_funds: {
		code: 'card_declined',
		declineCode: 'insufficient_funds',
		message: 'Your card has insufficient funds.',
	},
	generic_decline: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
	expired_card: { code: 'expired_card', message: 'Your card has expired.' },
	incorrect_number: { code: 'incorrect_number', message: 'Your card number is incorrect.' },
	invalid_expiry_month: { code: 'invalid_expiry_month', message: "Your card's expiration month is invalid." },
	invalid_expiry_year: { code: 'invalid_expiry_year', message: "Your card's expiration year is invalid." },
	invalid_cvc: { code: 'invalid_cvc', message: "Your card's security code is invalid." },
};

/** Mistakes a card form catches as the card is typed; declines (4000 0000 0000 0069 too) wait for authorization. */
const INPUT_OUTCOMES = new Set<TestCardOutcome>([
	'incorrect_number',
	'invalid_expiry_month',
	'invalid_expiry_year',
	'invalid_cvc',
]);

/** Luhn checksum, as card networks use it to catch mistyped numbers. */
export function passesLuhn(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let digit = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return sum % 10 === 0;
}

/** Card brand from the number's prefix (IIN ranges of Visa, Mastercard and American Express). */
export function cardBrand(digits: string): TestCardBrand {
	if (digits.startsWith('4')) return 'visa';
	if (/^3[47]/.test(digits)) return 'amex';
	const two = Number(digits.slice(0, 2));
	const four = Number(digits.slice(0, 4));
	if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
	return 'unknown';
}

type CardFields = Pick<TestPaymentData, 'brand' | 'last4' | 'exp_month' | 'exp_year' | 'outcome'>;

const text = (value: unknown): string | null =>
	typeof value === 'string' || typeof value === 'number' ? String(value).trim() : null;

/**
 * Reads card fields from the browser's input; `null` when the input carries no card. An unusable card is kept as
 * its failing outcome, so neither update nor authorize can fall back to an earlier card. The CVC is checked, never kept.
 */
function readCard(input: ProviderData): CardFields | null {
	if (!['card_number', 'exp_month', 'exp_year', 'cvc'].some((key) => input[key] !== undefined)) return null;
	const digits = (text(input.card_number) ?? '').replace(/[\s-]/g, '');
	const month = text(input.exp_month);
	const year = text(input.exp_year);
	const cvc = text(input.cvc);
	const monthOk = month === null || (/^\d{1,2}$/.test(month) && Number(month) >= 1 && Number(month) <= 12);
	const yearOk = year === null || /^(\d{2}|\d{4})$/.test(year);
	const card: Omit<CardFields, 'outcome'> = {
		brand: /^\d+$/.test(digits) ? cardBrand(digits) : 'unknown',
		last4: /^\d{4,}$/.test(digits) ? digits.slice(-4) : '',
		exp_month: month !== null && monthOk ? Number(month) : null,
		// Two-digit years are this century's, as card forms mean them.
		exp_year: year !== null && yearOk ? (year.length === 2 ? 2000 + Number(year) : Number(year)) : null,
	};
	if (!/^\d{12,19}$/.test(digits) || !passesLuhn(digits)) return { ...card, outcome: 'incorrect_number' };
	if (!monthOk) return { ...card, outcome: 'invalid_expiry_month' };
	if (!yearOk) return { ...card, outcome: 'invalid_expiry_year' };
	if (cvc !== null && !/^\d{3,4}$/.test(cvc)) return { ...card, outcome: 'invalid_cvc' };
	return { ...card, outcome: SPECIAL_CARDS[digits] ?? 'success' };
}

/** A card is valid through the last day of its expiry month. */
function isExpired(data: Pick<TestPaymentData, 'exp_month' | 'exp_year'>, now: Date): boolean {
	if (data.exp_year === null) return false;
	const month = data.exp_month ?? 12;
	return (
		data.exp_year < now.getUTCFullYear() || (data.exp_year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)
	);
}

const OUTCOMES = new Set<string>(['success', ...Object.keys(FAILURES), 'authentication_required']);
const STATUSES = new Set<string>(['pending', 'requires_more', 'authorized', 'error', 'canceled']);
const BRANDS = new Set<string>(['visa', 'mastercard', 'amex', 'unknown']);

/** Validates stored data; anything else was not written by this provider (or was tampered with). */
function readData(data: ProviderData): TestPaymentData {
	const fail = (field: string): never => {
		throw new Error(
			`This payment session was not created by the test provider (bad ${field}). Start a new payment session.`,
		);
	};
	const int = (key: string): number => {
		const value = data[key];
		return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fail(key);
	};
	const intOrNull = (key: string): number | null => (data[key] === null ? null : int(key));
	const oneOf = <T extends string>(key: string, allowed: Set<string>): T => {
		const value = data[key];
		return typeof value === 'string' && allowed.has(value) ? (value as T) : fail(key);
	};
	if (typeof data.id !== 'string' || !data.id.startsWith('testpay_')) fail('id');
	if (typeof data.currency !== 'string' || typeof data.last4 !== 'string') fail('currency or last4');
	if (typeof data.canceled !== 'boolean' || typeof data.confirmed !== 'boolean') fail('flags');
	if (data.next_action !== null && data.next_action !== 'confirm') fail('next_action');
	return {
		id: String(data.id),
		amount: int('amount'),
		currency: String(data.currency),
		status: oneOf<PaymentSessionStatus>('status', STATUSES),
		amount_authorized: int('amount_authorized'),
		amount_captured: int('amount_captured'),
		amount_refunded: int('amount_refunded'),
		canceled: data.canceled === true,
		brand: oneOf<TestCardBrand>('brand', BRANDS),
		last4: String(data.last4),
		exp_month: intOrNull('exp_month'),
		exp_year: intOrNull('exp_year'),
		outcome: oneOf<TestCardOutcome>('outcome', OUTCOMES),
		next_action: data.next_action === 'confirm' ? 'confirm' : null,
		confirmed: data.confirmed === true,
	};
}

const failureOf = (outcome: TestCardOutcome): PaymentFailure | undefined =>
	outcome === 'success' || outcome === 'authentication_required' ? undefined : FAILURES[outcome];

/**
 * Creates the offline `test` provider. Cards: 4242 4242 4242 4242 succeeds (also when no card is given),
 * 4000 0000 0000 9995 insufficient funds, 4000 0000 0000 0002 generic decline, 4000 0000 0000 0069 expired,
 * 4000 0025 0000 3155 needs the simulated 3-D Secure confirmation, a number failing the Luhn check is incorrect.
 * Like Stripe, a payment is captured once: a partial capture releases the rest, and capturing again returns the total.
 */
export function createTestProvider(opts: TestProviderOptions = {}): PaymentProvider {
	const captureMethod = opts.captureMethod ?? 'automatic';
	const now = opts.now ?? (() => new Date());

	/** The outcome authorization would have right now (expiry depends on the clock). */
	const currentOutcome = (d: TestPaymentData): TestCardOutcome =>
		d.outcome !== 'incorrect_number' && isExpired(d, now()) ? 'expired_card' : d.outcome;

	const authorizeResult = (d: TestPaymentData, failure?: PaymentFailure): AuthorizeResult => ({
		status: d.status,
		data: d,
		...(failure ? { failure } : {}),
		amountAuthorized: d.status === 'authorized' ? d.amount_authorized : 0,
		captured: d.status === 'authorized' && d.amount_captured > 0,
	});

	return {
		id: 'test',

		async initiate(input) {
			assertPositiveAmount(input.amount, 'start a payment of');
			const digest = createHash('sha256').update(`test:${input.idempotencyKey}`).digest('hex');
			const data: TestPaymentData = {
				id: `testpay_${digest.slice(0, 24)}`,
				amount: input.amount,
				currency: input.currency.toLowerCase(),
				status: 'pending',
				amount_authorized: 0,
				amount_captured: 0,
				amount_refunded: 0,
				canceled: false,
				// No card given behaves like 4242 4242 4242 4242.
				brand: 'visa',
				last4: '4242',
				exp_month: null,
				exp_year: null,
				outcome: 'success',
				next_action: null,
				confirmed: false,
			};
			return { status: 'pending', data };
		},

		async update({ data, amount, currency, input }) {
			const d = readData(data);
			if (d.canceled) return { status: 'canceled', data: d };
			const card = input ? readCard(input) : null;
			const changesAmount = amount !== d.amount || currency.toLowerCase() !== d.currency;
			if (d.status === 'authorized') {
				if (!changesAmount && !card) return { status: 'authorized', data: d };
				// The authorization stands; changing what it covers would authorize an amount nobody approved.
				const message =
					'This payment is already authorized: cancel it and start a new payment session to change the amount or card.';
				return { status: 'authorized', data: d, failure: { code: 'payment_intent_unexpected_state', message } };
			}
			assertPositiveAmount(amount, 'set a payment of');
			let next: TestPaymentData = { ...d, amount, currency: currency.toLowerCase() };
			if (card) next = { ...next, ...card, status: 'pending', next_action: null, confirmed: false };
			if (input?.confirm === true && next.outcome === 'authentication_required') {
				next = { ...next, confirmed: true, next_action: null, status: 'pending' };
			}
			// A mistyped card, or an expiry date already past, is refused as typed; declines wait for authorization.
			const early = !card
				? null
				: INPUT_OUTCOMES.has(next.outcome)
					? next.outcome
					: isExpired(next, now())
						? 'expired_card'
						: null;
			if (early && early !== 'success' && early !== 'authentication_required') {
				next = { ...next, outcome: early, status: 'error' };
				return { status: 'error', data: next, failure: FAILURES[early] };
			}
			return { status: next.status, data: next };
		},

		async authorize({ data, amount, currency }) {
			const d = readData(data);
			const mismatch = refuseAmountMismatch(d, amount, currency);
			if (mismatch) return mismatch;
			if (d.canceled || d.status === 'authorized') return authorizeResult(d);
			const outcome = currentOutcome(d);
			const failure = failureOf(outcome);
			if (failure) return authorizeResult({ ...d, outcome, status: 'error', next_action: null }, failure);
			if (outcome === 'authentication_required' && !d.confirmed) {
				return authorizeResult({ ...d, status: 'requires_more', next_action: 'confirm' });
			}
			const captured = captureMethod === 'automatic' ? amount : 0;
			return authorizeResult({
				...d,
				status: 'authorized',
				next_action: null,
				amount_authorized: amount,
				amount_captured: captured,
			});
		},

		async capture({ data, amount }) {
			return captureOnce(readData(data), amount);
		},

		async refund({ data, amount }) {
			return refundTaken(readData(data), amount, {
				taken: 'captured',
				whenNothingTaken: 'nothing has been captured (cancel the authorization instead)',
			});
		},

		async cancel({ data }) {
			const d = readData(data);
			const canceled = cancelUntaken(d, 'captured');
			return { data: canceled === d ? d : { ...canceled, next_action: null } };
		},

		async retrieve({ data }) {
			const d = readData(data);
			const failure = d.status === 'error' ? failureOf(d.outcome) : undefined;
			return { status: d.status, data: d, amount: d.amount, ...(failure ? { failure } : {}) };
		},

		parseWebhook() {
			throw new WebhookSignatureError('The test provider sends no webhooks.');
		},
	};
}

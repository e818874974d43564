/**
 * The offline `manual` provider, Medusa v1's name for "pay later": bank transfer, invoice, cash on delivery. It takes
 * no card data and authorizes at once; nothing is captured until the merchant marks the order paid (capture in the
 * admin), whatever the store's capture method. Stateless like the test provider: the session `data` is its whole state.
 */
import { createHash } from 'node:crypto';
import type { AuthorizeResult, PaymentProvider, PaymentSessionStatus, ProviderData } from './provider.ts';
import { PaymentAmountError, WebhookSignatureError } from './provider.ts';

/** The manual provider's session data; safe to show the browser. */
export type ManualPaymentData = {
	/** `manual_<24 hex>`, derived from the initiate idempotency key. */
	id: string;
	amount: number;
	currency: string;
	status: PaymentSessionStatus;
	amount_authorized: number;
	amount_captured: number;
	amount_refunded: number;
	canceled: boolean;
};

const STATUSES = new Set<string>(['pending', 'authorized', 'canceled']);

function readData(data: ProviderData): ManualPaymentData {
	const fail = (field: string): never => {
		throw new Error(
			`This payment session was not created by the manual provider (bad ${field}). Start a new payment session.`,
		);
	};
	const int = (key: string): number => {
		const value = data[key];
		return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fail(key);
	};
	if (typeof data.id !== 'string' || !data.id.startsWith('manual_')) fail('id');
	if (typeof data.currency !== 'string') fail('currency');
	if (typeof data.status !== 'string' || !STATUSES.has(data.status)) fail('status');
	if (typeof data.canceled !== 'boolean') fail('canceled');
	return {
		id: String(data.id),
		amount: int('amount'),
		currency: String(data.currency),
		status: data.status as PaymentSessionStatus,
		amount_authorized: int('amount_authorized'),
		amount_captured: int('amount_captured'),
		amount_refunded: int('amount_refunded'),
		canceled: data.canceled === true,
	};
}

function assertPositiveAmount(amount: number, action: string): void {
	if (!Number.isSafeInteger(amount) || amount <= 0) {
		throw new PaymentAmountError(`Cannot ${action} ${amount}: the amount must be a positive integer in minor units.`);
	}
}

const result = (d: ManualPaymentData): AuthorizeResult => ({
	status: d.status,
	data: d,
	amountAuthorized: d.status === 'authorized' ? d.amount_authorized : 0,
	captured: false,
});

/** Creates the `manual` provider. Capture is always the merchant's step, so orders wait with payment `awaiting`. */
export function createManualProvider(): PaymentProvider {
	return {
		id: 'manual',

		async initiate(input) {
			assertPositiveAmount(input.amount, 'start a payment of');
			const digest = createHash('sha256').update(`manual:${input.idempotencyKey}`).digest('hex');
			const data: ManualPaymentData = {
				id: `manual_${digest.slice(0, 24)}`,
				amount: input.amount,
				currency: input.currency.toLowerCase(),
				status: 'pending',
				amount_authorized: 0,
				amount_captured: 0,
				amount_refunded: 0,
				canceled: false,
			};
			return { status: 'pending', data };
		},

		// Browser input is ignored: there is nothing to enter for a manual payment.
		async update({ data, amount, currency }) {
			const d = readData(data);
			if (d.canceled) return { status: 'canceled', data: d };
			const changes = amount !== d.amount || currency.toLowerCase() !== d.currency;
			if (d.status === 'authorized') {
				if (!changes) return { status: 'authorized', data: d };
				const message =
					'This payment is already authorized: cancel it and start a new payment session to change the amount.';
				return { status: 'authorized', data: d, failure: { code: 'payment_intent_unexpected_state', message } };
			}
			assertPositiveAmount(amount, 'set a payment of');
			const next = { ...d, amount, currency: currency.toLowerCase() };
			return { status: next.status, data: next };
		},

		async authorize({ data, amount, currency }) {
			const d = readData(data);
			if (amount !== d.amount || currency.toLowerCase() !== d.currency) {
				const message = `The payment session is for ${d.amount} ${d.currency}, not ${amount} ${currency.toLowerCase()}. Update the session to the order total first.`;
				return {
					status: 'error',
					data: d,
					failure: { code: 'amount_mismatch', message },
					amountAuthorized: 0,
					captured: false,
				};
			}
			if (d.canceled || d.status === 'authorized') return result(d);
			return result({ ...d, status: 'authorized', amount_authorized: amount });
		},

		async capture({ data, amount }) {
			const d = readData(data);
			assertPositiveAmount(amount, 'capture');
			if (d.canceled) throw new PaymentAmountError(`Cannot capture ${amount}: this payment was canceled.`);
			if (d.status !== 'authorized')
				throw new PaymentAmountError(`Cannot capture ${amount}: nothing has been authorized yet.`);
			if (d.amount_captured > 0) return { data: d, total: d.amount_captured };
			if (amount > d.amount_authorized)
				throw new PaymentAmountError(
					`Cannot capture ${amount}: only ${d.amount_authorized} ${d.currency} is authorized.`,
				);
			const next = { ...d, amount_captured: amount };
			return { data: next, total: amount };
		},

		async refund({ data, amount }) {
			const d = readData(data);
			assertPositiveAmount(amount, 'refund');
			const refundable = d.amount_captured - d.amount_refunded;
			if (amount > refundable) {
				const reason =
					d.amount_captured === 0
						? 'nothing has been received yet (cancel the order instead)'
						: `only ${refundable} ${d.currency} of the ${d.amount_captured} received is still refundable`;
				throw new PaymentAmountError(`Cannot refund ${amount}: ${reason}.`);
			}
			const next = { ...d, amount_refunded: d.amount_refunded + amount };
			return { data: next, total: next.amount_refunded };
		},

		async cancel({ data }) {
			const d = readData(data);
			if (d.canceled) return { data: d };
			if (d.amount_captured > 0) {
				throw new PaymentAmountError(
					`Refund instead: ${d.amount_captured} ${d.currency} of this payment was already received, so it cannot be canceled.`,
				);
			}
			return { data: { ...d, canceled: true, status: 'canceled' } };
		},

		async retrieve({ data }) {
			const d = readData(data);
			return { status: d.status, data: d, amount: d.amount };
		},

		parseWebhook() {
			throw new WebhookSignatureError('The manual provider sends no webhooks.');
		},
	};
}

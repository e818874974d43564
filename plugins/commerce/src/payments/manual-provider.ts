/**
 * The offline `manual` provider, Medusa v1's name for "pay later": bank transfer, invoice, cash on delivery. It takes
 * no card data and authorizes at once; nothing is captured until the merchant marks the order paid (capture in the
 * admin), whatever the store's capture method. Stateless like the test provider: the session `data` is its whole state.
 */
import { createHash } from 'node:crypto';
import type { AuthorizeResult, PaymentProvider, PaymentSessionStatus, ProviderData } from './provider.ts';
import { WebhookSignatureError } from './provider.ts';
import {
	assertPositiveAmount,
	cancelUntaken,
	captureOnce,
	refundTaken,
	refuseAmountMismatch,
} from './simulated-ledger.ts';

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
			const mismatch = refuseAmountMismatch(d, amount, currency);
			if (mismatch) return mismatch;
			if (d.canceled || d.status === 'authorized') return result(d);
			return result({ ...d, status: 'authorized', amount_authorized: amount });
		},

		async capture({ data, amount }) {
			return captureOnce(readData(data), amount);
		},

		async refund({ data, amount }) {
			return refundTaken(readData(data), amount, {
				taken: 'received',
				whenNothingTaken: 'nothing has been received yet (cancel the order instead)',
			});
		},

		async cancel({ data }) {
			return { data: cancelUntaken(readData(data), 'received') };
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

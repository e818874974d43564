import { type AuthorizeResult, PaymentAmountError, type ProviderData } from './provider.ts';

// The bookkeeping the two offline providers (`test`, `manual`) share: their session data is their whole state, and
// capture, refund and cancel follow Stripe's rules on it (capture once, refund at most what was taken, cancel only
// what was not taken). `taken` is how the provider words money it has: "captured" (test) or "received" (manual).

/** The amounts and flags both offline providers keep in their session data. */
export interface SimulatedAmounts {
	status: string;
	currency: string;
	canceled: boolean;
	amount_authorized: number;
	amount_captured: number;
	amount_refunded: number;
}

export function assertPositiveAmount(amount: number, action: string): void {
	if (!Number.isSafeInteger(amount) || amount <= 0) {
		throw new PaymentAmountError(`Cannot ${action} ${amount}: the amount must be a positive integer in minor units.`);
	}
}

/**
 * Refuses to authorize a session for another amount or currency than it was created for (the cart changed since):
 * an `amount_mismatch` failure with the session unchanged, or null when they match.
 */
export function refuseAmountMismatch<T extends ProviderData & SimulatedAmounts & { amount: number }>(
	d: T,
	amount: number,
	currency: string,
): AuthorizeResult | null {
	if (amount === d.amount && currency.toLowerCase() === d.currency) return null;
	const message = `The payment session is for ${d.amount} ${d.currency}, not ${amount} ${currency.toLowerCase()}. Update the session to the order total first.`;
	return {
		status: 'error',
		data: d,
		failure: { code: 'amount_mismatch', message },
		amountAuthorized: 0,
		captured: false,
	};
}

/** Captures once (design rule 6): an already captured payment answers with its total, as Stripe's does. */
export function captureOnce<T extends SimulatedAmounts>(d: T, amount: number): { data: T; total: number } {
	assertPositiveAmount(amount, 'capture');
	if (d.canceled) throw new PaymentAmountError(`Cannot capture ${amount}: this payment was canceled.`);
	if (d.status !== 'authorized')
		throw new PaymentAmountError(`Cannot capture ${amount}: nothing has been authorized yet.`);
	if (d.amount_captured > 0) return { data: d, total: d.amount_captured };
	if (amount > d.amount_authorized)
		throw new PaymentAmountError(`Cannot capture ${amount}: only ${d.amount_authorized} ${d.currency} is authorized.`);
	return { data: { ...d, amount_captured: amount }, total: amount };
}

/** Refunds part of what was taken; `whenNothingTaken` says what to do instead when nothing was. */
export function refundTaken<T extends SimulatedAmounts>(
	d: T,
	amount: number,
	words: { taken: string; whenNothingTaken: string },
): { data: T; total: number } {
	assertPositiveAmount(amount, 'refund');
	const refundable = d.amount_captured - d.amount_refunded;
	if (amount > refundable) {
		const reason =
			d.amount_captured === 0
				? words.whenNothingTaken
				: `only ${refundable} ${d.currency} of the ${d.amount_captured} ${words.taken} is still refundable`;
		throw new PaymentAmountError(`Cannot refund ${amount}: ${reason}.`);
	}
	const next = { ...d, amount_refunded: d.amount_refunded + amount };
	return { data: next, total: next.amount_refunded };
}

/** Cancels a payment nothing was taken from (again: unchanged); a taken one must be refunded instead. */
export function cancelUntaken<T extends SimulatedAmounts>(d: T, taken: string): T {
	if (d.canceled) return d;
	if (d.amount_captured > 0) {
		throw new PaymentAmountError(
			`Refund instead: ${d.amount_captured} ${d.currency} of this payment was already ${taken}, so it cannot be canceled.`,
		);
	}
	return { ...d, canceled: true, status: 'canceled' };
}

/**
 * The order state machine as data, after Vendure's `default-order-process.ts`: one table row per action with a
 * guard that returns a reason instead of throwing. Applying a row is pure; the caller saves `next`, writes
 * `event` as an `order_events` row in the same transaction and runs the payment `effects` after it commits.
 */

import type {
	ActionOf,
	OrderAction,
	OrderActionType,
	OrderChangeAction,
	OrderEventType,
	OrderState,
	OrderTransitionTable,
	PaymentEffect,
	PaymentStatus,
	Refusal,
	RefusalCode,
	TransitionEvent,
	TransitionResult,
	TransitionRule,
} from './order-states.ts';
import {
	capturableAmount,
	describeFulfillmentStatus,
	describePaymentStatus,
	describeStatus,
	isPaidForFulfillment,
	refundableAmount,
} from './order-states.ts';

const MAX_SHIPPING_TEXT = 100;
const MAX_CANCEL_REASON = 500;

function refuse(code: RefusalCode, reason: string): Extract<TransitionResult, { ok: false }> {
	return { ok: false, code, reason };
}

function event(type: OrderEventType, data: Record<string, unknown> = {}): TransitionEvent {
	return { type, data };
}

function closedReason(state: OrderState): string | null {
	if (state.status === 'archived') return 'This order is archived and can no longer change.';
	if (state.status === 'canceled') return 'This order was canceled; it can only be archived.';
	return null;
}

function pendingReason(state: OrderState, onlyPending: string): string | null {
	const closed = closedReason(state);
	if (closed !== null || state.status === 'pending') return closed;
	return `${onlyPending}; this one is ${describeStatus(state.status)}.`;
}

function unpaidReason(state: OrderState, verb: string): string | null {
	if (isPaidForFulfillment(state)) return null;
	if (state.paymentStatus === 'awaiting') {
		return `The payment has not been captured yet; capture it before the order is ${verb}.`;
	}
	return `The payment is ${describePaymentStatus(state.paymentStatus)}, so the order cannot be ${verb}.`;
}

function amountRefusal(amount: number, available: number, tooLarge: string, verb: string): Refusal | null {
	if (!Number.isSafeInteger(amount) || amount <= 0) {
		return { code: 'amount_invalid', reason: `The amount to ${verb} must be a whole number of minor units above 0.` };
	}
	return amount > available ? { code: 'amount_too_large', reason: tooLarge } : null;
}

function textRefusal(value: unknown, code: RefusalCode, what: string): Refusal | null {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') return { code, reason: `Enter the ${what}.` };
	if (text.length > MAX_SHIPPING_TEXT) {
		return { code, reason: `The ${what} must be at most ${MAX_SHIPPING_TEXT} characters.` };
	}
	return null;
}

/** The order state machine. Keys are action types; `place` is handled by `initialOrderState`. */
export const ORDER_TRANSITIONS: OrderTransitionTable = {
	capture: {
		description: 'Capture the authorized payment, fully or partly; the uncaptured rest is released.',
		allowedFrom: 'pending order whose payment is awaiting capture and has not been captured before',
		guard: (state) => {
			const reason = pendingReason(state, 'Only the payment of a pending order can be captured');
			if (reason !== null) return reason;
			// Providers release the rest of an authorization on a partial capture, so a second one has nothing to take.
			if (state.captureCount > 0) return 'The payment was already captured; a payment is captured only once.';
			if (state.paymentStatus === 'awaiting') return null;
			return `Only an authorized payment can be captured; this one is ${describePaymentStatus(state.paymentStatus)}.`;
		},
		validate: (state, action) => {
			const available = capturableAmount(state);
			return amountRefusal(action.amount, available, `Only ${available} can be captured.`, 'capture');
		},
		apply: (state, action) => ({
			next: {
				...state,
				paymentStatus: 'captured',
				amountCaptured: state.amountCaptured + action.amount,
				captureCount: state.captureCount + 1,
			},
			event: event('payment_captured', {
				amount: action.amount,
				released: state.amountAuthorized - state.amountCaptured - action.amount,
			}),
			effects: [{ type: 'capture', amount: action.amount }],
		}),
	},
	mark_processing: {
		description: 'Mark the order as packed and ready to ship.',
		allowedFrom: 'pending, not fulfilled, payment captured or partly refunded (or nothing owed)',
		guard: (state) =>
			pendingReason(state, 'Only a pending order can be packed') ??
			(state.fulfillmentStatus === 'not_fulfilled'
				? null
				: `This order is already ${describeFulfillmentStatus(state.fulfillmentStatus)}.`) ??
			unpaidReason(state, 'packed'),
		apply: (state) => ({
			next: { ...state, fulfillmentStatus: 'fulfilled' },
			event: event('fulfillment_processing'),
			effects: [],
		}),
	},
	ship: {
		description: 'Hand the order to a carrier with a tracking number.',
		allowedFrom: 'pending, packed or not yet packed, payment captured or partly refunded (or nothing owed)',
		guard: (state) =>
			pendingReason(state, 'Only a pending order can be shipped') ??
			(state.fulfillmentStatus === 'not_fulfilled' || state.fulfillmentStatus === 'fulfilled'
				? null
				: `This order is already ${describeFulfillmentStatus(state.fulfillmentStatus)}.`) ??
			unpaidReason(state, 'shipped'),
		validate: (_state, action) =>
			textRefusal(action.carrier, 'carrier_invalid', 'carrier') ??
			textRefusal(action.trackingNumber, 'tracking_number_invalid', 'tracking number'),
		apply: (state, action) => {
			const carrier = action.carrier.trim();
			const trackingNumber = action.trackingNumber.trim();
			return {
				next: { ...state, fulfillmentStatus: 'shipped' },
				event: event('order_shipped', { carrier, trackingNumber }),
				effects: [],
			};
		},
	},
	deliver: {
		description: 'Record that the shopper received the order; it is then completed.',
		allowedFrom: 'pending and shipped',
		guard: (state) => {
			if (state.status === 'completed') return 'This order has already been delivered.';
			const reason = pendingReason(state, 'Only a pending order can be delivered');
			if (reason !== null || state.fulfillmentStatus === 'shipped') return reason;
			return `Only a shipped order can be delivered; this one is ${describeFulfillmentStatus(state.fulfillmentStatus)}.`;
		},
		apply: (state) => ({ next: { ...state, status: 'completed' }, event: event('order_delivered'), effects: [] }),
	},
	cancel: {
		description: 'Cancel an unfulfilled order: void an uncaptured payment or refund what was captured.',
		allowedFrom: 'pending and not fulfilled (nothing packed or shipped)',
		guard: (state) => {
			if (state.status === 'completed') return 'A completed order cannot be canceled; refund it instead.';
			const reason = pendingReason(state, 'Only a pending order can be canceled');
			if (reason !== null || state.fulfillmentStatus === 'not_fulfilled') return reason;
			const fulfillment = describeFulfillmentStatus(state.fulfillmentStatus);
			return `This order is already ${fulfillment}, so it can no longer be canceled; refund it instead.`;
		},
		validate: (_state, action) =>
			(action.reason?.trim().length ?? 0) > MAX_CANCEL_REASON
				? { code: 'reason_too_long', reason: `The reason must be at most ${MAX_CANCEL_REASON} characters.` }
				: null,
		apply: (state, action) => {
			const refund = refundableAmount(state);
			// An authorization still held (or waiting for the shopper) is released rather than left to expire.
			const voids = state.paymentStatus === 'awaiting' || state.paymentStatus === 'requires_action';
			let paymentStatus: PaymentStatus = state.paymentStatus;
			let effects: PaymentEffect[] = [];
			if (voids) {
				paymentStatus = 'canceled';
				effects = [{ type: 'void' }];
			} else if (refund > 0) {
				paymentStatus = 'refunded';
				effects = [{ type: 'refund', amount: refund }];
			}
			return {
				next: {
					...state,
					status: 'canceled',
					fulfillmentStatus: 'canceled',
					paymentStatus,
					amountRefunded: state.amountRefunded + refund,
				},
				event: event('order_canceled', { reason: action.reason?.trim() || null, voided: voids, refunded: refund }),
				effects,
			};
		},
	},
	refund: {
		description: 'Refund part or all of the captured payment.',
		allowedFrom: 'pending or completed, payment captured or partially refunded',
		guard: (state) => {
			const closed = closedReason(state);
			if (closed !== null) return closed;
			if (state.paymentStatus === 'captured' || state.paymentStatus === 'partially_refunded') return null;
			if (state.paymentStatus === 'refunded') return 'The payment has already been fully refunded.';
			const payment = describePaymentStatus(state.paymentStatus);
			return `Nothing was captured, so there is nothing to refund; the payment is ${payment}.`;
		},
		validate: (state, action) => {
			const available = refundableAmount(state);
			return amountRefusal(action.amount, available, `Only ${available} can still be refunded.`, 'refund');
		},
		apply: (state, action) => {
			const amountRefunded = state.amountRefunded + action.amount;
			const paymentStatus = amountRefunded === state.amountCaptured ? 'refunded' : 'partially_refunded';
			return {
				next: { ...state, paymentStatus, amountRefunded },
				event: event('payment_refunded', { amount: action.amount, refundable: state.amountCaptured - amountRefunded }),
				effects: [{ type: 'refund', amount: action.amount }],
			};
		},
	},
	payment_failed: {
		description: 'The payment of an order waiting for confirmation failed; the order is canceled.',
		allowedFrom: 'requires_action with nothing captured',
		guard: (state) => {
			const closed = closedReason(state);
			if (closed !== null) return closed;
			if (state.status !== 'requires_action') {
				const status = describeStatus(state.status);
				return `Only an order waiting for its payment to be confirmed can fail its payment; this one is ${status}.`;
			}
			// Canceling the payment here would lose track of captured money.
			return state.amountCaptured > 0
				? 'Money was already captured for this order, so its payment cannot fail; refund it instead.'
				: null;
		},
		apply: (state) => ({
			next: { ...state, status: 'canceled', paymentStatus: 'canceled', fulfillmentStatus: 'canceled' },
			event: event('payment_failed'),
			// A failed payment holds nothing, except when the provider still reports an authorization.
			effects: state.paymentStatus === 'awaiting' ? [{ type: 'void' }] : [],
		}),
	},
	archive: {
		description: 'Move a finished order out of the everyday lists.',
		allowedFrom: 'completed or canceled',
		guard: (state) => {
			if (state.status === 'archived') return 'This order is already archived.';
			if (state.status === 'completed' || state.status === 'canceled') return null;
			return `Only a completed or canceled order can be archived; this one is ${describeStatus(state.status)}.`;
		},
		apply: (state) => ({
			next: { ...state, status: 'archived' },
			event: event('order_archived', { from: state.status }),
			effects: [],
		}),
	},
};

/**
 * Creates the state of an order placed from a completed cart. Nothing owed → `not_paid`; fully captured (automatic
 * capture) → `captured`; authorized for the total and not captured → `awaiting`. Anything else is refused.
 */
export function initialOrderState(action: Extract<OrderAction, { type: 'place' }>): TransitionResult {
	const { total, authorized, captured } = action;
	const amounts: [string, number][] = [
		['order total', total],
		['authorized amount', authorized],
		['captured amount', captured],
	];
	for (const [name, value] of amounts) {
		if (!Number.isSafeInteger(value) || value < 0) {
			return refuse('amount_invalid', `The ${name} must be a whole number of minor units, 0 or more.`);
		}
	}
	if (authorized !== total) {
		return refuse('amount_mismatch', `The authorized amount (${authorized}) must equal the order total (${total}).`);
	}
	if (captured !== 0 && captured !== total) {
		return refuse('amount_mismatch', `The captured amount (${captured}) must be 0 or the order total (${total}).`);
	}
	const paymentStatus: PaymentStatus = total === 0 ? 'not_paid' : captured === total ? 'captured' : 'awaiting';
	return {
		ok: true,
		next: {
			status: 'pending',
			paymentStatus,
			fulfillmentStatus: 'not_fulfilled',
			total,
			amountAuthorized: authorized,
			amountCaptured: captured,
			amountRefunded: 0,
			captureCount: captured > 0 ? 1 : 0,
		},
		event: event('order_placed', { total, authorized, captured, paymentStatus }),
		effects: [],
	};
}

function runRule<K extends OrderChangeAction['type']>(
	state: OrderState,
	type: K,
	action: ActionOf<K>,
): TransitionResult {
	const rule: TransitionRule<ActionOf<K>> = ORDER_TRANSITIONS[type];
	const reason = rule.guard(state, action);
	if (reason !== null) return refuse('invalid_state', reason);
	const refusal = rule.validate?.(state, action) ?? null;
	if (refusal !== null) return refuse(refusal.code, refusal.reason);
	return { ok: true, ...rule.apply(state, action) };
}

/** Applies an action to an order: the next state with its event and payment effects, or why it was refused. */
export function transition(state: OrderState, action: OrderAction): TransitionResult {
	if (action.type === 'place') {
		return refuse('invalid_state', 'This order has already been placed; an order is placed once, from its cart.');
	}
	// Actions arrive from admin forms and webhooks; an unknown type must be a refusal, not a crash.
	if (!Object.hasOwn(ORDER_TRANSITIONS, action.type)) {
		return refuse('unknown_action', `"${String(action.type)}" is not an order action.`);
	}
	return runRule(state, action.type, action);
}

/** Action types in table order, for UIs. */
const CHANGE_ACTION_TYPES = Object.keys(ORDER_TRANSITIONS) as OrderChangeAction['type'][];

function neutralAction(state: OrderState, type: OrderChangeAction['type']): OrderChangeAction {
	switch (type) {
		case 'capture':
			return { type, amount: capturableAmount(state) };
		case 'refund':
			return { type, amount: refundableAmount(state) };
		case 'ship':
			return { type, carrier: 'carrier', trackingNumber: 'tracking' };
		default:
			return { type };
	}
}

/**
 * Actions that would succeed now, for buttons in admin UIs. Capture and refund count when any amount is
 * possible; ship assumes valid tracking details. `place` is never listed: the order exists.
 */
export function availableActions(state: OrderState): OrderActionType[] {
	return CHANGE_ACTION_TYPES.filter((type) => transition(state, neutralAction(state, type)).ok);
}

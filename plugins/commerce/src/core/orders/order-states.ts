/**
 * The state of an order as Medusa v1 models it: three independent fields (`status`, `payment_status`,
 * `fulfillment_status`) plus the money that has moved. This module holds the vocabulary (states, actions,
 * events, results) and derived quantities; the transition table itself lives in `order-transitions.ts`.
 */

/** Medusa v1 `order.status`. */
export type OrderStatus = 'pending' | 'completed' | 'archived' | 'canceled' | 'requires_action';

/** Medusa v1 `order.payment_status`. */
export type PaymentStatus =
	| 'not_paid'
	| 'awaiting'
	| 'captured'
	| 'partially_refunded'
	| 'refunded'
	| 'canceled'
	| 'requires_action';

/** The subset of Medusa v1 `order.fulfillment_status` we use: one fulfillment per order, no returns yet. */
export type FulfillmentStatus = 'not_fulfilled' | 'fulfilled' | 'shipped' | 'canceled';

/** Everything the state machine needs to decide a transition. Amounts are integer minor units. */
export interface OrderState {
	status: OrderStatus;
	paymentStatus: PaymentStatus;
	fulfillmentStatus: FulfillmentStatus;
	/** order total, minor units */
	total: number;
	amountAuthorized: number;
	amountCaptured: number;
	amountRefunded: number;
	/** captures so far; a payment is captured at most once (a partial capture releases the rest) */
	captureCount: number;
}

/** What can happen to an order. Amounts are integer minor units. */
export type OrderAction =
	/** creation from a completed cart; only through `initialOrderState` */
	| { type: 'place'; total: number; authorized: number; captured: number }
	| { type: 'capture'; amount: number }
	/** packed: fulfillment → 'fulfilled' */
	| { type: 'mark_processing' }
	| { type: 'ship'; carrier: string; trackingNumber: string }
	/** status → 'completed' */
	| { type: 'deliver' }
	| { type: 'cancel'; reason?: string }
	| { type: 'refund'; amount: number }
	/** webhook: the payment of a requires_action order failed */
	| { type: 'payment_failed' }
	| { type: 'archive' };

/** `'place' | 'capture' | …` */
export type OrderActionType = OrderAction['type'];

/** Actions on an order that exists; `place` creates one instead. */
export type OrderChangeAction = Exclude<OrderAction, { type: 'place' }>;

/** The `type` of an `order_events` row, one per action. */
export type OrderEventType =
	| 'order_placed'
	| 'payment_captured'
	| 'fulfillment_processing'
	| 'order_shipped'
	| 'order_delivered'
	| 'order_canceled'
	| 'payment_refunded'
	| 'payment_failed'
	| 'order_archived';

/** One `order_events` row: every successful transition yields exactly one. */
export interface TransitionEvent {
	type: OrderEventType;
	data: Record<string, unknown>;
}

/** Work for the payment provider, run after the new state is saved. */
export type PaymentEffect = { type: 'void' } | { type: 'capture'; amount: number } | { type: 'refund'; amount: number };

/** Machine-readable refusal codes; `invalid_state` means the action does not fit the order's state. */
export type RefusalCode =
	| 'invalid_state'
	| 'unknown_action'
	| 'amount_invalid'
	| 'amount_too_large'
	| 'amount_mismatch'
	| 'carrier_invalid'
	| 'tracking_number_invalid'
	| 'reason_too_long';

/** Why an action was refused: `reason` is readable by shoppers and merchants, `code` is for programs. */
export interface Refusal {
	code: RefusalCode;
	reason: string;
}

/** What a table row's `apply` produces: the new state, its event and the payment work to do. */
export interface AppliedTransition {
	next: OrderState;
	event: TransitionEvent;
	effects: PaymentEffect[];
}

/** The outcome of `transition` and `initialOrderState`; a refusal leaves the order unchanged. */
export type TransitionResult =
	| { ok: true; next: OrderState; event: TransitionEvent; effects: PaymentEffect[] }
	| { ok: false; reason: string; code: RefusalCode };

/**
 * One row of the table. `guard` asks whether the action may happen in this state at all (a refusal has code
 * `invalid_state`); `validate` checks the action's arguments against the state (amounts, tracking details).
 */
export interface TransitionRule<A extends OrderChangeAction> {
	description: string;
	/** the states the action starts from, in words */
	allowedFrom: string;
	guard(state: OrderState, action: A): string | null;
	validate?(state: OrderState, action: A): Refusal | null;
	apply(state: OrderState, action: A): AppliedTransition;
}

/** The action object of one action type. */
export type ActionOf<K extends OrderChangeAction['type']> = Extract<OrderChangeAction, { type: K }>;

/** One rule per action type except `place`. */
export type OrderTransitionTable = { [K in OrderChangeAction['type']]: TransitionRule<ActionOf<K>> };

const STATUS_LABELS: Record<OrderStatus, string> = {
	pending: 'pending',
	completed: 'completed',
	archived: 'archived',
	canceled: 'canceled',
	requires_action: 'waiting for the payment to be confirmed',
};

const PAYMENT_LABELS: Record<PaymentStatus, string> = {
	not_paid: 'not paid',
	awaiting: 'authorized but not captured',
	captured: 'captured',
	partially_refunded: 'partially refunded',
	refunded: 'fully refunded',
	canceled: 'canceled',
	requires_action: 'waiting for the shopper to confirm it',
};

const FULFILLMENT_LABELS: Record<FulfillmentStatus, string> = {
	not_fulfilled: 'not packed yet',
	fulfilled: 'packed',
	shipped: 'shipped',
	canceled: 'canceled',
};

/** Words for an order status in messages (`requires_action` → "waiting for the payment to be confirmed"). */
export function describeStatus(status: OrderStatus): string {
	return STATUS_LABELS[status];
}

/** Words for a payment status in messages (`awaiting` → "authorized but not captured"). */
export function describePaymentStatus(status: PaymentStatus): string {
	return PAYMENT_LABELS[status];
}

/** Words for a fulfillment status in messages (`fulfilled` → "packed"). */
export function describeFulfillmentStatus(status: FulfillmentStatus): string {
	return FULFILLMENT_LABELS[status];
}

/** What may still be captured: the authorized amount not captured yet, or 0 once a capture happened. */
export function capturableAmount(state: OrderState): number {
	if (state.paymentStatus !== 'awaiting' || state.captureCount > 0) return 0;
	return Math.max(0, state.amountAuthorized - state.amountCaptured);
}

/** What may still be refunded: captured minus already refunded (Medusa's `refundable_amount`). */
export function refundableAmount(state: OrderState): number {
	if (state.paymentStatus !== 'captured' && state.paymentStatus !== 'partially_refunded') return 0;
	return Math.max(0, state.amountCaptured - state.amountRefunded);
}

/**
 * Whether goods may be packed or shipped: the payment was captured (a partial refund, e.g. for a line that
 * could not be supplied, still leaves the rest paid), or nothing was ever owed.
 */
export function isPaidForFulfillment(state: OrderState): boolean {
	if (state.paymentStatus === 'captured' || state.paymentStatus === 'partially_refunded') return true;
	return state.paymentStatus === 'not_paid' && state.total === 0;
}

/** Canceled and archived orders are closed: the only change left is archiving a canceled one. */
export function isClosed(state: OrderState): boolean {
	return state.status === 'canceled' || state.status === 'archived';
}

import type { StoreCustomerOrder, StoreOrderEvent, StoreTimelineStep } from '../client/account-types.ts';
import { formatMoney } from '../core/money.ts';

// An order's history as the steps shoppers know: placed → paid → processing → shipped → delivered, or cut short by a
// cancellation (and a refund). The server sends these steps (`order.timeline`); an API without them still sends the
// contract's `events[]`, from which the same steps are derived here. Pure functions, unit tested.

export type TimelineKey = 'placed' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'canceled' | 'refunded';

export interface TimelineStep {
	key: TimelineKey;
	label: string;
	done: boolean;
	/** When it happened (ISO), when the API recorded it. */
	at?: string;
	/** A sentence under the label (the payment of a canceled order). */
	detail?: string;
	/** Carrier and tracking number of the shipment. */
	tracking?: { carrier?: string; number?: string };
}

const PAID = ['captured', 'partially_refunded', 'refunded'];
const PROCESSING = [
	'partially_fulfilled',
	'fulfilled',
	'partially_shipped',
	'shipped',
	'partially_returned',
	'returned',
];
const SHIPPED = ['partially_shipped', 'shipped', 'partially_returned', 'returned'];

/** The normal course of an order: the event that marks each step, and the status that implies it without an event. */
const FLOW: { key: TimelineKey; label: string; event: string; reached: (order: StoreCustomerOrder) => boolean }[] = [
	{ key: 'placed', label: 'Order placed', event: 'order_placed', reached: () => true },
	{
		key: 'paid',
		label: 'Payment received',
		event: 'payment_captured',
		reached: (o) => PAID.includes(o.payment_status),
	},
	{
		key: 'processing',
		label: 'Being prepared',
		event: 'fulfillment_processing',
		reached: (o) => PROCESSING.includes(o.fulfillment_status),
	},
	{ key: 'shipped', label: 'Shipped', event: 'order_shipped', reached: (o) => SHIPPED.includes(o.fulfillment_status) },
	{ key: 'delivered', label: 'Delivered', event: 'order_delivered', reached: () => false },
];

/** The latest event of a type (an order shipped twice shows its last shipment). */
function latest(events: StoreOrderEvent[], type: string): StoreOrderEvent | undefined {
	let found: StoreOrderEvent | undefined;
	for (const event of events) if (event.type === type) found = event;
	return found;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** True when the order is canceled, by its status or its timeline. */
export const isCanceled = (order: StoreCustomerOrder) =>
	order.status === 'canceled' || (order.events ?? []).some((e) => e.type === 'order_canceled');

/** The steps to show: the normal course with what is done so far, or, for a canceled order, what happened. */
export function orderTimeline(order: StoreCustomerOrder): TimelineStep[] {
	return order.timeline?.length ? order.timeline.map((step) => fromServer(order, step)) : fromEvents(order);
}

/** One of the server's steps in the page's terms: tracking details, and a sentence about the money of a canceled order. */
function fromServer(order: StoreCustomerOrder, server: StoreTimelineStep): TimelineStep {
	const detail = server.detail ?? {};
	const step: TimelineStep = { key: server.status, label: server.label, done: server.done, at: server.at ?? undefined };
	const money = (amount: unknown) =>
		typeof amount === 'number' && amount > 0 ? formatMoney(amount, order.currency_code) : undefined;
	if (server.status === 'shipped') {
		const carrier = text(detail.carrier);
		const number = text(detail.tracking_number) ?? text(detail.trackingNumber);
		if (carrier || number) step.tracking = { carrier, number };
	} else if (server.status === 'canceled') {
		if (detail.voided === true) step.detail = 'The payment was released: you have not been charged.';
		else if (money(detail.refunded))
			step.detail = `${money(detail.refunded)} was refunded to your card; it can take 5–10 business days to show.`;
	} else if (server.status === 'refunded' && money(detail.amount)) {
		step.detail = `${money(detail.amount)} was refunded to your card; it can take 5–10 business days to show.`;
	}
	return step;
}

function fromEvents(order: StoreCustomerOrder): TimelineStep[] {
	const events = order.events ?? [];
	const steps: TimelineStep[] = FLOW.map(({ key, label, event, reached }) => {
		const found = latest(events, event);
		const step: TimelineStep = { key, label, done: !!found || reached(order), at: found?.created_at };
		if (key === 'placed') step.at ??= order.created_at;
		if (key === 'shipped' && found) {
			const carrier = text(found.data?.carrier);
			const number = text(found.data?.trackingNumber) ?? text(found.data?.tracking_number);
			if (carrier || number) step.tracking = { carrier, number };
		}
		return step;
	});
	// A later step implies the earlier ones (a delivery without a recorded shipment event still shipped).
	for (let i = steps.length - 2; i >= 0; i--) if (steps[i + 1].done) steps[i].done = true;

	const canceled = latest(events, 'order_canceled');
	const refunded = latest(events, 'payment_refunded');
	const wasRefunded = !!refunded || order.payment_status === 'refunded';
	if (!isCanceled(order)) {
		return wasRefunded
			? [
					...steps.filter((s) => s.done),
					{ key: 'refunded', label: 'Payment refunded', done: true, at: refunded?.created_at },
				]
			: steps;
	}
	const history: TimelineStep[] = steps.filter((s) => s.done);
	history.push({
		key: 'canceled',
		label: 'Canceled',
		done: true,
		at: canceled?.created_at,
		detail: order.payment_status === 'canceled' ? 'The payment was released: you have not been charged.' : undefined,
	});
	if (wasRefunded) {
		history.push({
			key: 'refunded',
			label: 'Payment refunded',
			done: true,
			at: refunded?.created_at,
			detail: 'Refunds can take 5–10 business days to show on your card.',
		});
	}
	return history;
}

/** True when the customer may still cancel: nothing has been packed or shipped yet. */
export const isCancelable = (order: StoreCustomerOrder) =>
	!isCanceled(order) && order.status === 'pending' && order.fulfillment_status === 'not_fulfilled';

/** "Nov 22, 2026, 3:04 PM" in the shopper's locale. */
export const formatDateTime = (iso: string) =>
	new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
/** "November 22, 2026". */
export const formatDate = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'long' });

/** Sum of the quantities of the order's lines. */
export const itemTotal = (order: StoreCustomerOrder) => order.items?.reduce((sum, item) => sum + item.quantity, 0) ?? 0;

/**
 * The shopper-facing tracking timeline of an order, derived from its `order_event` rows: the happy path
 * placed → paid → processing → shipped → delivered, with canceled and refunded steps when they happened. Pure.
 */

/** A step of the tracking timeline. */
export type TimelineStatus = 'placed' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'canceled' | 'refunded';

/** One order event as stored: `data` already parsed. */
export interface TimelineEventInput {
	type: string;
	data: Record<string, unknown>;
	created_at: string;
}

/** One step; `at` is null for a step not reached yet, or one skipped because a later step happened. */
export interface TimelineStep {
	status: TimelineStatus;
	label: string;
	done: boolean;
	at: string | null;
	/** `shipped`: carrier and tracking_number; `refunded`/`canceled`: amount refunded; `canceled`: voided, reason. */
	detail: Record<string, unknown>;
}

const PATH: TimelineStatus[] = ['placed', 'paid', 'processing', 'shipped', 'delivered'];

const LABELS: Record<TimelineStatus, string> = {
	placed: 'Order placed',
	paid: 'Payment received',
	processing: 'Being packed',
	shipped: 'Shipped',
	delivered: 'Delivered',
	canceled: 'Canceled',
	refunded: 'Refunded',
};

const step = (
	status: TimelineStatus,
	at: string | null,
	done: boolean,
	detail: Record<string, unknown> = {},
): TimelineStep => ({
	status,
	label: LABELS[status],
	done,
	at,
	detail,
});

/**
 * Builds the timeline from events in the order they happened. Happy-path steps not reached are listed as not done
 * (the tracking page greys them out); a step skipped because a later one happened (shipping without packing first)
 * counts as done without a time. A canceled order drops the steps it will never reach.
 */
export function orderTimeline(events: readonly TimelineEventInput[]): TimelineStep[] {
	const reached = new Map<TimelineStatus, TimelineStep>();
	const closing: TimelineStep[] = [];
	for (const event of events) {
		const { data, created_at: at } = event;
		switch (event.type) {
			case 'order_placed':
				reached.set('placed', step('placed', at, true));
				// Captured at placement (automatic capture), or nothing owed: paid at once.
				if (data.paymentStatus === 'captured' || data.total === 0)
					reached.set('paid', step('paid', at, true, { amount: data.captured ?? 0 }));
				break;
			case 'payment_captured':
				reached.set('paid', step('paid', at, true, { amount: data.amount }));
				break;
			case 'fulfillment_processing':
				reached.set('processing', step('processing', at, true));
				break;
			case 'order_shipped':
				reached.set(
					'shipped',
					step('shipped', at, true, { carrier: data.carrier, tracking_number: data.trackingNumber }),
				);
				break;
			case 'order_delivered':
				reached.set('delivered', step('delivered', at, true));
				break;
			case 'order_canceled':
				closing.push(
					step('canceled', at, true, {
						reason: data.reason ?? null,
						voided: data.voided === true,
						refunded: data.refunded ?? 0,
					}),
				);
				break;
			case 'payment_failed':
				closing.push(step('canceled', at, true, { reason: 'The payment failed.', voided: false, refunded: 0 }));
				break;
			case 'payment_refunded':
				closing.push(step('refunded', at, true, { amount: data.amount }));
				break;
			default:
				break;
		}
	}
	const canceled = closing.some((s) => s.status === 'canceled');
	const lastReached = PATH.reduce((last, status, index) => (reached.has(status) ? index : last), -1);
	const path = PATH.flatMap((status, index) => {
		const done = reached.get(status);
		if (done) return [done];
		if (index < lastReached) return [step(status, null, true)];
		return canceled ? [] : [step(status, null, false)];
	});
	// Both lists are in time order already (events arrive sorted): merge them. An implied step sorts with the step
	// that implied it (the next one with a time).
	const reachedPath = path.filter((s) => s.done);
	const sortTime = reachedPath.map(
		(s, index) => s.at ?? reachedPath.slice(index + 1).find((later) => later.at)?.at ?? '',
	);
	const merged: TimelineStep[] = [];
	let i = 0;
	let j = 0;
	while (i < reachedPath.length || j < closing.length) {
		const other = closing[j];
		if (i < reachedPath.length && (!other || sortTime[i] <= (other.at ?? ''))) {
			merged.push(reachedPath[i]);
			i++;
		} else if (other) {
			merged.push(other);
			j++;
		}
	}
	return [...merged, ...path.filter((s) => !s.done)];
}

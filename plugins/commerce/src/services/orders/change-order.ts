import { conflict, notAllowed } from '../../core/errors.ts';
import {
	type OrderChangeAction,
	type OrderDetail,
	type OrderEvent,
	type OrderState,
	orderStateOf,
	transition,
} from '../../core/orders/index.ts';
import { findOrderDetail } from '../../db/repositories/order-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { logger } from '../../log/logger.ts';
import { emailShopOf } from '../email-shop.ts';
import type { OrderDeps } from './order-deps.ts';
import { StaleOrderError, writeOrderChange } from './order-writer.ts';
import { ACTION_WORDS, runPaymentEffects } from './payment-effects.ts';

export interface ChangeOrderOptions {
	/** Who acted, stored on the event and ledger rows: `customer:<id>`, an admin's email. */
	actor: string;
	/** The shop's origin for links in the emails the change sends. */
	origin: string;
	/**
	 * True when the order already is where the action leads (a repeated cancel): nothing is done and the outcome says
	 * `applied: false`. Asked before the provider call and again when a concurrent change is found.
	 */
	isDone?: (state: OrderState) => boolean;
	/** For a refund: goods that come back, put into stock (`refund_restock`) in the refund's transaction. */
	restockLines?: { lineId: string; quantity: number }[];
}

export interface ChangeOrderOutcome {
	applied: boolean;
	/** The order after the call, without reading it again (unchanged when `applied` is false). */
	detail: OrderDetail;
	event: OrderEvent | null;
}

/**
 * Applies one state-machine action to an order the caller loaded once (`detail`):
 * 1. decide in the pure core (`transition`): a refusal is `not_allowed` with the machine's reason and code;
 * 2. run the payment effect (void, capture, refund) at the provider, outside any transaction; a failure changes nothing;
 * 3. write everything in one transaction (`writeOrderChange`): state, payment, stock, event, emails — only if the order
 *    is still at the version step 1 decided from. If another request changed it meanwhile, the order is read again:
 *    the same action finished first is answered as done; anything else is a 409 (and a loud log line when money moved).
 * The emails it queued are sent right after the commit. Shared by the admin's order actions and the customer's cancel.
 */
export async function changeOrder(
	deps: OrderDeps,
	detail: OrderDetail,
	action: OrderChangeAction,
	opts: ChangeOrderOptions,
): Promise<ChangeOrderOutcome> {
	const { order, payment } = detail;
	const state = orderStateOf(order, payment);
	if (opts.isDone?.(state)) return { applied: false, detail, event: null };
	const decided = transition(state, action);
	if (!decided.ok) throw notAllowed(decided.reason, decided.code);

	let providerData: Record<string, unknown> | null;
	try {
		providerData = await runPaymentEffects(deps, order, payment, state, decided.effects, action);
	} catch (error) {
		// A concurrent identical request may have finished meanwhile (Stripe then refuses a second refund): that is
		// success for this one too.
		const done = await finishedMeanwhile(deps, order.id, opts);
		if (done) return done;
		throw error;
	}

	const at = new Date().toISOString();
	try {
		const written = await writeTransaction(deps.db, (trx) =>
			writeOrderChange(
				trx,
				detail,
				{ action, ...decided },
				{
					actor: opts.actor,
					at,
					providerData,
					restockLines: opts.restockLines,
					mail: {
						origin: opts.origin,
						paths: deps.options.paths,
						shopName: deps.options.storeName,
						at,
						shop: emailShopOf(deps.options, opts.origin),
					},
				},
			),
		);
		// Emails and merchant webhooks the change queued go out now rather than at the next poll.
		deps.outbox.wake();
		return {
			applied: true,
			event: written.event,
			detail: {
				...detail,
				order: written.order,
				payment: written.payment,
				lines: written.lines,
				events: [...detail.events, written.event],
			},
		};
	} catch (error) {
		if (!(error instanceof StaleOrderError)) throw error;
		// The same action finished first: its payment effect used the same idempotency key, so nothing happened twice.
		const done = await finishedMeanwhile(deps, order.id, opts);
		if (done) return done;
		if (decided.effects.length) {
			logger().error(
				`[commerce] order ${order.id} changed while its payment was ${ACTION_WORDS[action.type]} (${JSON.stringify(decided.effects)}); check the payment with the provider.`,
			);
		}
		throw conflict(
			'The order changed while this request was processed. Reload it and try again.',
			'invalid_state_error',
		);
	}
}

async function finishedMeanwhile(
	deps: OrderDeps,
	orderId: string,
	opts: ChangeOrderOptions,
): Promise<ChangeOrderOutcome | null> {
	if (!opts.isDone) return null;
	const now = await findOrderDetail(deps.db, orderId);
	if (!now || !opts.isDone(orderStateOf(now.order, now.payment))) return null;
	return { applied: false, detail: now, event: null };
}

import type { Kysely } from 'kysely';
import {
	type OrderChangeAction,
	type OrderState,
	type PaymentEffect,
	type TransitionEvent,
	transition,
} from '../../core/orders/index.ts';
import { newId } from '../../db/ids.ts';
import { insertOrderEvent } from '../../db/repositories/order-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { Database, Order, OrderTable, Payment, PaymentTable } from '../../db/types.ts';
import { notFound, StoreError } from '../../http/store-error.ts';
import { logger } from '../../log/logger.ts';
import { PaymentAmountError, type PaymentProvider, type ProviderData } from '../../payments/provider.ts';
import type { CheckoutDeps } from '../checkout/checkout-deps.ts';

type Db = Kysely<Database>;

/** What applying a transition needs: the database and the payment providers. */
export type TransitionDeps = Pick<CheckoutDeps, 'db' | 'payments'>;

export interface TransitionOptions {
	/** Who acted, stored on the order event and ledger rows: `customer:<id>`, `admin:<id>`, `system`. */
	actor: string;
	/**
	 * Returns true when the order already is where the action leads (a repeated cancel): nothing is done and the
	 * outcome says `applied: false`. Checked before the provider call and again inside the transaction.
	 */
	isDone?: (state: OrderState) => boolean;
	/** Put the order's goods back into stock. @default true when the transition cancels the order */
	restock?: boolean;
}

export interface TransitionOutcome {
	applied: boolean;
	/** The order's state after the call (unchanged when `applied` is false). */
	state: OrderState;
	event: TransitionEvent | null;
}

/** The state machine's view of stored rows; an order without a payment row owed nothing. */
export function orderStateOf(order: Order, payment: Payment | undefined): OrderState {
	return {
		status: order.status as OrderState['status'],
		paymentStatus: order.payment_status as OrderState['paymentStatus'],
		fulfillmentStatus: order.fulfillment_status as OrderState['fulfillmentStatus'],
		total: order.total,
		amountAuthorized: payment?.amount_authorized ?? 0,
		amountCaptured: payment?.amount_captured ?? 0,
		amountRefunded: payment?.amount_refunded ?? 0,
		captureCount: (payment?.amount_captured ?? 0) > 0 ? 1 : 0,
	};
}

async function loadRows(db: Db, orderId: string): Promise<{ order: Order; payment: Payment | undefined } | undefined> {
	const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
	if (!order) return undefined;
	const payment = await db.selectFrom('payment').selectAll().where('order_id', '=', orderId).executeTakeFirst();
	return { order, payment };
}

const sameState = (a: OrderState, b: OrderState) => JSON.stringify(a) === JSON.stringify(b);

const ACTION_WORDS: Record<OrderChangeAction['type'], string> = {
	capture: 'captured',
	mark_processing: 'marked as packed',
	ship: 'shipped',
	deliver: 'marked as delivered',
	cancel: 'canceled',
	refund: 'refunded',
	payment_failed: 'canceled',
	archive: 'archived',
};

/**
 * Applies one state-machine action to a stored order, with its payment effect:
 * 1. read the order and its payment, ask the state machine (a refusal is a 400 `not_allowed` with the reason);
 * 2. run the payment effect (void, capture, refund) through the provider, outside any transaction, with an idempotency
 *    key derived from the order and amounts, so a retry after a crash asks the provider for the same operation; if
 *    the provider fails nothing is written and the caller gets a 409 (the provider refused) or a 502 (unreachable);
 * 3. one write transaction: re-read the rows (a concurrent identical action is answered as already done), update
 *    order and payment, restock with `inventory_ledger` rows when the order is canceled, and write the `order_event`.
 * Shared by the customer's cancel and the admin area's order actions.
 */
export async function applyOrderTransition(
	deps: TransitionDeps,
	orderId: string,
	action: OrderChangeAction,
	opts: TransitionOptions,
): Promise<TransitionOutcome> {
	const rows = await loadRows(deps.db, orderId);
	if (!rows) throw notFound(`Order with id ${orderId} was not found`);
	const state = orderStateOf(rows.order, rows.payment);
	if (opts.isDone?.(state)) return { applied: false, state, event: null };
	const result = transition(state, action);
	if (!result.ok) throw new StoreError('not_allowed', result.reason, result.code);

	let providerData: ProviderData | null;
	try {
		providerData = await runEffects(deps, rows.order, rows.payment, state, result.effects, action);
	} catch (error) {
		// A concurrent identical request may have finished meanwhile (Stripe then refuses a second refund): that is
		// success for this one too.
		const now = await loadRows(deps.db, orderId);
		if (now && opts.isDone?.(orderStateOf(now.order, now.payment)))
			return { applied: false, state: orderStateOf(now.order, now.payment), event: null };
		throw error;
	}

	return writeTransaction(deps.db, async (trx) => {
		const fresh = await loadRows(trx, orderId);
		if (!fresh) throw notFound(`Order with id ${orderId} was not found`);
		const now = orderStateOf(fresh.order, fresh.payment);
		if (!sameState(now, state)) {
			// Another request changed the order while the provider answered. The same action finished first: its effect
			// used the same idempotency key, so nothing happened twice.
			if (opts.isDone?.(now)) return { applied: false, state: now, event: null };
			if (result.effects.length) {
				logger().error(
					`[commerce] order ${orderId} changed while its payment was ${ACTION_WORDS[action.type]} (${JSON.stringify(result.effects)}); check the payment with the provider.`,
				);
			}
			throw new StoreError(
				'conflict',
				'The order changed while this request was processed. Reload it and try again.',
				'invalid_state_error',
				409,
			);
		}
		const at = new Date().toISOString();
		await trx
			.updateTable('orders')
			.set(orderChanges(fresh.order, result.next, action, at))
			.where('id', '=', orderId)
			.execute();
		if (fresh.payment) {
			const changes = paymentChanges(fresh.payment, result.next, result.effects, providerData, at);
			if (changes) await trx.updateTable('payment').set(changes).where('id', '=', fresh.payment.id).execute();
		}
		const restock = opts.restock ?? (result.next.status === 'canceled' && state.status !== 'canceled');
		if (restock) await restockOrder(trx, orderId, opts.actor, at);
		await insertOrderEvent(trx, orderId, result.event.type, result.event.data, opts.actor, at);
		return { applied: true, state: result.next, event: result.event };
	});
}

function orderChanges(
	order: Order,
	next: OrderState,
	action: OrderChangeAction,
	at: string,
): Partial<Omit<OrderTable, 'id'>> {
	const changes: Partial<Omit<OrderTable, 'id'>> = {
		status: next.status,
		payment_status: next.paymentStatus,
		fulfillment_status: next.fulfillmentStatus,
		updated_at: at,
	};
	if (next.status === 'canceled' && !order.canceled_at) changes.canceled_at = at;
	if (action.type === 'ship') {
		changes.carrier = action.carrier.trim();
		changes.tracking_number = action.trackingNumber.trim();
	}
	return changes;
}

function paymentChanges(
	payment: Payment,
	next: OrderState,
	effects: PaymentEffect[],
	data: ProviderData | null,
	at: string,
): Partial<Omit<PaymentTable, 'id'>> | null {
	if (
		!effects.length &&
		next.amountCaptured === payment.amount_captured &&
		next.amountRefunded === payment.amount_refunded
	)
		return null;
	const changes: Partial<Omit<PaymentTable, 'id'>> = {
		amount_captured: next.amountCaptured,
		amount_refunded: next.amountRefunded,
		updated_at: at,
	};
	if (data) changes.data = JSON.stringify(data);
	if (effects.some((e) => e.type === 'capture')) changes.captured_at = at;
	if (effects.some((e) => e.type === 'void')) changes.canceled_at = at;
	return changes;
}

/** Effects in order; returns the provider's last data (what we store) or null when there was nothing to do. */
async function runEffects(
	deps: TransitionDeps,
	order: Order,
	payment: Payment | undefined,
	state: OrderState,
	effects: PaymentEffect[],
	action: OrderChangeAction,
): Promise<ProviderData | null> {
	if (!effects.length) return null;
	if (!payment)
		throw new StoreError(
			'conflict',
			`Order #${order.display_id} has no payment to ${effects[0].type}.`,
			'payment_missing',
			409,
		);
	const provider: PaymentProvider | undefined = deps.payments.get(payment.provider_id);
	if (!provider) {
		throw new StoreError(
			'unknown_error',
			`The ${payment.provider_id} payment provider is not configured on this server, so the order was not ${ACTION_WORDS[action.type]}. Nothing was changed.`,
			'payment_provider_unavailable',
			503,
		);
	}
	let data = JSON.parse(payment.data) as ProviderData;
	for (const effect of effects) {
		// Derived from what the order has already seen, so a retry repeats the same request at the provider.
		const key = `order_${order.id}_${effect.type}_${'amount' in effect ? effect.amount : 0}_${state.amountCaptured}_${state.amountRefunded}`;
		try {
			if (effect.type === 'void') data = (await provider.cancel({ data, idempotencyKey: key })).data;
			else if (effect.type === 'refund')
				data = (await provider.refund({ data, amount: effect.amount, idempotencyKey: key })).data;
			else data = (await provider.capture({ data, amount: effect.amount, idempotencyKey: key })).data;
		} catch (error) {
			logger().error(
				{ err: error },
				`[commerce] ${provider.id} could not ${effect.type} the payment of order #${order.display_id} (${payment.reference ?? payment.id})`,
			);
			if (error instanceof PaymentAmountError) {
				throw new StoreError(
					'conflict',
					`The payment provider refused: ${error.message} The order was not ${ACTION_WORDS[action.type]}; nothing was changed.`,
					'payment_provider_refused',
					409,
				);
			}
			throw new StoreError(
				'unknown_error',
				`The payment provider could not be reached, so the order was not ${ACTION_WORDS[action.type]}. Nothing was changed; try again in a few minutes.`,
				'payment_provider_error',
				502,
			);
		}
	}
	return data;
}

/**
 * Puts every line of an order back into stock (less what was already returned), one ledger row per line with reason
 * `cancel` and the order id. Runs inside the caller's transaction.
 */
export async function restockOrder(trx: Db, orderId: string, actor: string, at: string): Promise<void> {
	const lines = await trx
		.selectFrom('order_line')
		.select(['variant_id', 'quantity', 'returned_quantity'])
		.where('order_id', '=', orderId)
		.orderBy('id')
		.execute();
	for (const line of lines) {
		const quantity = line.quantity - line.returned_quantity;
		if (quantity <= 0) continue;
		const updated = await trx
			.updateTable('inventory_level')
			.set((eb) => ({ stocked_quantity: eb('stocked_quantity', '+', quantity), updated_at: at }))
			.where('variant_id', '=', line.variant_id)
			.returning('stocked_quantity')
			.executeTakeFirst();
		if (!updated) {
			// The variant has no stock record any more (removed from the catalog): nothing to put back.
			logger().warn(
				`[commerce] order ${orderId}: variant ${line.variant_id} has no inventory level; ${quantity} not restocked.`,
			);
			continue;
		}
		await trx
			.insertInto('inventory_ledger')
			.values({
				id: newId('invl'),
				variant_id: line.variant_id,
				delta: quantity,
				quantity_after: updated.stocked_quantity,
				reason: 'cancel',
				reference_id: orderId,
				actor,
				note: null,
				created_at: at,
			})
			.execute();
	}
}

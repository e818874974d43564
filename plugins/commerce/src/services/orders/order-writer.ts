import type { Kysely } from 'kysely';
import { conflict, invalid } from '../../core/errors.ts';
import type {
	Order,
	OrderChangeAction,
	OrderEvent,
	OrderLine,
	OrderState,
	Payment,
	PaymentEffect,
	TransitionEvent,
} from '../../core/orders/index.ts';
import { newId } from '../../db/ids.ts';
import {
	addReturnedQuantity,
	insertOrderEvent,
	type OrderStateChanges,
	type PaymentChanges,
	updateOrderState,
	updatePayment,
} from '../../db/repositories/order-repository.ts';
import type { Database } from '../../db/types.ts';
import { logger } from '../../log/logger.ts';
import { rollOrderChange, rollupOrderOf } from '../analytics/rollups.ts';
import { disablePurchasedGiftCards, issuePurchasedGiftCards } from '../gift-card-purchases.ts';
import { restoreGiftCardsOfOrder } from '../gift-cards.ts';
import { moveStock } from '../inventory/move-stock.ts';
import { queueOrderEventWebhook } from '../webhooks/webhook-events.ts';
import { type OrderMailContext, queueOrderCanceled, queueOrderRefunded, queueOrderShipped } from './order-emails.ts';

/** A change the state machine accepted, with the action it came from. */
export interface DecidedChange {
	action: OrderChangeAction;
	next: OrderState;
	event: TransitionEvent;
	effects: PaymentEffect[];
}

export interface WriteChangeOptions {
	/** Stored on the event and ledger rows: `customer:<id>`, an admin's email, a provider id. */
	actor: string;
	at: string;
	/** The provider's data after the payment effects ran, or null when none ran. */
	providerData: Record<string, unknown> | null;
	/** Refunded goods going back on the shelf (`refund_restock`); a cancellation restocks every line by itself. */
	restockLines?: { lineId: string; quantity: number }[];
	/** Merged into the event's data (e.g. `{ source: 'stripe' }`). */
	eventData?: Record<string, unknown>;
	/** Emails that go with the change (shipped, canceled, refunded) are queued in this transaction; null sends none. */
	mail: OrderMailContext | null;
}

/** The order as it stands after the write; what the caller answers with instead of reading it again. */
export interface WrittenChange {
	order: Order;
	payment: Payment | null;
	lines: OrderLine[];
	event: OrderEvent;
	mailQueued: boolean;
}

/** Another change was written after this one was decided: nothing was written, the caller decides again or refuses. */
export class StaleOrderError extends Error {
	constructor(readonly orderId: string) {
		super(`Order ${orderId} changed after it was read.`);
		this.name = 'StaleOrderError';
	}
}

function paymentChanges(
	payment: Payment,
	decided: DecidedChange,
	data: Record<string, unknown> | null,
	at: string,
): PaymentChanges | null {
	const { next, effects } = decided;
	if (
		!effects.length &&
		next.amountCaptured === payment.amountCaptured &&
		next.amountRefunded === payment.amountRefunded
	)
		return null;
	const changes: PaymentChanges = {
		amountCaptured: next.amountCaptured,
		amountRefunded: next.amountRefunded,
		updatedAt: at,
	};
	if (data) changes.data = data;
	if (effects.some((e) => e.type === 'capture')) changes.capturedAt = at;
	if (effects.some((e) => e.type === 'void')) changes.canceledAt = at;
	return changes;
}

/**
 * Writes one decided transition inside the caller's transaction — the only place order, payment and event rows
 * change after placement: the order's state (only if it is still at the version the change was decided from, else
 * `StaleOrderError`), the payment's amounts and provider data, stock for a cancellation (every line, less what was
 * returned, `cancel`) or a refund with returned goods (`refund_restock`, `returned_quantity` on the line), the
 * `order_event` row, the analytics rollups, and the emails that go with it. All of it commits or none of it does.
 */
export async function writeOrderChange(
	trx: Kysely<Database>,
	current: { order: Order; payment: Payment | null; lines: OrderLine[] },
	decided: DecidedChange,
	opts: WriteChangeOptions,
): Promise<WrittenChange> {
	const { order } = current;
	const { next, action } = decided;
	const at = opts.at;
	const changes: OrderStateChanges = {
		status: next.status,
		paymentStatus: next.paymentStatus,
		fulfillmentStatus: next.fulfillmentStatus,
		updatedAt: at,
	};
	const canceledNow = next.status === 'canceled' && order.status !== 'canceled';
	if (next.status === 'canceled' && !order.canceledAt) changes.canceledAt = at;
	if (action.type === 'ship') {
		changes.carrier = action.carrier.trim();
		changes.trackingNumber = action.trackingNumber.trim();
	}
	if (!(await updateOrderState(trx, order.id, order.version, changes))) throw new StaleOrderError(order.id);
	const written: Order = { ...order, ...changes, version: order.version + 1 };

	let payment = current.payment;
	if (payment) {
		const paid = paymentChanges(payment, decided, opts.providerData, at);
		if (paid) {
			await updatePayment(trx, payment.id, paid);
			payment = { ...payment, ...paid };
		}
	}

	const lines = current.lines.map((line) => ({ ...line }));
	if (canceledNow) {
		// In variant order, as checkout takes them: concurrent stock moves lock rows in one order (no deadlock).
		for (const line of [...lines].sort((a, b) => a.variantId.localeCompare(b.variantId))) {
			const units = line.quantity - line.returnedQuantity;
			if (units > 0) await putBack(trx, line, units, 'cancel', order.id, opts.actor, at);
		}
	}
	// What the order took from gift cards goes back when it is canceled or fully refunded (idempotent by ledger).
	// ... and the cards it bought stop working, whether or not they were issued yet (none are issued after this).
	if (canceledNow || (next.paymentStatus === 'refunded' && order.paymentStatus !== 'refunded')) {
		await restoreGiftCardsOfOrder(trx, order.id, at);
		await disablePurchasedGiftCards(trx, order.id, at);
	}
	// Gift cards the order bought are issued when it is paid (the merchant's capture of an authorized payment).
	if (next.paymentStatus === 'captured' && order.paymentStatus !== 'captured')
		await issuePurchasedGiftCards(trx, written, lines, at);
	for (const { lineId, quantity } of opts.restockLines ?? []) {
		if (quantity <= 0) continue;
		const line = lines.find((l) => l.id === lineId);
		if (!line || !(await addReturnedQuantity(trx, lineId, quantity))) {
			throw invalid(
				`Cannot restock ${quantity} of line ${lineId}: it is not on order #${order.displayId} or fewer units remain.`,
				'restock_exceeds_line',
			);
		}
		line.returnedQuantity += quantity;
		await putBack(trx, line, quantity, 'refund_restock', order.id, opts.actor, at);
	}

	// Cancellations, refunds and returns change the revenue and units of the day the order was placed.
	await rollOrderChange(
		trx,
		order.id,
		rollupOrderOf(order, current.payment, current.lines),
		rollupOrderOf(written, payment, lines),
	);

	const event: OrderEvent = {
		id: newId('oev'),
		orderId: order.id,
		type: decided.event.type,
		data: { ...decided.event.data, ...opts.eventData },
		actor: opts.actor,
		createdAt: at,
	};
	await insertOrderEvent(trx, event);
	await queueOrderEventWebhook(trx, event.type, { order: written, lines, payment }, event.data, at);

	let mailQueued = false;
	if (opts.mail && action.type === 'ship') {
		await queueOrderShipped(trx, { order: written, lines }, opts.mail);
		mailQueued = true;
	}
	if (opts.mail && canceledNow) {
		await queueOrderCanceled(trx, { order: written, lines, payment, event }, opts.mail);
		mailQueued = true;
	}
	if (opts.mail && action.type === 'refund' && payment) {
		await queueOrderRefunded(trx, { order: written, payment, event }, opts.mail);
		mailQueued = true;
	}
	return { order: written, payment, lines, event, mailQueued };
}

async function putBack(
	trx: Kysely<Database>,
	line: OrderLine,
	units: number,
	reason: 'cancel' | 'refund_restock',
	orderId: string,
	actor: string,
	at: string,
): Promise<void> {
	const moved = await moveStock(trx, { variantId: line.variantId, delta: units, reason, ref: orderId, actor }, at);
	if (moved.ok) return;
	if (moved.reason === 'not_stocked') {
		// The variant has no stock record any more (removed from the catalog): nothing to put back.
		logger().warn(
			`[commerce] order ${orderId}: variant ${line.variantId} has no stock record; ${units} not restocked.`,
		);
		return;
	}
	throw conflict(
		`${line.title} (${line.variantTitle}) cannot take ${units} more units back into stock; adjust its stock first.`,
		'stock_above_limit',
	);
}

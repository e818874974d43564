import type { Kysely } from 'kysely';
import { type OrderChangeAction, orderStateOf, transition } from '../../core/orders/index.ts';
import { findOrderWithPayment } from '../../db/repositories/order-repository.ts';
import type { Database } from '../../db/types.ts';
import { writeOrderChange } from './order-writer.ts';

/**
 * Brings an order and its payment to the refunded total a provider reports (a refund made in the Stripe dashboard),
 * inside the caller's transaction (the webhook's, which also records the event id). Only the part not yet recorded is
 * applied, through the state machine's `refund`, so a repeated or older report changes nothing. The provider already
 * moved the money: no provider call, no email. Returns whether anything changed.
 */
export async function recordProviderRefund(
	trx: Kysely<Database>,
	refund: { orderId: string; providerId: string; refundedTotal: number },
): Promise<boolean> {
	const current = await findOrderWithPayment(trx, refund.orderId);
	if (!current?.payment) return false;
	const refundedNow = Math.min(refund.refundedTotal, current.payment.amountCaptured);
	const extra = refundedNow - current.payment.amountRefunded;
	if (extra <= 0) return false;
	const action: OrderChangeAction = { type: 'refund', amount: extra };
	const decided = transition(orderStateOf(current.order, current.payment), action);
	if (!decided.ok) return false;
	await writeOrderChange(
		trx,
		{ ...current, lines: [] },
		{ action, next: decided.next, event: decided.event, effects: [] },
		{
			actor: refund.providerId,
			at: new Date().toISOString(),
			providerData: null,
			eventData: { source: refund.providerId },
			mail: null,
		},
	);
	return true;
}

import { notFound } from '../../core/errors.ts';
import type { OrderDetail } from '../../core/orders/index.ts';
import { findOrderDetail } from '../../db/repositories/order-repository.ts';
import { changeOrder } from './change-order.ts';
import type { OrderDeps } from './order-deps.ts';

/**
 * A customer cancels one of their own orders that nothing has been packed or shipped for (contract extension). The
 * state machine's `cancel` decides; the payment is voided (only authorized) or the captured rest refunded through the
 * provider before anything is written; then order, payment, restock (ledger rows, reason `cancel`), the
 * `order_canceled` event and the cancellation email are one transaction. Someone else's order is a 404, exactly like a
 * missing one. Cancelling a canceled order answers it again without doing anything (no second refund, no second email).
 * Returns the order as it now stands.
 */
export async function cancelCustomerOrder(
	deps: OrderDeps,
	customerId: string,
	orderId: string,
	origin: string,
	reason?: string,
): Promise<OrderDetail> {
	const detail = await findOrderDetail(deps.db, orderId);
	if (!detail || detail.order.customerId !== customerId) throw notFound(`Order with id ${orderId} was not found`);
	const outcome = await changeOrder(
		deps,
		detail,
		{ type: 'cancel', reason },
		{ actor: `customer:${customerId}`, origin, isDone: (state) => state.status === 'canceled' },
	);
	return outcome.detail;
}

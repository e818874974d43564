import { loadOrder } from '../../db/repositories/order-repository.ts';
import { orderCanceledEmail } from '../../email/index.ts';
import { notFound } from '../../http/store-error.ts';
import { logger } from '../../log/logger.ts';
import { applyOrderTransition } from './apply-transition.ts';
import type { OrderDeps } from './order-deps.ts';
import { orderPageUrl } from './order-link.ts';

/**
 * A customer cancels one of their own orders that nothing has been packed or shipped for (contract extension). The
 * state machine's `cancel` decides; the payment is voided (only authorized) or the captured rest refunded through the
 * provider before anything is written; then order, payment, restock (ledger rows, reason `cancel`) and the
 * `order_canceled` event are one transaction. Someone else's order is a 404, exactly like a missing one. Cancelling a
 * canceled order answers it again without doing anything (no second refund, no second email).
 */
export async function cancelCustomerOrder(
	deps: OrderDeps,
	customerId: string,
	orderId: string,
	origin: string,
	reason?: string,
): Promise<void> {
	const order = await deps.db
		.selectFrom('orders')
		.select(['id', 'customer_id', 'status'])
		.where('id', '=', orderId)
		.executeTakeFirst();
	if (!order || order.customer_id !== customerId) throw notFound(`Order with id ${orderId} was not found`);
	if (order.status === 'canceled') return;
	const outcome = await applyOrderTransition(
		deps,
		orderId,
		{ type: 'cancel', reason },
		{ actor: `customer:${customerId}`, isDone: (state) => state.status === 'canceled' },
	);
	if (outcome.applied) await sendOrderCanceled(deps, orderId, origin);
}

/** Sends the cancellation notice after the transaction committed; a mail failure is logged, never undoes the cancel. */
export async function sendOrderCanceled(deps: OrderDeps, orderId: string, origin: string): Promise<void> {
	const record = await loadOrder(deps.db, orderId);
	if (!record) return;
	const { order, lines, payment, events } = record;
	const canceled = [...events].reverse().find((e) => e.type === 'order_canceled');
	const data = canceled ? (JSON.parse(canceled.data) as { refunded?: number; voided?: boolean }) : {};
	const message = orderCanceledEmail({
		displayId: order.display_id,
		email: order.email,
		currency: order.currency_code,
		items: lines.map((l) => ({
			title: l.title,
			variantTitle: l.variant_title,
			quantity: l.quantity,
			unitPrice: l.unit_price,
			total: l.subtotal,
		})),
		total: order.total,
		refunded: data.refunded ?? 0,
		voided: data.voided === true,
		cardBrand: payment?.card_brand,
		cardLast4: payment?.card_last4,
		orderUrl: orderPageUrl(order, origin),
		shopName: deps.options.storeName,
	});
	try {
		await deps.mailer.send({ to: order.email, ...message });
	} catch (error) {
		logger().error({ err: error }, `[commerce] the cancellation email of order #${order.display_id} could not be sent`);
	}
}

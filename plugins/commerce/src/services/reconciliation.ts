import type { CommerceDb } from '../db/client.ts';
import {
	listAuthorizedSessionsWithoutOrder,
	listOrdersWithoutPayment,
	type OrderWithoutPayment,
	type PaymentWithoutOrder,
} from '../db/repositories/reconciliation-repository.ts';

// The daily reconciliation (`commerce reconcile`, for cron): money the providers took or hold without an order, and
// orders that owe money without a payment covering them, for every provider (stripe and the offline test provider).

export interface ReconciliationReport {
	checkedAt: string;
	paymentsWithoutOrders: PaymentWithoutOrder[];
	ordersWithoutPayments: OrderWithoutPayment[];
}

/**
 * Lists both kinds of mismatch. Authorized sessions younger than `graceMs` are left out: a shopper may be finishing
 * checkout right now, and the provider's webhook completes a cart whose browser never came back.
 */
export async function reconcilePayments(
	db: CommerceDb,
	graceMs = 3_600_000,
	now = new Date(),
): Promise<ReconciliationReport> {
	const [paymentsWithoutOrders, ordersWithoutPayments] = await Promise.all([
		listAuthorizedSessionsWithoutOrder(db, new Date(now.getTime() - graceMs).toISOString()),
		listOrdersWithoutPayment(db),
	]);
	return { checkedAt: now.toISOString(), paymentsWithoutOrders, ordersWithoutPayments };
}

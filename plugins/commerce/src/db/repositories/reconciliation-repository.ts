import type { Kysely } from 'kysely';
import type { Database } from '../types.ts';

// Reads for the payments/orders reconciliation (services/reconciliation.ts, `commerce reconcile`).

type Db = Kysely<Database>;

export interface PaymentWithoutOrder {
	sessionId: string;
	providerId: string;
	reference: string | null;
	cartId: string;
	amount: number;
	currencyCode: string;
	updatedAt: string;
}

/** Payment sessions the provider authorized (money taken or held) whose cart never became an order. */
export async function listAuthorizedSessionsWithoutOrder(
	db: Db,
	updatedBefore: string,
): Promise<PaymentWithoutOrder[]> {
	const rows = await db
		.selectFrom('payment_session as s')
		.select(['s.id', 's.provider_id', 's.reference', 's.cart_id', 's.amount', 's.currency_code', 's.updated_at'])
		.where('s.status', '=', 'authorized')
		.where('s.updated_at', '<', updatedBefore)
		.where(({ not, exists, selectFrom }) =>
			not(exists(selectFrom('orders').select('orders.id').whereRef('orders.cart_id', '=', 's.cart_id'))),
		)
		.orderBy('s.updated_at')
		.execute();
	return rows.map((r) => ({
		sessionId: r.id,
		providerId: r.provider_id,
		reference: r.reference,
		cartId: r.cart_id,
		amount: r.amount,
		currencyCode: r.currency_code,
		updatedAt: r.updated_at,
	}));
}

export interface OrderWithoutPayment {
	orderId: string;
	displayId: number;
	total: number;
	currencyCode: string;
	/** null: no payment row at all; else the provider whose payment authorized less than the total. */
	providerId: string | null;
	amountAuthorized: number;
	createdAt: string;
}

/** Orders that owe money (total > 0) with no payment, or a payment that authorized less than the total. */
export async function listOrdersWithoutPayment(db: Db): Promise<OrderWithoutPayment[]> {
	const rows = await db
		.selectFrom('orders as o')
		.leftJoin('payment as p', 'p.order_id', 'o.id')
		.select([
			'o.id',
			'o.display_id',
			'o.total',
			'o.currency_code',
			'o.created_at',
			'p.provider_id',
			'p.amount_authorized',
		])
		.where('o.total', '>', 0)
		.where('o.status', '!=', 'canceled')
		.where((eb) => eb.or([eb('p.id', 'is', null), eb('p.amount_authorized', '<', eb.ref('o.total'))]))
		.orderBy('o.created_at')
		.execute();
	return rows.map((r) => ({
		orderId: r.id,
		displayId: r.display_id,
		total: r.total,
		currencyCode: r.currency_code,
		providerId: r.provider_id,
		amountAuthorized: r.amount_authorized ?? 0,
		createdAt: r.created_at,
	}));
}

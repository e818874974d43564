import type { Kysely } from 'kysely';
import { compiledQuery } from '../compiled-query.ts';
import { newId } from '../ids.ts';
import type { Database, PaymentSession, PaymentSessionTable } from '../types.ts';

type Db = Kysely<Database>;

const sessionsOfCart = compiledQuery((db: Db, cartId: string) =>
	db
		.selectFrom('payment_session')
		.selectAll()
		.where('cart_id', '=', cartId)
		.orderBy('created_at')
		.orderBy('provider_id'),
);

export async function listPaymentSessions(db: Db, cartId: string): Promise<PaymentSession[]> {
	return (await sessionsOfCart(db, cartId)).rows;
}

export async function findPaymentSessionByReference(
	db: Db,
	providerId: string,
	reference: string,
): Promise<PaymentSession | undefined> {
	return db
		.selectFrom('payment_session')
		.selectAll()
		.where('provider_id', '=', providerId)
		.where('reference', '=', reference)
		.executeTakeFirst();
}

type SessionFields = Pick<PaymentSessionTable, 'status' | 'amount' | 'currency_code' | 'data' | 'reference'>;

/** Creates or replaces the cart's session of one provider. */
export async function upsertPaymentSession(
	db: Db,
	cartId: string,
	providerId: string,
	fields: SessionFields,
	at: string,
): Promise<void> {
	const { status, amount, currency_code, data, reference } = fields;
	await upsertSession(db, newId('ps'), cartId, providerId, status, amount, currency_code, data, reference, at);
}

// Every payment step and every completion writes a session: compiled once (compiled-query.ts).
const upsertSession = compiledQuery(
	(
		db: Db,
		id: string,
		cartId: string,
		providerId: string,
		status: SessionFields['status'],
		amount: number,
		currency: string,
		data: string,
		reference: string | null,
		at: string,
	) =>
		db
			.insertInto('payment_session')
			.values({
				id,
				cart_id: cartId,
				provider_id: providerId,
				is_selected: 0,
				status,
				amount,
				currency_code: currency,
				data,
				reference,
				created_at: at,
				updated_at: at,
			})
			.onConflict((oc) =>
				oc
					.columns(['cart_id', 'provider_id'])
					.doUpdateSet({ status, amount, currency_code: currency, data, reference, updated_at: at }),
			),
);

export async function selectPaymentSession(db: Db, cartId: string, providerId: string, at: string): Promise<void> {
	await db
		.updateTable('payment_session')
		.set({ is_selected: 0, updated_at: at })
		.where('cart_id', '=', cartId)
		.where('provider_id', '!=', providerId)
		.execute();
	await db
		.updateTable('payment_session')
		.set({ is_selected: 1, updated_at: at })
		.where('cart_id', '=', cartId)
		.where('provider_id', '=', providerId)
		.execute();
}

export async function deletePaymentSession(db: Db, cartId: string, providerId: string): Promise<number> {
	const result = await db
		.deleteFrom('payment_session')
		.where('cart_id', '=', cartId)
		.where('provider_id', '=', providerId)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/**
 * Sets the status of the sessions with this provider reference that were not authorized (only carts still open
 * change; a session that paid for an order keeps its history).
 */
export async function markUnauthorizedSessions(
	db: Db,
	providerId: string,
	reference: string,
	status: PaymentSession['status'],
	at: string,
): Promise<void> {
	await db
		.updateTable('payment_session')
		.set({ status, updated_at: at })
		.where('provider_id', '=', providerId)
		.where('reference', '=', reference)
		.where('status', '!=', 'authorized')
		.execute();
}

/** Whether a payment of the cart is authorized or waiting for the shopper (3-D Secure): the cart is then in use. */
export async function hasPaymentInProgress(db: Db, cartId: string): Promise<boolean> {
	const row = await db
		.selectFrom('payment_session')
		.select('id')
		.where('cart_id', '=', cartId)
		.where('status', 'in', ['authorized', 'requires_more'])
		.executeTakeFirst();
	return Boolean(row);
}

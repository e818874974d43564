import type { Kysely, Selectable } from 'kysely';
import type { Database, OrderClaimTokenTable } from '../types.ts';

type Db = Kysely<Database>;

export type OrderClaimToken = Selectable<OrderClaimTokenTable>;

export async function insertClaimToken(db: Db, row: OrderClaimToken): Promise<void> {
	await db.insertInto('order_claim_token').values(row).execute();
}

/**
 * Marks a claim token used and returns it, when it belongs to this customer, is unused and has not expired. The check
 * and the write are one statement, so a token works once even under concurrent confirmations.
 */
export async function consumeClaimToken(
	db: Db,
	tokenHash: string,
	customerId: string,
	at: string,
): Promise<OrderClaimToken | undefined> {
	const result = await db
		.updateTable('order_claim_token')
		.set({ used_at: at })
		.where('token_hash', '=', tokenHash)
		.where('customer_id', '=', customerId)
		.where('used_at', 'is', null)
		.where('expires_at', '>', at)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) return undefined;
	return db.selectFrom('order_claim_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Removes a customer's earlier unused claim-everything tokens (a new request replaces them) and every expired token. */
export async function deleteStaleClaimTokens(db: Db, customerId: string, at: string): Promise<void> {
	await db
		.deleteFrom('order_claim_token')
		.where((eb) =>
			eb.or([
				eb.and([eb('customer_id', '=', customerId), eb('used_at', 'is', null), eb('order_ids', 'is', null)]),
				eb('expires_at', '<=', at),
			]),
		)
		.execute();
}

/**
 * Attaches guest orders (no customer) placed with `email` to the customer, optionally only those listed; returns the
 * ids attached. Orders that already belong to someone are never moved.
 */
export async function attachGuestOrders(
	db: Db,
	customerId: string,
	email: string,
	orderIds: string[] | null,
	at: string,
): Promise<string[]> {
	let query = db
		.selectFrom('orders')
		.select('id')
		.where('customer_id', 'is', null)
		.where('email', '=', email.toLowerCase());
	if (orderIds) {
		if (!orderIds.length) return [];
		query = query.where('id', 'in', orderIds);
	}
	const ids = (await query.orderBy('created_at').execute()).map((r) => r.id);
	if (!ids.length) return [];
	await db
		.updateTable('orders')
		.set({ customer_id: customerId, updated_at: at })
		.where('id', 'in', ids)
		.where('customer_id', 'is', null)
		.execute();
	return ids;
}

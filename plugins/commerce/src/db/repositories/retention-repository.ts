import type { Kysely } from 'kysely';
import type { Database } from '../types.ts';

// Deletes for the retention rules (services/retention/prune.ts). Each returns how many rows it removed; carts go in
// batches so one pass never holds the write lock for long.

type Db = Kysely<Database>;

/** Idempotency keys created before `before` (their replay window is long over). */
export async function pruneIdempotencyKeys(db: Db, before: string): Promise<number> {
	const result = await db.deleteFrom('idempotency_key').where('created_at', '<', before).executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Analytics events that happened before `before`. */
export async function pruneAnalyticsEvents(db: Db, before: string): Promise<number> {
	const result = await db.deleteFrom('analytics_event').where('occurred_at', '<', before).executeTakeFirst();
	return Number(result.numDeletedRows);
}

/**
 * Up to `limit` carts never completed and untouched since `before`, with their own addresses (lines, codes, shipping
 * method and payment sessions cascade). A cart an order points at is never deleted, completed or not.
 */
export async function pruneAbandonedCarts(db: Db, before: string, limit: number): Promise<number> {
	const carts = await db
		.selectFrom('cart')
		.select(['id', 'shipping_address_id', 'billing_address_id'])
		.where('completed_at', 'is', null)
		.where('updated_at', '<', before)
		.where(({ not, exists, selectFrom }) =>
			not(exists(selectFrom('orders').select('orders.id').whereRef('orders.cart_id', '=', 'cart.id'))),
		)
		.orderBy('updated_at')
		.limit(limit)
		.execute();
	if (!carts.length) return 0;
	const ids = carts.map((c) => c.id);
	await db.deleteFrom('cart').where('id', 'in', ids).execute();
	const addressIds = carts
		.flatMap((c) => [c.shipping_address_id, c.billing_address_id])
		.filter((id): id is string => Boolean(id));
	// A cart's addresses are its own copies (never a customer's address book row), unless an order shares them.
	if (addressIds.length)
		await db
			.deleteFrom('address')
			.where('id', 'in', addressIds)
			.where('customer_id', 'is', null)
			.where(({ not, exists, selectFrom }) =>
				not(
					exists(
						selectFrom('orders')
							.select('orders.id')
							.where((eb) =>
								eb.or([
									eb('orders.shipping_address_id', '=', eb.ref('address.id')),
									eb('orders.billing_address_id', '=', eb.ref('address.id')),
								]),
							),
					),
				),
			)
			.execute();
	return carts.length;
}

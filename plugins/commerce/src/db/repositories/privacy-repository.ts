import type { Kysely } from 'kysely';
import type { Database } from '../types.ts';

// Reads and writes for the GDPR use cases (services/customers/privacy.ts): a customer's contact messages, and the
// erasure itself. Orders are not deleted (accounting) and not written here: the order writer anonymises them
// (services/orders/anonymise-orders.ts) in the same transaction; their addresses lose every personal field here and
// keep the country/region/postal code that taxes were charged for.

type Db = Kysely<Database>;

/** The email every anonymised order, cart and message carries (`.invalid` can never receive mail). */
export const ERASED_EMAIL = 'erased@erased.invalid';

export interface StoredMessage {
	id: string;
	name: string;
	email: string;
	subject: string;
	message: string;
	createdAt: string;
}

/** Contact messages sent by the customer (signed in, or with their email). */
export async function listMessagesOf(db: Db, customer: { id: string; email: string }): Promise<StoredMessage[]> {
	const rows = await db
		.selectFrom('contact_message')
		.select(['id', 'name', 'email', 'subject', 'message', 'created_at'])
		.where((eb) => eb.or([eb('customer_id', '=', customer.id), eb('email', '=', customer.email)]))
		.orderBy('created_at')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		email: r.email,
		subject: r.subject,
		message: r.message,
		createdAt: r.created_at,
	}));
}

export interface ErasureCounts {
	/** The orders of the customer (or placed with their email): the caller anonymises them through services/orders. */
	orderIds: string[];
	ordersAnonymised: number;
	cartsAnonymised: number;
	addressesErased: number;
	messagesDeleted: number;
	sessionsEnded: number;
}

/**
 * Erases a customer inside the caller's transaction: sessions, reset and claim tokens, wishlist and contact messages
 * deleted; carts (their own, and guest ones with their email) detached without email; every address they used (their
 * orders' too) stripped of name, company, street, city and phone; then the customer row itself deleted.
 */
export async function eraseCustomerRows(
	trx: Db,
	customer: { id: string; email: string },
	at: string,
): Promise<ErasureCounts> {
	const mine = (table: 'orders' | 'cart') =>
		trx
			.selectFrom(table)
			.select(['id', 'shipping_address_id', 'billing_address_id'])
			.where((eb) => eb.or([eb('customer_id', '=', customer.id), eb('email', '=', customer.email)]))
			.execute();
	const orders = await mine('orders');
	const carts = await mine('cart');
	const book = await trx.selectFrom('address').select('id').where('customer_id', '=', customer.id).execute();
	const addressIds = [
		...new Set(
			[...orders, ...carts]
				.flatMap((r) => [r.shipping_address_id, r.billing_address_id])
				.concat(book.map((b) => b.id))
				.filter((id): id is string => Boolean(id)),
		),
	];

	const sessions = await trx.deleteFrom('auth_session').where('user_id', '=', customer.id).executeTakeFirst();
	await trx.deleteFrom('password_reset_token').where('customer_id', '=', customer.id).execute();
	await trx
		.deleteFrom('order_claim_token')
		.where((eb) => eb.or([eb('customer_id', '=', customer.id), eb('email', '=', customer.email)]))
		.execute();
	await trx.deleteFrom('wishlist_item').where('customer_id', '=', customer.id).execute();
	// Replies first: the foreign key cascades on PostgreSQL, but SQLite enforces it only with its pragma on.
	await trx
		.deleteFrom('contact_reply')
		.where('message_id', 'in', (eb) =>
			eb
				.selectFrom('contact_message')
				.select('id')
				.where((w) => w.or([w('customer_id', '=', customer.id), w('email', '=', customer.email)])),
		)
		.execute();
	const messages = await trx
		.deleteFrom('contact_message')
		.where((eb) => eb.or([eb('customer_id', '=', customer.id), eb('email', '=', customer.email)]))
		.executeTakeFirst();
	if (carts.length)
		await trx
			.updateTable('cart')
			.set({ customer_id: null, email: null, updated_at: at })
			.where(
				'id',
				'in',
				carts.map((c) => c.id),
			)
			.execute();
	if (addressIds.length)
		await trx
			.updateTable('address')
			.set({
				customer_id: null,
				first_name: null,
				last_name: null,
				company: null,
				address_1: null,
				address_2: null,
				city: null,
				phone: null,
				updated_at: at,
			})
			.where('id', 'in', addressIds)
			.execute();
	await trx.updateTable('customer').set({ billing_address_id: null }).where('id', '=', customer.id).execute();
	await trx.deleteFrom('customer').where('id', '=', customer.id).execute();
	return {
		orderIds: orders.map((o) => o.id),
		ordersAnonymised: orders.length,
		cartsAnonymised: carts.length,
		addressesErased: addressIds.length,
		messagesDeleted: Number(messages.numDeletedRows),
		sessionsEnded: Number(sessions.numDeletedRows),
	};
}

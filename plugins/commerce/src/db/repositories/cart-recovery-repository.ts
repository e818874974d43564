import type { Kysely } from 'kysely';
import type { CartRecoveryTable, Database } from '../types.ts';

// Abandoned-cart recovery (migration 0042): which carts are abandoned, the one reminder row per cart, opt-outs, and
// the numbers the admin shows. "Recovered" is never written: it is a reminded cart that an order points at.

type Db = Kysely<Database>;

/** The opt-out topic of abandoned-cart reminders. */
export const CART_REMINDERS = 'cart_reminders';

export interface CartRecovery {
	cartId: string;
	email: string;
	status: CartRecoveryTable['status'];
	skipReason: string | null;
	queuedAt: string;
	sentAt: string | null;
	restoredAt: string | null;
	/** The order placed from the cart afterwards, if any. */
	order: { id: string; displayId: number; total: number; currencyCode: string } | null;
}

/**
 * Carts last changed in [`from`, `to`) that have an email and at least one line, are not completed and were never
 * looked at (no `cart_recovery` row), oldest first. Whether the address may be reminded is the caller's next check
 * (`hasOrderedOrOptedOut`); a cart found blocked gets a `skipped` row, so it is not looked at again.
 */
export async function findAbandonedCarts(
	db: Db,
	window: { from: string; to: string },
	limit: number,
): Promise<{ id: string; email: string }[]> {
	const rows = await db
		.selectFrom('cart')
		.select(['cart.id', 'cart.email'])
		.where('cart.completed_at', 'is', null)
		.where('cart.email', 'is not', null)
		.where('cart.updated_at', '>=', window.from)
		.where('cart.updated_at', '<', window.to)
		.where(({ exists, not, selectFrom }) =>
			exists(selectFrom('line_item').select('line_item.id').whereRef('line_item.cart_id', '=', 'cart.id')).and(
				not(
					exists(
						selectFrom('cart_recovery')
							.select('cart_recovery.cart_id')
							.whereRef('cart_recovery.cart_id', '=', 'cart.id'),
					),
				),
			),
		)
		.orderBy('cart.updated_at')
		.limit(limit)
		.execute();
	return rows.flatMap((row) => (row.email ? [{ id: row.id, email: row.email.toLowerCase() }] : []));
}

/**
 * Whether reminding this cart's address is wrong now: an order was placed from the cart, or by the address since the
 * cart was created, or the address opted out of reminders.
 */
export async function hasOrderedOrOptedOut(db: Db, cartId: string, email: string): Promise<string | null> {
	const cart = await db.selectFrom('cart').select(['created_at']).where('id', '=', cartId).executeTakeFirst();
	if (!cart) return 'cart_deleted';
	const ordered = await db
		.selectFrom('orders')
		.select('id')
		.where((eb) =>
			eb.or([eb('cart_id', '=', cartId), eb.and([eb('email', '=', email), eb('created_at', '>=', cart.created_at)])]),
		)
		.executeTakeFirst();
	if (ordered) return 'ordered';
	const optedOut = await db.selectFrom('email_opt_out').select('email').where('email', '=', email).executeTakeFirst();
	return optedOut ? 'unsubscribed' : null;
}

/**
 * Records the reminder of a cart (`queued`), or that none will be sent (`skipped` with `skipReason`); false when the
 * cart already has a row (another pass got there first).
 */
export async function insertCartRecovery(
	db: Db,
	cartId: string,
	email: string,
	at: string,
	skipReason: string | null = null,
): Promise<boolean> {
	const result = await db
		.insertInto('cart_recovery')
		.values({
			cart_id: cartId,
			email,
			status: skipReason ? 'skipped' : 'queued',
			skip_reason: skipReason,
			queued_at: at,
			sent_at: null,
			restored_at: null,
		})
		.onConflict((oc) => oc.column('cart_id').doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findCartRecovery(db: Db, cartId: string) {
	return db.selectFrom('cart_recovery').selectAll().where('cart_id', '=', cartId).executeTakeFirst();
}

export async function markCartRecoverySent(db: Db, cartId: string, at: string): Promise<void> {
	await db.updateTable('cart_recovery').set({ status: 'sent', sent_at: at }).where('cart_id', '=', cartId).execute();
}

export async function markCartRecoverySkipped(db: Db, cartId: string, reason: string): Promise<void> {
	await db
		.updateTable('cart_recovery')
		.set({ status: 'skipped', skip_reason: reason })
		.where('cart_id', '=', cartId)
		.execute();
}

/** The first click on the restore link (later clicks keep the first time). */
export async function markCartRestored(db: Db, cartId: string, at: string): Promise<void> {
	await db
		.updateTable('cart_recovery')
		.set({ restored_at: at })
		.where('cart_id', '=', cartId)
		.where('restored_at', 'is', null)
		.execute();
}

export async function addEmailOptOut(db: Db, email: string, topic: string, at: string): Promise<void> {
	await db
		.insertInto('email_opt_out')
		.values({ email, topic, created_at: at })
		.onConflict((oc) => oc.column('email').doNothing())
		.execute();
}

export async function isEmailOptedOut(db: Db, email: string): Promise<boolean> {
	return Boolean(await db.selectFrom('email_opt_out').select('email').where('email', '=', email).executeTakeFirst());
}

export interface CartRecoveryStats {
	/** Reminders sent (delivered to the mail server). */
	sent: number;
	/** Reminded carts whose restore link was opened. */
	restored: number;
	/** Reminded carts that became orders. */
	recovered: number;
	/** Reminders not sent: the shopper ordered meanwhile, unsubscribed, or emptied the cart. */
	skipped: number;
	/** Reminders waiting in the outbox. */
	queued: number;
}

/** Counts over reminders queued since `since` (ISO), or all. */
export async function cartRecoveryStats(db: Db, since?: string): Promise<CartRecoveryStats> {
	let byStatus = db
		.selectFrom('cart_recovery')
		.select((eb) => ['status', eb.fn.countAll<number>().as('n'), eb.fn.count<number>('restored_at').as('restored')])
		.groupBy('status');
	if (since) byStatus = byStatus.where('queued_at', '>=', since);
	const rows = await byStatus.execute();
	let recoveredQuery = db
		.selectFrom('cart_recovery')
		.innerJoin('orders', 'orders.cart_id', 'cart_recovery.cart_id')
		.select((eb) => eb.fn.count<number>('cart_recovery.cart_id').distinct().as('n'))
		.where('cart_recovery.status', '=', 'sent');
	if (since) recoveredQuery = recoveredQuery.where('cart_recovery.queued_at', '>=', since);
	const recovered = Number((await recoveredQuery.executeTakeFirst())?.n ?? 0);
	const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
	return {
		sent: count('sent'),
		restored: rows.reduce((sum, r) => sum + Number(r.restored), 0),
		recovered,
		skipped: count('skipped'),
		queued: count('queued'),
	};
}

/** Reminders newest first, with the order each cart became (the admin's list). */
export async function listCartRecoveries(db: Db, opts: { limit: number; offset: number }): Promise<CartRecovery[]> {
	const rows = await db
		.selectFrom('cart_recovery')
		.leftJoin('orders', 'orders.cart_id', 'cart_recovery.cart_id')
		.select([
			'cart_recovery.cart_id',
			'cart_recovery.email',
			'cart_recovery.status',
			'cart_recovery.skip_reason',
			'cart_recovery.queued_at',
			'cart_recovery.sent_at',
			'cart_recovery.restored_at',
			'orders.id as order_id',
			'orders.display_id',
			'orders.total',
			'orders.currency_code',
		])
		.orderBy('cart_recovery.queued_at', 'desc')
		.orderBy('cart_recovery.cart_id')
		.limit(opts.limit)
		.offset(opts.offset)
		.execute();
	return rows.map((r) => ({
		cartId: r.cart_id,
		email: r.email,
		status: r.status,
		skipReason: r.skip_reason,
		queuedAt: r.queued_at,
		sentAt: r.sent_at,
		restoredAt: r.restored_at,
		order:
			r.order_id && r.display_id !== null && r.total !== null && r.currency_code
				? { id: r.order_id, displayId: Number(r.display_id), total: Number(r.total), currencyCode: r.currency_code }
				: null,
	}));
}

import { type Kysely, sql } from 'kysely';
import type { Order } from '../../core/orders/index.ts';
import { containsLiterally } from '../dialect.ts';
import type { Database } from '../types.ts';
import { toOrder } from './order-repository.ts';

type Db = Kysely<Database>;

/** What the admin may filter orders by; every field optional. */
export interface OrderListFilter {
	status?: string;
	paymentStatus?: string;
	fulfillmentStatus?: string;
	/** First UTC day included, `YYYY-MM-DD`. */
	from?: string;
	/** Last UTC day included, `YYYY-MM-DD`. */
	to?: string;
	/** Part of the customer's email, matched literally. */
	email?: string;
}

function filtered(db: Db, filter: OrderListFilter) {
	let query = db.selectFrom('orders');
	if (filter.status) query = query.where('status', '=', filter.status);
	if (filter.paymentStatus) query = query.where('payment_status', '=', filter.paymentStatus);
	if (filter.fulfillmentStatus) query = query.where('fulfillment_status', '=', filter.fulfillmentStatus);
	if (filter.from) query = query.where('created_at', '>=', `${filter.from}T00:00:00.000Z`);
	if (filter.to) query = query.where('created_at', '<=', `${filter.to}T23:59:59.999Z`);
	// Not LIKE: the text is matched literally (no % or _ wildcards); emails are stored lower-case.
	const email = filter.email?.trim().toLowerCase();
	if (email) query = query.where(containsLiterally(db, sql.ref('email'), email));
	return query;
}

/** Orders of the filter, newest first; all of them without `page` (the CSV export). */
export async function listOrders(
	db: Db,
	filter: OrderListFilter,
	page?: { limit: number; offset: number },
): Promise<Order[]> {
	let query = filtered(db, filter).selectAll().orderBy('created_at', 'desc').orderBy('display_id', 'desc');
	if (page) query = query.limit(page.limit).offset(page.offset);
	return (await query.execute()).map(toOrder);
}

export async function countOrders(db: Db, filter: OrderListFilter): Promise<number> {
	const row = await filtered(db, filter)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

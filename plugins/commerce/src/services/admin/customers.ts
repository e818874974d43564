import { sql } from 'kysely';
import type { CommerceDb } from '../../db/client.ts';
import type { Customer, Order } from '../../db/types.ts';

type Db = CommerceDb;

/** A customer as the admin sees it (never the password hash), with their order count and spend. */
export type AdminCustomer = Omit<Customer, 'password_hash'> & { orderCount: number };

const COLUMNS = [
	'c.id',
	'c.email',
	'c.first_name',
	'c.last_name',
	'c.phone',
	'c.has_account',
	'c.role',
	'c.billing_address_id',
	'c.created_at',
	'c.updated_at',
] as const;

/** Customers (guests included) matching `q` in email or name, newest first. */
export async function listCustomers(
	db: Db,
	query: { q?: string; limit?: number; offset?: number } = {},
): Promise<{ customers: AdminCustomer[]; count: number }> {
	const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
	const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
	let base = db.selectFrom('customer as c');
	const q = query.q?.trim().toLowerCase();
	if (q) {
		// instr, not LIKE: matched literally.
		base = base.where((eb) =>
			eb.or([
				eb(sql`instr(c.email, ${q})`, '>', 0),
				eb(sql`instr(lower(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), ${q})`, '>', 0),
			]),
		);
	}
	const [rows, total] = await Promise.all([
		base
			.select([
				...COLUMNS,
				(eb) =>
					eb
						.selectFrom('orders as o')
						.select((e) => e.fn.countAll<number>().as('n'))
						.whereRef('o.customer_id', '=', 'c.id')
						.as('order_count'),
			])
			.orderBy('c.created_at', 'desc')
			.limit(limit)
			.offset(offset)
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
	]);
	const customers = rows.map(({ order_count, ...c }) => ({ ...c, orderCount: Number(order_count ?? 0) }));
	return { customers, count: Number(total.n) };
}

/** One customer with their orders (newest first), or null. Orders placed as a guest with the same email count too. */
export async function getCustomer(db: Db, id: string): Promise<{ customer: AdminCustomer; orders: Order[] } | null> {
	const customer = await db.selectFrom('customer as c').select(COLUMNS).where('c.id', '=', id).executeTakeFirst();
	if (!customer) return null;
	const orders = await db
		.selectFrom('orders')
		.selectAll()
		.where((eb) => eb.or([eb('customer_id', '=', id), eb('email', '=', customer.email)]))
		.orderBy('created_at', 'desc')
		.execute();
	return { customer: { ...customer, orderCount: orders.length }, orders };
}

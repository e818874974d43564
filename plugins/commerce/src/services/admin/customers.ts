import type { Order } from '../../core/orders/index.ts';
import { INTEGER_RANGES } from '../../core/safe-integers.ts';
import type { CommerceDb } from '../../db/client.ts';
import {
	type Customer,
	type CustomerWithOrderCount,
	findCustomerById,
	listCustomersWithOrderCounts,
	listOrdersOfCustomer,
} from '../../db/repositories/customer-repository.ts';

type Db = CommerceDb;

/** Customers (guests included) matching `q` in email or name, newest first, with their order counts. */
export async function listCustomers(
	db: Db,
	query: { q?: string; limit?: number; offset?: number } = {},
): Promise<{ customers: CustomerWithOrderCount[]; count: number }> {
	const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
	// Clamped to the safe range: SQLite refuses an OFFSET it cannot store as an integer (1e23).
	const offset = Math.min(Math.max(Math.trunc(query.offset ?? 0), 0), INTEGER_RANGES.offset.max);
	return listCustomersWithOrderCounts(db, { q: query.q, limit, offset });
}

/** One customer with their orders (newest first), or null. Orders placed as a guest with the same email count too. */
export async function getCustomer(db: Db, id: string): Promise<{ customer: Customer; orders: Order[] } | null> {
	const customer = await findCustomerById(db, id);
	if (!customer) return null;
	return { customer, orders: await listOrdersOfCustomer(db, customer) };
}

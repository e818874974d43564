import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Address, Customer, CustomerUpdate, Database, PasswordResetToken } from '../types.ts';
import type { AddressFields } from './cart-repository.ts';

type Db = Kysely<Database>;

/** The row without its password hash: what everything outside the auth checks works with. */
export function withoutPassword(row: Customer): Omit<Customer, 'password_hash'> {
	const { password_hash: _hash, ...customer } = row;
	return customer;
}

export async function findCustomerByEmail(db: Db, email: string): Promise<Customer | undefined> {
	return db.selectFrom('customer').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function findCustomerById(db: Db, id: string): Promise<Customer | undefined> {
	return db.selectFrom('customer').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCustomer(db: Db, row: Omit<Customer, 'role'> & { role?: Customer['role'] }): Promise<void> {
	await db.insertInto('customer').values(row).execute();
}

export async function updateCustomerRow(
	db: Db,
	id: string,
	fields: Omit<CustomerUpdate, 'id' | 'created_at'>,
	at: string,
): Promise<void> {
	await db
		.updateTable('customer')
		.set({ ...fields, updated_at: at })
		.where('id', '=', id)
		.execute();
}

/** Saved (shipping) addresses: `address` rows with this customer's id, oldest first. */
export async function listCustomerAddresses(db: Db, customerId: string): Promise<Address[]> {
	return db
		.selectFrom('address')
		.selectAll()
		.where('customer_id', '=', customerId)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
}

/** One saved address, only when it belongs to this customer. */
export async function findCustomerAddress(db: Db, customerId: string, addressId: string): Promise<Address | undefined> {
	return db
		.selectFrom('address')
		.selectAll()
		.where('id', '=', addressId)
		.where('customer_id', '=', customerId)
		.executeTakeFirst();
}

export async function countCustomerAddresses(db: Db, customerId: string): Promise<number> {
	const row = await db
		.selectFrom('address')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('customer_id', '=', customerId)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

export async function insertCustomerAddress(
	db: Db,
	customerId: string,
	fields: Partial<AddressFields>,
	at: string,
): Promise<string> {
	const id = newId('addr');
	const empty: AddressFields = {
		company: null,
		first_name: null,
		last_name: null,
		address_1: null,
		address_2: null,
		city: null,
		country_code: null,
		province: null,
		postal_code: null,
		phone: null,
	};
	await db
		.insertInto('address')
		.values({ ...empty, ...fields, id, customer_id: customerId, created_at: at, updated_at: at })
		.execute();
	return id;
}

/** Updates a saved address of this customer; false when there is none with that id (or it is someone else's). */
export async function updateCustomerAddress(
	db: Db,
	customerId: string,
	addressId: string,
	fields: Partial<AddressFields>,
	at: string,
): Promise<boolean> {
	const result = await db
		.updateTable('address')
		.set({ ...fields, updated_at: at })
		.where('id', '=', addressId)
		.where('customer_id', '=', customerId)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Deletes a saved address of this customer (carts and orders keep their own copies); false when there is none. */
export async function deleteCustomerAddress(db: Db, customerId: string, addressId: string): Promise<boolean> {
	const result = await db
		.deleteFrom('address')
		.where('id', '=', addressId)
		.where('customer_id', '=', customerId)
		.executeTakeFirst();
	return Number(result.numDeletedRows) === 1;
}

export async function insertResetToken(db: Db, row: PasswordResetToken): Promise<void> {
	await db.insertInto('password_reset_token').values(row).execute();
}

export async function findResetToken(db: Db, tokenHash: string): Promise<PasswordResetToken | undefined> {
	return db.selectFrom('password_reset_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks a token used if it still is unused and unexpired; the condition and the write are one statement. */
export async function consumeResetToken(db: Db, tokenHash: string, at: string): Promise<boolean> {
	const result = await db
		.updateTable('password_reset_token')
		.set({ used_at: at })
		.where('token_hash', '=', tokenHash)
		.where('used_at', 'is', null)
		.where('expires_at', '>', at)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Removes a customer's unused tokens (a newer link, or a reset, makes older links worthless). */
export async function deleteUnusedResetTokens(db: Db, customerId: string): Promise<void> {
	await db
		.deleteFrom('password_reset_token')
		.where('customer_id', '=', customerId)
		.where('used_at', 'is', null)
		.execute();
}

export interface CustomerOrderFilter {
	limit: number;
	offset: number;
	status?: string[];
	paymentStatus?: string[];
	fulfillmentStatus?: string[];
}

/** A page of one customer's order ids, newest first, with the total count. Never another customer's. */
export async function listCustomerOrderIds(
	db: Db,
	customerId: string,
	filter: CustomerOrderFilter,
): Promise<{ ids: string[]; count: number }> {
	let query = db.selectFrom('orders').where('customer_id', '=', customerId);
	if (filter.status?.length) query = query.where('status', 'in', filter.status);
	if (filter.paymentStatus?.length) query = query.where('payment_status', 'in', filter.paymentStatus);
	if (filter.fulfillmentStatus?.length) query = query.where('fulfillment_status', 'in', filter.fulfillmentStatus);
	const [rows, total] = await Promise.all([
		query
			.select('id')
			.orderBy('created_at', 'desc')
			.orderBy('display_id', 'desc')
			.limit(filter.limit)
			.offset(filter.offset)
			.execute(),
		query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
	]);
	return { ids: rows.map((r) => r.id), count: Number(total?.n ?? 0) };
}

/** The customer's most recently touched open cart, if any. */
export async function findLatestOpenCartId(db: Db, customerId: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('cart')
		.select('id')
		.where('customer_id', '=', customerId)
		.where('completed_at', 'is', null)
		.orderBy('updated_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	return row?.id;
}

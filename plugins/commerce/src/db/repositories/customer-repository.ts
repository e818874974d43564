import { type Kysely, type Selectable, sql } from 'kysely';
import type { Order } from '../../core/orders/index.ts';
import { containsLiterally } from '../dialect.ts';
import { newId } from '../ids.ts';
import type { Address, CustomerRole, CustomerTable, Database } from '../types.ts';
import type { AddressFields } from './cart-repository.ts';
import { toOrder } from './order-repository.ts';

type Db = Kysely<Database>;

/** A customer as every layer above the database sees it. The password hash is never part of it. */
export interface Customer {
	id: string;
	/** Lower-case. */
	email: string;
	firstName: string | null;
	lastName: string | null;
	phone: string | null;
	/** false for a guest (no password, cannot log in). */
	hasAccount: boolean;
	role: CustomerRole;
	billingAddressId: string | null;
	createdAt: string;
	updatedAt: string;
}

/** A customer with the stored password hash (null for guests): read only by the password checks. */
export interface CustomerCredentials {
	customer: Customer;
	passwordHash: string | null;
}

/** The columns a customer is read from: every column but the password hash. */
export const CUSTOMER_COLUMNS = [
	'id',
	'email',
	'first_name',
	'last_name',
	'phone',
	'has_account',
	'role',
	'billing_address_id',
	'created_at',
	'updated_at',
] as const;

type CustomerColumns = Pick<Selectable<CustomerTable>, (typeof CUSTOMER_COLUMNS)[number]>;

/** The one row → domain mapping of a customer. */
export function toCustomer(row: CustomerColumns): Customer {
	return {
		id: row.id,
		email: row.email,
		firstName: row.first_name,
		lastName: row.last_name,
		phone: row.phone,
		hasAccount: row.has_account === 1,
		role: row.role,
		billingAddressId: row.billing_address_id,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
	};
}

const byEmail = (email: string) => email.trim().toLowerCase();

export async function findCustomerByEmail(db: Db, email: string): Promise<Customer | undefined> {
	const row = await db
		.selectFrom('customer')
		.select(CUSTOMER_COLUMNS)
		.where('email', '=', byEmail(email))
		.executeTakeFirst();
	return row && toCustomer(row);
}

export async function findCustomerById(db: Db, id: string): Promise<Customer | undefined> {
	const row = await db.selectFrom('customer').select(CUSTOMER_COLUMNS).where('id', '=', id).executeTakeFirst();
	return row && toCustomer(row);
}

/** The customer with this email and their password hash. */
export async function findCredentialsByEmail(db: Db, email: string): Promise<CustomerCredentials | undefined> {
	const row = await db
		.selectFrom('customer')
		.select([...CUSTOMER_COLUMNS, 'password_hash'])
		.where('email', '=', byEmail(email))
		.executeTakeFirst();
	return row && { customer: toCustomer(row), passwordHash: row.password_hash };
}

/** The customer with this id and their password hash. */
export async function findCredentialsById(db: Db, id: string): Promise<CustomerCredentials | undefined> {
	const row = await db
		.selectFrom('customer')
		.select([...CUSTOMER_COLUMNS, 'password_hash'])
		.where('id', '=', id)
		.executeTakeFirst();
	return row && { customer: toCustomer(row), passwordHash: row.password_hash };
}

/** What may change on a customer (the id and creation time never do). */
export interface CustomerChange {
	email?: string;
	firstName?: string | null;
	lastName?: string | null;
	phone?: string | null;
	hasAccount?: boolean;
	/** A new hash; null only for a guest. */
	passwordHash?: string | null;
	role?: CustomerRole;
	billingAddressId?: string | null;
}

function changeColumns(change: CustomerChange) {
	const columns: Partial<Omit<Selectable<CustomerTable>, 'id' | 'created_at'>> = {};
	if (change.email !== undefined) columns.email = byEmail(change.email);
	if (change.firstName !== undefined) columns.first_name = change.firstName;
	if (change.lastName !== undefined) columns.last_name = change.lastName;
	if (change.phone !== undefined) columns.phone = change.phone;
	if (change.hasAccount !== undefined) columns.has_account = change.hasAccount ? 1 : 0;
	if (change.passwordHash !== undefined) columns.password_hash = change.passwordHash;
	if (change.role !== undefined) columns.role = change.role;
	if (change.billingAddressId !== undefined) columns.billing_address_id = change.billingAddressId;
	return columns;
}

/** Inserts a customer (id `cus_…` made here unless given) and returns it. */
export async function insertCustomer(
	db: Db,
	fields: CustomerChange & { email: string; id?: string },
	at: string,
): Promise<Customer> {
	const row = {
		id: fields.id ?? newId('cus'),
		email: byEmail(fields.email),
		first_name: null,
		last_name: null,
		phone: null,
		has_account: 0,
		password_hash: null,
		role: 'customer' as CustomerRole,
		billing_address_id: null,
		...changeColumns(fields),
		created_at: at,
		updated_at: at,
	};
	await db.insertInto('customer').values(row).execute();
	return toCustomer(row);
}

/** Changes the given fields of a customer (and `updated_at`). */
export async function updateCustomer(db: Db, id: string, change: CustomerChange, at: string): Promise<void> {
	await db
		.updateTable('customer')
		.set({ ...changeColumns(change), updated_at: at })
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

/** An emailed password-reset link, stored as the SHA-256 of its token. */
export interface PasswordResetToken {
	tokenHash: string;
	customerId: string;
	expiresAt: string;
	usedAt: string | null;
	createdAt: string;
}

export async function insertResetToken(db: Db, token: Omit<PasswordResetToken, 'usedAt'>): Promise<void> {
	await db
		.insertInto('password_reset_token')
		.values({
			token_hash: token.tokenHash,
			customer_id: token.customerId,
			expires_at: token.expiresAt,
			used_at: null,
			created_at: token.createdAt,
		})
		.execute();
}

export async function findResetToken(db: Db, tokenHash: string): Promise<PasswordResetToken | undefined> {
	const row = await db
		.selectFrom('password_reset_token')
		.selectAll()
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
	return (
		row && {
			tokenHash: row.token_hash,
			customerId: row.customer_id,
			expiresAt: row.expires_at,
			usedAt: row.used_at,
			createdAt: row.created_at,
		}
	);
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

/** A customer with how many orders they placed (with their account), for the admin list. */
export interface CustomerWithOrderCount extends Customer {
	orderCount: number;
}

/**
 * Customers (guests included) whose email or name contains `q` (literally, ignoring case), newest first, with the
 * number of their orders; `count` is the number of matches.
 */
export async function listCustomersWithOrderCounts(
	db: Db,
	query: { q?: string; limit: number; offset: number },
): Promise<{ customers: CustomerWithOrderCount[]; count: number }> {
	let base = db.selectFrom('customer as c');
	const q = query.q?.trim().toLowerCase();
	if (q) {
		// Not LIKE: matched literally.
		base = base.where((eb) =>
			eb.or([
				containsLiterally(db, sql.ref('c.email'), q),
				containsLiterally(db, sql`lower(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))`, q),
			]),
		);
	}
	const [rows, total] = await Promise.all([
		base
			.select(CUSTOMER_COLUMNS.map((column) => `c.${column}` as const))
			.select((eb) =>
				eb
					.selectFrom('orders as o')
					.select((e) => e.fn.countAll<number>().as('n'))
					.whereRef('o.customer_id', '=', 'c.id')
					.as('order_count'),
			)
			.orderBy('c.created_at', 'desc')
			.limit(query.limit)
			.offset(query.offset)
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
	]);
	return {
		customers: rows.map((row) => ({ ...toCustomer(row), orderCount: Number(row.order_count ?? 0) })),
		count: Number(total.n),
	};
}

/** Orders placed by the customer or, as a guest, with their email; newest first. */
export async function listOrdersOfCustomer(db: Db, customer: Pick<Customer, 'id' | 'email'>): Promise<Order[]> {
	const rows = await db
		.selectFrom('orders')
		.selectAll()
		.where((eb) => eb.or([eb('customer_id', '=', customer.id), eb('email', '=', customer.email)]))
		.orderBy('created_at', 'desc')
		.execute();
	return rows.map(toOrder);
}

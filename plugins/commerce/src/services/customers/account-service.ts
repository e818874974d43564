import type { Kysely } from 'kysely';
import {
	type CustomerAuth,
	type CustomerRecord,
	endAllSessions,
	hashPassword,
	needsRehash,
	passwordAttempts,
	passwordProblem,
	verifyAgainstNothing,
	verifyPassword,
} from '../../auth/index.ts';
import { newId } from '../../db/ids.ts';
import { type AddressFields, findAddress, saveAddress } from '../../db/repositories/cart-repository.ts';
import {
	countCustomerAddresses,
	deleteCustomerAddress,
	findCustomerAddress,
	findCustomerByEmail,
	findCustomerById,
	insertCustomer,
	insertCustomerAddress,
	listCustomerAddresses,
	updateCustomerAddress,
	updateCustomerRow,
	withoutPassword,
} from '../../db/repositories/customer-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { Address, Database } from '../../db/types.ts';
import type { Mailer } from '../../email/index.ts';
import { invalidData, notAllowed, notFound, StoreError } from '../../http/store-error.ts';
import type { ResolvedOptions } from '../../options.ts';
import { sendSecurityNotice } from './account-emails.ts';

type Db = Kysely<Database>;

/** What the account use cases need. */
export interface AccountDeps {
	db: Db;
	options: ResolvedOptions;
	mailer: Mailer;
	now?: () => Date;
}

/** A customer with the addresses the Store API shows. */
export interface CustomerView {
	customer: CustomerRecord;
	billingAddress: Address | undefined;
	shippingAddresses: Address[];
}

/** The most saved addresses one customer may keep. */
export const MAX_SAVED_ADDRESSES = 20;

const clock = (deps: Pick<AccountDeps, 'now'>) => deps.now?.() ?? new Date();

export async function loadCustomerView(db: Db, customerId: string): Promise<CustomerView> {
	const row = await findCustomerById(db, customerId);
	if (!row)
		throw new StoreError('unauthorized', 'You are not logged in, or your session has expired. Log in and try again.');
	const customer = withoutPassword(row);
	const [billingAddress, shippingAddresses] = await Promise.all([
		findAddress(db, customer.billing_address_id),
		listCustomerAddresses(db, customer.id),
	]);
	return { customer, billingAddress, shippingAddresses };
}

export interface Registration {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
	phone?: string | null;
}

/**
 * Creates an account, or upgrades a guest customer with the same email (contract §3.8). Upgrading never attaches the
 * guest's past orders: whoever registers has not proven they own the address (that is the emailed order claim).
 */
export async function registerCustomer(deps: AccountDeps, input: Registration): Promise<CustomerRecord> {
	const problem = passwordProblem(input.password);
	if (problem) throw invalidData(problem, 'weak_password');
	const passwordHash = await hashPassword(input.password);
	const at = clock(deps).toISOString();
	const email = input.email.trim().toLowerCase();
	return writeTransaction(deps.db, async (trx) => {
		const existing = await findCustomerByEmail(trx, email);
		if (existing?.has_account) {
			throw new StoreError(
				'duplicate_error',
				'A customer with the given email already has an account. Log in instead',
				'invalid_request_error',
			);
		}
		const fields = {
			first_name: input.firstName,
			last_name: input.lastName,
			phone: input.phone ?? existing?.phone ?? null,
			has_account: 1,
			password_hash: passwordHash,
		};
		if (existing) {
			await updateCustomerRow(trx, existing.id, fields, at);
			return withoutPassword({ ...existing, ...fields, updated_at: at });
		}
		const row = {
			id: newId('cus'),
			email,
			...fields,
			role: 'customer' as const,
			billing_address_id: null,
			created_at: at,
			updated_at: at,
		};
		await insertCustomer(trx, row);
		return withoutPassword(row);
	});
}

/**
 * The registered customer with this email and password, or null. Unknown emails cost the same work as wrong passwords,
 * so timing does not tell them apart. A hash made with weaker parameters is upgraded on success.
 */
export async function authenticate(db: Db, email: string, password: string): Promise<CustomerRecord | null> {
	const row = await findCustomerByEmail(db, email);
	if (!row?.has_account || !row.password_hash) return verifyAgainstNothing(password).then(() => null);
	if (!(await verifyPassword(row.password_hash, password))) return null;
	if (needsRehash(row.password_hash)) {
		await updateCustomerRow(db, row.id, { password_hash: await hashPassword(password) }, new Date().toISOString());
	}
	return withoutPassword(row);
}

export interface ProfileChange {
	firstName?: string;
	lastName?: string;
	phone?: string | null;
	/** New billing address fields, or the id of one of the customer's saved addresses to copy. */
	billingAddress?: Partial<AddressFields> | string;
	email?: string;
	password?: string;
	/** The current password; required when `email` or `password` changes. */
	oldPassword?: string;
}

/**
 * Updates the profile. A new email or password needs the current password (checked with the sign-in limits: wrong →
 * 401, too many → 429) and, in the same transaction, ends every other session (the caller's bearer token survives; a
 * cookie caller gets a new session from the route). The previous address is told about an email change, the account
 * about a password change.
 */
export async function updateProfile(
	deps: AccountDeps,
	auth: CustomerAuth,
	change: ProfileChange,
	context: { clientAddress: string | undefined; origin: string },
): Promise<{ customer: CustomerRecord; credentialsChanged: boolean }> {
	const row = await findCustomerById(deps.db, auth.customer.id);
	if (!row?.password_hash)
		throw new StoreError('unauthorized', 'You are not logged in, or your session has expired. Log in and try again.');
	const newEmail =
		change.email !== undefined && change.email.trim().toLowerCase() !== row.email
			? change.email.trim().toLowerCase()
			: undefined;
	const newPassword = change.password;
	let passwordHash: string | undefined;
	if (newEmail !== undefined || newPassword !== undefined) {
		if (!change.oldPassword) {
			throw invalidData(
				'old_password is required to change your email or password: send your current password as old_password.',
				'old_password_required',
			);
		}
		passwordAttempts.assertAllowed(context.clientAddress, row.email);
		if (!(await verifyPassword(row.password_hash, change.oldPassword))) {
			passwordAttempts.failed(context.clientAddress, row.email);
			throw new StoreError('unauthorized', 'The current password is incorrect.', 'invalid_old_password');
		}
		passwordAttempts.succeeded(row.email);
		if (newPassword !== undefined) {
			const problem = passwordProblem(newPassword);
			if (problem) throw invalidData(problem, 'weak_password');
			passwordHash = await hashPassword(newPassword);
		}
	}
	const at = clock(deps).toISOString();
	const credentialsChanged = newEmail !== undefined || passwordHash !== undefined;
	await writeTransaction(deps.db, async (trx) => {
		const fields: Parameters<typeof updateCustomerRow>[2] = {};
		if (change.firstName !== undefined) fields.first_name = change.firstName;
		if (change.lastName !== undefined) fields.last_name = change.lastName;
		if (change.phone !== undefined) fields.phone = change.phone;
		if (newEmail !== undefined) {
			if (await findCustomerByEmail(trx, newEmail)) {
				throw new StoreError(
					'duplicate_error',
					'A customer with the given email already exists. Use another address.',
					'invalid_request_error',
				);
			}
			fields.email = newEmail;
			// Open carts follow the account, so confirmations go to the new address.
			await trx
				.updateTable('cart')
				.set({ email: newEmail, updated_at: at })
				.where('customer_id', '=', row.id)
				.where('completed_at', 'is', null)
				.execute();
		}
		if (passwordHash !== undefined) fields.password_hash = passwordHash;
		if (change.billingAddress !== undefined)
			fields.billing_address_id = await saveBillingAddress(
				trx,
				row.id,
				row.billing_address_id,
				change.billingAddress,
				at,
			);
		await updateCustomerRow(trx, row.id, fields, at);
		if (credentialsChanged)
			await endAllSessions(trx, row.id, auth.session.kind === 'bearer' ? auth.session.id : undefined);
	});
	const updated = withoutPassword((await findCustomerById(deps.db, row.id))!);
	if (newEmail !== undefined)
		sendSecurityNotice(deps, {
			to: row.email,
			firstName: row.first_name,
			change: 'email',
			newEmail,
			origin: context.origin,
		});
	if (passwordHash !== undefined)
		sendSecurityNotice(deps, {
			to: updated.email,
			firstName: updated.first_name,
			change: 'password',
			origin: context.origin,
		});
	return { customer: updated, credentialsChanged };
}

async function saveBillingAddress(
	trx: Db,
	customerId: string,
	currentId: string | null,
	input: Partial<AddressFields> | string,
	at: string,
): Promise<string> {
	let fields: Partial<AddressFields>;
	if (typeof input === 'string') {
		const saved = await findCustomerAddress(trx, customerId, input);
		if (!saved) throw notFound(`Address with id ${input} was not found`);
		const { id: _id, customer_id: _customer, created_at: _created, updated_at: _updated, ...copy } = saved;
		fields = copy;
	} else {
		fields = input;
	}
	// The billing row is the customer's own copy (customer_id stays null so it is not listed as a shipping address).
	return saveAddress(trx, currentId, fields, at);
}

/** Saves a new address in the address book (contract `AddressCreatePayload`). */
export async function addAddress(deps: AccountDeps, customerId: string, fields: Partial<AddressFields>): Promise<void> {
	const at = clock(deps).toISOString();
	await writeTransaction(deps.db, async (trx) => {
		if ((await countCustomerAddresses(trx, customerId)) >= MAX_SAVED_ADDRESSES) {
			throw notAllowed(
				`An address book holds at most ${MAX_SAVED_ADDRESSES} addresses. Delete one first.`,
				'address_limit',
			);
		}
		await insertCustomerAddress(trx, customerId, fields, at);
	});
}

/** Changes one of the caller's saved addresses; another customer's id is "not found". */
export async function updateAddress(
	deps: AccountDeps,
	customerId: string,
	addressId: string,
	fields: Partial<AddressFields>,
): Promise<void> {
	const updated = await writeTransaction(deps.db, (trx) =>
		updateCustomerAddress(trx, customerId, addressId, fields, clock(deps).toISOString()),
	);
	if (!updated) throw notFound(`Address with id ${addressId} was not found`);
}

/** Deletes one of the caller's saved addresses; another customer's id is "not found". */
export async function deleteAddress(deps: AccountDeps, customerId: string, addressId: string): Promise<void> {
	const deleted = await writeTransaction(deps.db, (trx) => deleteCustomerAddress(trx, customerId, addressId));
	if (!deleted) throw notFound(`Address with id ${addressId} was not found`);
}

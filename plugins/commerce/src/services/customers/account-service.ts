import type { Kysely } from 'kysely';
import {
	CUSTOMER_PASSWORD_MIN_LENGTH,
	type CustomerAuth,
	endAllSessions,
	hashPassword,
	needsRehash,
	passwordAttempts,
	passwordProblem,
	verifyAgainstNothing,
	verifyPassword,
} from '../../auth/index.ts';
import { conflict, duplicate, invalid, notAllowed, notFound, unauthorized } from '../../core/errors.ts';
import {
	type AddressFields,
	findAddress,
	saveAddress,
	setOpenCartsEmail,
} from '../../db/repositories/cart-repository.ts';
import {
	type Customer,
	type CustomerChange,
	type CustomerOrderFilter,
	countCustomerAddresses,
	deleteCustomerAddress,
	findCredentialsByEmail,
	findCredentialsById,
	findCustomerAddress,
	findCustomerByEmail,
	findCustomerById,
	insertCustomer,
	insertCustomerAddress,
	listCustomerAddresses,
	listCustomerOrderIds,
	updateCustomer,
	updateCustomerAddress,
} from '../../db/repositories/customer-repository.ts';
import { clearPasswordProof, findPasswordProof, recordPasswordProof } from '../../db/repositories/reauth-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { Address, Database } from '../../db/types.ts';
import type { Mailer } from '../../email/index.ts';
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
	customer: Customer;
	billingAddress: Address | undefined;
	shippingAddresses: Address[];
}

/** The most saved addresses one customer may keep. */
export const MAX_SAVED_ADDRESSES = 20;

const clock = (deps: Pick<AccountDeps, 'now'>) => deps.now?.() ?? new Date();

const signedOut = () => unauthorized('You are not logged in, or your session has expired. Log in and try again.');

export async function loadCustomerView(db: Db, customerId: string): Promise<CustomerView> {
	const customer = await findCustomerById(db, customerId);
	if (!customer) throw signedOut();
	const [billingAddress, shippingAddresses] = await Promise.all([
		findAddress(db, customer.billingAddressId),
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
export async function registerCustomer(deps: AccountDeps, input: Registration): Promise<Customer> {
	const problem = passwordProblem(input.password, CUSTOMER_PASSWORD_MIN_LENGTH);
	if (problem) throw invalid(problem, 'weak_password');
	const passwordHash = await hashPassword(input.password);
	const at = clock(deps).toISOString();
	const email = input.email.trim().toLowerCase();
	return writeTransaction(deps.db, async (trx) => {
		const existing = await findCustomerByEmail(trx, email);
		if (existing?.hasAccount) {
			throw duplicate(
				'A customer with the given email already has an account. Log in instead',
				'invalid_request_error',
			);
		}
		const profile = {
			firstName: input.firstName,
			lastName: input.lastName,
			phone: input.phone ?? existing?.phone ?? null,
			hasAccount: true,
		};
		if (!existing) return insertCustomer(trx, { email, ...profile, passwordHash, role: 'customer' }, at);
		await updateCustomer(trx, existing.id, { ...profile, passwordHash }, at);
		return { ...existing, ...profile, updatedAt: at };
	});
}

/**
 * The registered customer with this email and password, or null. Unknown emails cost the same work as wrong passwords,
 * so timing does not tell them apart. A hash made with weaker parameters is upgraded on success.
 */
export async function authenticate(db: Db, email: string, password: string): Promise<Customer | null> {
	const found = await findCredentialsByEmail(db, email);
	if (!found?.customer.hasAccount || !found.passwordHash) return verifyAgainstNothing(password).then(() => null);
	if (!(await verifyPassword(found.passwordHash, password))) return null;
	if (needsRehash(found.passwordHash)) {
		await updateCustomer(
			db,
			found.customer.id,
			{ passwordHash: await hashPassword(password) },
			new Date().toISOString(),
		);
	}
	return found.customer;
}

/** How long a sign-in with the password stands in for `old_password` (Medusa storefronts re-authenticate first). */
export const PASSWORD_PROOF_MS = 5 * 60 * 1000;

/**
 * Records that the customer just proved their password (`POST /auth`, `POST /auth/token`) from this client address.
 * A Medusa storefront changes the password by signing in with the old one and then sending only `{ password }`.
 */
export async function notePasswordProof(
	deps: Pick<AccountDeps, 'db' | 'now'>,
	customerId: string,
	clientAddress: string | undefined,
): Promise<void> {
	await recordPasswordProof(deps.db, customerId, clientAddress ?? null, clock(deps).toISOString());
}

/** A password proof from the last 5 minutes, made from the same client address as this request. */
async function hasFreshPasswordProof(
	deps: Pick<AccountDeps, 'db' | 'now'>,
	customerId: string,
	clientAddress: string | undefined,
): Promise<boolean> {
	const proof = await findPasswordProof(deps.db, customerId);
	if (!proof || proof.clientAddress !== (clientAddress ?? null)) return false;
	const age = clock(deps).getTime() - new Date(proof.verifiedAt).getTime();
	return age >= 0 && age <= PASSWORD_PROOF_MS;
}

export interface ProfileChange {
	firstName?: string;
	lastName?: string;
	phone?: string | null;
	/** New billing address fields, or the id of one of the customer's saved addresses to copy. */
	billingAddress?: Partial<AddressFields> | string;
	email?: string;
	password?: string;
	/** The current password; required when `email` or `password` changes, unless the caller just signed in with it. */
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
): Promise<{ customer: Customer; credentialsChanged: boolean }> {
	const found = await findCredentialsById(deps.db, auth.customer.id);
	if (!found?.passwordHash) throw signedOut();
	const { customer: row, passwordHash: currentHash } = found;
	const newEmail =
		change.email !== undefined && change.email.trim().toLowerCase() !== row.email
			? change.email.trim().toLowerCase()
			: undefined;
	const newPassword = change.password;
	let passwordHash: string | undefined;
	if (newEmail !== undefined || newPassword !== undefined) {
		if (!change.oldPassword) {
			if (!(await hasFreshPasswordProof(deps, row.id, context.clientAddress))) {
				throw invalid(
					'old_password is required to change your email or password: send your current password as old_password.',
					'old_password_required',
				);
			}
		} else {
			await passwordAttempts.assertAllowed(context.clientAddress, row.email);
			if (!(await verifyPassword(currentHash, change.oldPassword))) {
				await passwordAttempts.failed(context.clientAddress, row.email);
				throw unauthorized('The current password is incorrect.', 'invalid_old_password');
			}
			await passwordAttempts.succeeded(context.clientAddress, row.email);
		}
		if (newPassword !== undefined) {
			const problem = passwordProblem(newPassword, CUSTOMER_PASSWORD_MIN_LENGTH);
			if (problem) throw invalid(problem, 'weak_password');
			passwordHash = await hashPassword(newPassword);
		}
	}
	const at = clock(deps).toISOString();
	const credentialsChanged = newEmail !== undefined || passwordHash !== undefined;
	await writeTransaction(deps.db, async (trx) => {
		const fields: CustomerChange = {};
		if (change.firstName !== undefined) fields.firstName = change.firstName;
		if (change.lastName !== undefined) fields.lastName = change.lastName;
		if (change.phone !== undefined) fields.phone = change.phone;
		if (newEmail !== undefined) {
			if (await findCustomerByEmail(trx, newEmail)) {
				throw duplicate(
					'A customer with the given email already exists. Use another address.',
					'invalid_request_error',
				);
			}
			fields.email = newEmail;
			// Open carts follow the account, so confirmations go to the new address.
			await setOpenCartsEmail(trx, row.id, newEmail, at);
		}
		if (passwordHash !== undefined) fields.passwordHash = passwordHash;
		if (change.billingAddress !== undefined)
			fields.billingAddressId = await saveBillingAddress(trx, row.id, row.billingAddressId, change.billingAddress, at);
		await updateCustomer(trx, row.id, fields, at);
		if (credentialsChanged) {
			await endAllSessions(trx, row.id, auth.session.kind === 'bearer' ? auth.session.id : undefined);
			await clearPasswordProof(trx, row.id);
		}
	});
	const updated = await findCustomerById(deps.db, row.id);
	if (!updated) throw conflict('The account was deleted while it was being changed.');
	if (newEmail !== undefined)
		sendSecurityNotice(deps, {
			to: row.email,
			firstName: row.firstName,
			change: 'email',
			newEmail,
			origin: context.origin,
		});
	if (passwordHash !== undefined)
		sendSecurityNotice(deps, {
			to: updated.email,
			firstName: updated.firstName,
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

/** A page of the customer's own order ids, newest first, with the total count (never another customer's). */
export async function listOwnOrderIds(
	db: Db,
	customerId: string,
	filter: CustomerOrderFilter,
): Promise<{ ids: string[]; count: number }> {
	return listCustomerOrderIds(db, customerId, filter);
}

import type { Kysely } from 'kysely';
import type { AuthSessionKind, Database } from '../types.ts';
import { type Customer, toCustomer } from './customer-repository.ts';

type Db = Kysely<Database>;

/** A stored session: `id` is the SHA-256 of the token the client holds (never the token). */
export interface StoredSession {
	id: string;
	customerId: string;
	/** ISO-8601. */
	expiresAt: string;
	kind: AuthSessionKind;
}

/**
 * A session and its owner, when the owner is a registered customer (`has_account = 1`); a session of anyone else
 * comes back with `customer: null`, so it opens nothing. One query: this runs on every authenticated request.
 */
export async function findSessionWithCustomer(
	db: Db,
	sessionId: string,
): Promise<{ session: StoredSession; customer: Customer | null } | undefined> {
	const row = await db
		.selectFrom('auth_session as s')
		.leftJoin('customer as c', (join) => join.onRef('c.id', '=', 's.user_id').on('c.has_account', '=', 1))
		.select([
			's.id as session_id',
			's.user_id',
			's.expires_at as session_expires_at',
			's.kind',
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
		])
		.where('s.id', '=', sessionId)
		.executeTakeFirst();
	if (!row) return undefined;
	const session: StoredSession = {
		id: row.session_id,
		customerId: row.user_id,
		expiresAt: row.session_expires_at,
		kind: row.kind,
	};
	const { id, email, has_account, role, created_at, updated_at } = row;
	if (!id || !email || has_account === null || !role || !created_at || !updated_at) return { session, customer: null };
	return {
		session,
		customer: toCustomer({ ...row, id, email, has_account, role, created_at, updated_at }),
	};
}

/** Every stored session of a customer, expired ones included. */
export async function listCustomerSessions(db: Db, customerId: string): Promise<StoredSession[]> {
	const rows = await db
		.selectFrom('auth_session')
		.select(['id', 'user_id', 'expires_at', 'kind'])
		.where('user_id', '=', customerId)
		.execute();
	return rows.map((r) => ({ id: r.id, customerId: r.user_id, expiresAt: r.expires_at, kind: r.kind }));
}

export async function insertSession(db: Db, session: StoredSession, at: string): Promise<void> {
	await db
		.insertInto('auth_session')
		.values({
			id: session.id,
			user_id: session.customerId,
			expires_at: session.expiresAt,
			kind: session.kind,
			created_at: at,
		})
		.execute();
}

/** Moves the expiry of a cookie session; bearer sessions never slide, so they are left as they are. */
export async function extendCookieSession(db: Db, sessionId: string, expiresAt: string): Promise<void> {
	await db
		.updateTable('auth_session')
		.set({ expires_at: expiresAt })
		.where('id', '=', sessionId)
		.where('kind', '=', 'cookie')
		.execute();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
	await db.deleteFrom('auth_session').where('id', '=', sessionId).execute();
}

export async function deleteCustomerSessions(db: Db, customerId: string): Promise<void> {
	await db.deleteFrom('auth_session').where('user_id', '=', customerId).execute();
}

/** Deletes sessions that expired at or before `at`. */
export async function deleteExpiredSessions(db: Db, at: string): Promise<void> {
	await db.deleteFrom('auth_session').where('expires_at', '<=', at).execute();
}

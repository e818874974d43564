import type { Kysely } from 'kysely';
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type { AuthSessionKind, Customer, Database } from '../db/types.ts';

/** A customer as the rest of the code sees it: the password hash never leaves the auth module's queries. */
export type CustomerRecord = Omit<Customer, 'password_hash'>;

/**
 * Lucia's storage interface over our Kysely database: plain portable SQL (ISO-8601 text timestamps, no SQLite-only
 * syntax), so it runs unchanged on PostgreSQL. Two rules of ours live here:
 * - only registered customers (`has_account = 1`) own sessions: a session of anyone else resolves to no user, and
 *   Lucia then deletes it;
 * - bearer sessions never slide: `updateSessionExpiration` only extends cookie sessions, so a token dies 24 h after
 *   it was issued however often it is used.
 */
export class KyselySessionAdapter implements Adapter {
	constructor(private readonly db: Kysely<Database>) {}

	async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
		const row = await this.db
			.selectFrom('auth_session as s')
			.leftJoin('customer as c', (join) => join.onRef('c.id', '=', 's.user_id').on('c.has_account', '=', 1))
			.select([
				's.id as session_id',
				's.user_id',
				's.expires_at',
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
		if (!row) return [null, null];
		const session = toDatabaseSession({
			id: row.session_id,
			user_id: row.user_id,
			expires_at: row.expires_at,
			kind: row.kind,
		});
		if (!row.id || !row.email) return [session, null];
		const customer: CustomerRecord = {
			id: row.id,
			email: row.email,
			first_name: row.first_name,
			last_name: row.last_name,
			phone: row.phone,
			has_account: row.has_account ?? 0,
			role: row.role ?? 'customer',
			billing_address_id: row.billing_address_id,
			created_at: row.created_at ?? '',
			updated_at: row.updated_at ?? '',
		};
		return [session, { id: customer.id, attributes: { customer } }];
	}

	async getUserSessions(userId: string): Promise<DatabaseSession[]> {
		const rows = await this.db
			.selectFrom('auth_session')
			.select(['id', 'user_id', 'expires_at', 'kind'])
			.where('user_id', '=', userId)
			.execute();
		return rows.map(toDatabaseSession);
	}

	async setSession(session: DatabaseSession): Promise<void> {
		await this.db
			.insertInto('auth_session')
			.values({
				id: session.id,
				user_id: session.userId,
				expires_at: session.expiresAt.toISOString(),
				kind: session.attributes.kind,
				created_at: new Date().toISOString(),
			})
			.execute();
	}

	async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
		await this.db
			.updateTable('auth_session')
			.set({ expires_at: expiresAt.toISOString() })
			.where('id', '=', sessionId)
			.where('kind', '=', 'cookie')
			.execute();
	}

	async deleteSession(sessionId: string): Promise<void> {
		await this.db.deleteFrom('auth_session').where('id', '=', sessionId).execute();
	}

	async deleteUserSessions(userId: string): Promise<void> {
		await this.db.deleteFrom('auth_session').where('user_id', '=', userId).execute();
	}

	async deleteExpiredSessions(): Promise<void> {
		await this.db.deleteFrom('auth_session').where('expires_at', '<=', new Date().toISOString()).execute();
	}
}

function toDatabaseSession(row: {
	id: string;
	user_id: string;
	expires_at: string;
	kind: AuthSessionKind;
}): DatabaseSession {
	return { id: row.id, userId: row.user_id, expiresAt: new Date(row.expires_at), attributes: { kind: row.kind } };
}

import type { Kysely } from 'kysely';
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import {
	deleteCustomerSessions,
	deleteExpiredSessions,
	deleteSession,
	extendCookieSession,
	findSessionWithCustomer,
	insertSession,
	listCustomerSessions,
	type StoredSession,
} from '../db/repositories/session-repository.ts';
import type { Database } from '../db/types.ts';

/**
 * Lucia's storage interface over our session repository (portable SQL, so it runs unchanged on PostgreSQL). Two rules
 * of ours live in the repository it calls:
 * - only registered customers (`has_account = 1`) own sessions: a session of anyone else resolves to no user, and
 *   Lucia then deletes it;
 * - bearer sessions never slide: only cookie sessions are extended, so a token dies 24 h after it was issued however
 *   often it is used.
 */
export class SessionAdapter implements Adapter {
	constructor(private readonly db: Kysely<Database>) {}

	async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
		const found = await findSessionWithCustomer(this.db, sessionId);
		if (!found) return [null, null];
		const session = toDatabaseSession(found.session);
		if (!found.customer) return [session, null];
		return [session, { id: found.customer.id, attributes: { customer: found.customer } }];
	}

	async getUserSessions(userId: string): Promise<DatabaseSession[]> {
		return (await listCustomerSessions(this.db, userId)).map(toDatabaseSession);
	}

	async setSession(session: DatabaseSession): Promise<void> {
		await insertSession(
			this.db,
			{
				id: session.id,
				customerId: session.userId,
				expiresAt: session.expiresAt.toISOString(),
				kind: session.attributes.kind,
			},
			new Date().toISOString(),
		);
	}

	async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
		await extendCookieSession(this.db, sessionId, expiresAt.toISOString());
	}

	async deleteSession(sessionId: string): Promise<void> {
		await deleteSession(this.db, sessionId);
	}

	async deleteUserSessions(userId: string): Promise<void> {
		await deleteCustomerSessions(this.db, userId);
	}

	async deleteExpiredSessions(): Promise<void> {
		await deleteExpiredSessions(this.db, new Date().toISOString());
	}
}

function toDatabaseSession(session: StoredSession): DatabaseSession {
	return {
		id: session.id,
		userId: session.customerId,
		expiresAt: new Date(session.expiresAt),
		attributes: { kind: session.kind },
	};
}

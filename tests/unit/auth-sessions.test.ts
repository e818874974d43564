import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionAdapter } from '../../plugins/commerce/src/auth/session-adapter.ts';
import {
	createSession,
	invalidateCustomerSessions,
	validateSession,
} from '../../plugins/commerce/src/auth/sessions.ts';
import { hashToken } from '../../plugins/commerce/src/auth/tokens.ts';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// The session adapter against Lucia's Adapter contract, and the session rules built on it, on a real SQLite database.

let testDb: TestDatabase;
let db: CommerceDb;

async function customer(id: string, hasAccount = 1) {
	const at = new Date().toISOString();
	await db
		.insertInto('customer')
		.values({
			id,
			email: `${id}@example.com`,
			first_name: 'T',
			last_name: 'C',
			phone: null,
			has_account: hasAccount,
			password_hash: hasAccount ? 'scrypt$x' : null,
			billing_address_id: null,
			created_at: at,
			updated_at: at,
		})
		.execute();
}

beforeEach(async () => {
	testDb = await createTestDatabase('sessions');
	db = testDb.db;
	await customer('cus_a');
	await customer('cus_b');
});
afterEach(async () => {
	await testDb.destroy();
});

describe('SessionAdapter (Lucia Adapter contract)', () => {
	it('stores, reads, extends and deletes sessions', async () => {
		const adapter = new SessionAdapter(db);
		const expiresAt = new Date(Date.now() + 60_000);
		await adapter.setSession({ id: 's1', userId: 'cus_a', expiresAt, attributes: { kind: 'cookie' } });
		await adapter.setSession({ id: 's2', userId: 'cus_a', expiresAt, attributes: { kind: 'bearer' } });
		await adapter.setSession({
			id: 's3',
			userId: 'cus_b',
			expiresAt: new Date(Date.now() - 1000),
			attributes: { kind: 'cookie' },
		});

		const [session, user] = await adapter.getSessionAndUser('s1');
		expect(session).toEqual({ id: 's1', userId: 'cus_a', expiresAt, attributes: { kind: 'cookie' } });
		expect(user?.id).toBe('cus_a');
		expect(user?.attributes.customer).toMatchObject({ email: 'cus_a@example.com', role: 'customer' });
		expect(user?.attributes.customer).not.toHaveProperty('password_hash');
		expect(await adapter.getSessionAndUser('nope')).toEqual([null, null]);
		expect((await adapter.getUserSessions('cus_a')).map((s) => s.id).sort()).toEqual(['s1', 's2']);

		const later = new Date(Date.now() + 120_000);
		await adapter.updateSessionExpiration('s1', later);
		await adapter.updateSessionExpiration('s2', later);
		expect((await adapter.getSessionAndUser('s1'))[0]?.expiresAt).toEqual(later);
		expect((await adapter.getSessionAndUser('s2'))[0]?.expiresAt).toEqual(expiresAt); // bearer sessions never slide

		await adapter.deleteExpiredSessions();
		expect(await adapter.getSessionAndUser('s3')).toEqual([null, null]);
		await adapter.deleteSession('s2');
		expect((await adapter.getUserSessions('cus_a')).map((s) => s.id)).toEqual(['s1']);
		await adapter.deleteUserSessions('cus_a');
		expect(await adapter.getUserSessions('cus_a')).toEqual([]);
	});

	it('gives no user for a customer without an account', async () => {
		await customer('cus_guest', 0);
		const adapter = new SessionAdapter(db);
		await adapter.setSession({
			id: 'g1',
			userId: 'cus_guest',
			expiresAt: new Date(Date.now() + 60_000),
			attributes: { kind: 'cookie' },
		});
		const [session, user] = await adapter.getSessionAndUser('g1');
		expect(session?.id).toBe('g1');
		expect(user).toBeNull();
	});
});

describe('sessions', () => {
	it('stores only the hash of the token and validates by kind', async () => {
		const { token } = await createSession(db, 'cus_a', 'cookie');
		const rows = await db.selectFrom('auth_session').selectAll().execute();
		expect(rows).toHaveLength(1);
		expect(rows[0].id).toBe(hashToken(token));
		expect(rows[0].id).not.toBe(token);
		expect(await validateSession(db, token, 'cookie')).toMatchObject({
			customer: { id: 'cus_a' },
			session: { kind: 'cookie' },
		});
		expect(await validateSession(db, token, 'bearer')).toBeNull();
		expect(await validateSession(db, rows[0].id, 'cookie')).toBeNull(); // the stored id is not a token
	});

	it('slides a cookie session used in the second half of its life', async () => {
		const { token } = await createSession(db, 'cus_a', 'cookie');
		expect((await validateSession(db, token, 'cookie'))?.extended).toBe(false);
		await db
			.updateTable('auth_session')
			.set({ expires_at: new Date(Date.now() + 3600_000).toISOString() })
			.execute();
		const valid = await validateSession(db, token, 'cookie');
		expect(valid?.extended).toBe(true);
		expect(valid!.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * 24 * 3600_000);
	});

	it('ends all sessions of a customer, or all but one', async () => {
		const keep = await createSession(db, 'cus_a', 'bearer');
		const other = await createSession(db, 'cus_a', 'cookie');
		const foreign = await createSession(db, 'cus_b', 'cookie');
		await invalidateCustomerSessions(db, 'cus_a', hashToken(keep.token));
		expect(await validateSession(db, keep.token, 'bearer')).not.toBeNull();
		expect(await validateSession(db, other.token, 'cookie')).toBeNull();
		expect(await validateSession(db, foreign.token, 'cookie')).not.toBeNull();
		await invalidateCustomerSessions(db, 'cus_a');
		expect(await validateSession(db, keep.token, 'bearer')).toBeNull();
	});
});

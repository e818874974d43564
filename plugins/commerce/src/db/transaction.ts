import { CompiledQuery, type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { databaseDialect } from './dialect.ts';
import type { Database } from './types.ts';

// SQLite and PostgreSQL keep concurrent writers apart differently; this module is where that difference lives.
// SQLite: `BEGIN IMMEDIATE` takes the database's one write lock up front, so a write transaction never interleaves
// with another (a second process waits, busy_timeout). PostgreSQL: many transactions run at once (READ COMMITTED);
// conditional UPDATEs (stock, coupon usage) are re-checked against the latest committed row after a lock wait, and
// read-then-write use cases lock the row they depend on first (`forUpdate`). A deadlock or serialization failure is
// retried with the whole `work` function, which therefore must not have effects outside the database.

/** SQLSTATEs after which PostgreSQL rolled the transaction back and running it again is the right answer. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * Runs `work` in a write transaction. Never await network calls (payment providers, SMTP) inside `work`, and keep it
 * free of side effects outside the database: on PostgreSQL it may run again after a deadlock.
 */
export async function writeTransaction<T>(
	db: Kysely<Database>,
	work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
	if (databaseDialect(db) !== 'postgres') return runTransaction(db, 'begin immediate', work);
	for (let attempt = 1; ; attempt++) {
		try {
			return await runTransaction(db, 'begin', work);
		} catch (error) {
			const code = (error as { code?: unknown }).code;
			if (attempt >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
			await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
		}
	}
}

// Transaction control runs with every write: its statements are fixed texts, passed to the driver as they are (no
// builder, no compiler per call).
const control = (text: string) => () => CompiledQuery.raw(text);
const COMMIT = control('commit');
const ROLLBACK = control('rollback');

// One pooled connection for the whole transaction, with explicit statements (the same on both engines, and visible
// to query logging).
function runTransaction<T>(
	db: Kysely<Database>,
	begin: 'begin' | 'begin immediate',
	work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
	return db.connection().execute(async (conn) => {
		await conn.executeQuery(CompiledQuery.raw(begin));
		try {
			const result = await work(conn);
			await conn.executeQuery(COMMIT());
			return result;
		} catch (error) {
			await conn.executeQuery(ROLLBACK());
			throw error;
		}
	});
}

const SAVEPOINT = control('savepoint commerce_optional');
const RELEASE = control('release savepoint commerce_optional');
const ROLLBACK_TO = control('rollback to savepoint commerce_optional');

/**
 * Runs optional writes inside the caller's transaction (`trx`, from `writeTransaction`) under a savepoint: when `work`
 * throws, only its own writes are undone and the error is returned, the transaction goes on and commits the rest. For
 * writes that must never fail the use case around them (a checkout's analytics) yet should cost no transaction of
 * their own. Not nested: `work` may not call it again. If undoing fails too (the connection is gone), that error is
 * thrown: the transaction itself is lost then.
 */
export async function optionalWrites(trx: Kysely<Database>, work: () => Promise<unknown>): Promise<Error | null> {
	await trx.executeQuery(SAVEPOINT());
	try {
		await work();
	} catch (error) {
		await trx.executeQuery(ROLLBACK_TO());
		await trx.executeQuery(RELEASE());
		return error as Error;
	}
	await trx.executeQuery(RELEASE());
	return null;
}

/**
 * Locks the selected rows until the transaction ends (`FOR UPDATE`) on PostgreSQL, where concurrent transactions
 * could otherwise both read a row and then both act on what they read. On SQLite the write transaction already holds
 * the database's only write lock, so the query runs as it is.
 */
export function forUpdate<DB, TB extends keyof DB, O>(
	db: Kysely<Database>,
	query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
	return databaseDialect(db) === 'postgres' ? query.forUpdate() : query;
}

/** The lock servers and CLI commands hold while migrating, syncing the catalog and seeding. */
export const STARTUP_LOCK = 'commerce:startup';

/**
 * Runs `work` while holding a database-wide lock named by `key`, so several servers starting at once on one
 * PostgreSQL database migrate, sync the catalog and seed one after another (the second finds the work done). A
 * session-level advisory lock, held on one pooled connection while `work` uses the others. On SQLite (one file, one
 * machine) start-up writes are already serialised by the write lock; `work` runs as it is.
 */
export async function withDatabaseLock<T>(db: Kysely<Database>, key: string, work: () => Promise<T>): Promise<T> {
	if (databaseDialect(db) !== 'postgres') return work();
	return db.connection().execute(async (conn) => {
		await sql`select pg_advisory_lock(hashtext(${key}))`.execute(conn);
		try {
			return await work();
		} finally {
			await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn);
		}
	});
}

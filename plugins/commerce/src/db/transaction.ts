import { type Kysely, sql } from 'kysely';
import type { Database } from './types.ts';

/**
 * Runs `work` in a write transaction that takes the write lock up front (SQLite `BEGIN IMMEDIATE`), so two processes
 * never both read-then-write the same stock and the loser of a race waits (busy_timeout) instead of failing midway.
 * This is the one SQLite-specific statement outside migrations; a PostgreSQL dialect swaps it for
 * `db.transaction()` with row locks. Never await network calls (payment providers, SMTP) inside `work`.
 */
export async function writeTransaction<T>(
	db: Kysely<Database>,
	work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
	return db.connection().execute(async (conn) => {
		await sql`begin immediate`.execute(conn);
		try {
			const result = await work(conn);
			await sql`commit`.execute(conn);
			return result;
		} catch (error) {
			await sql`rollback`.execute(conn);
			throw error;
		}
	});
}

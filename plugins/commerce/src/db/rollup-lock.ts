import { type Kysely, sql } from 'kysely';
import { databaseDialect } from './dialect.ts';
import type { Database } from './types.ts';

// PostgreSQL only: the writers of the analytics rollups (an order, a cart, a batch of events adds its increment in its
// own transaction) and a rebuild's swap of one day must not interleave. The swap re-reads the day's rows and then
// replaces them; under READ COMMITTED a writer that commits between the two would see its increment deleted with the
// old rows (a lost update). Writers take a transaction-scoped advisory lock in SHARED mode (they never wait for each
// other), the swap takes it EXCLUSIVELY: it waits for the writers in flight to commit, its re-read then sees them (and
// the day is computed again), and writers that arrive meanwhile add their increment after the swap. SQLite needs none
// of this: the swap runs in a `begin immediate` transaction, which already excludes every writer of the file.
// An advisory lock rather than `LOCK TABLE … IN SHARE ROW EXCLUSIVE MODE`: locking several tables one by one could
// deadlock with a writer that touches them in another order, and PostgreSQL would then abort a shopper's checkout.

/** Arbitrary, fixed key of the advisory lock ("FBRU"). */
const ROLLUP_LOCK_KEY = 0x46425255;

/** Called by every rollup writer inside its transaction (PostgreSQL: shared advisory lock; SQLite: nothing). */
export async function shareRollupLock(db: Kysely<Database>): Promise<void> {
	if (databaseDialect(db) === 'postgres')
		await sql`select pg_advisory_xact_lock_shared(${sql.lit(ROLLUP_LOCK_KEY)})`.execute(db);
}

/** The statement a day's swap runs first in its write transaction (PostgreSQL: exclusive advisory lock). */
export function exclusiveRollupLockSql(): string {
	return `select pg_advisory_xact_lock(${ROLLUP_LOCK_KEY})`;
}

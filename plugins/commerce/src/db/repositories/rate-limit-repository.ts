import type { Kysely } from 'kysely';
import type { Database } from '../types.ts';

// Rate-limit counters in the database (migration 0021), for limits that must hold across several servers.

type Db = Kysely<Database>;

/**
 * Counts one hit of `key` in the fixed window starting at `windowStart` and returns the hits in that window, this one
 * included. One upsert statement: concurrent hits from several servers each count exactly once (the row lock orders
 * them), and a hit in a new window starts the count again.
 */
export async function countRateLimitHit(db: Db, key: string, windowStart: number, expiresAt: number): Promise<number> {
	const row = await db
		.insertInto('rate_limit_counter')
		.values({ key, window_start: windowStart, hits: 1, expires_at: expiresAt })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet((eb) => ({
				hits: eb
					.case()
					.when('rate_limit_counter.window_start', '=', windowStart)
					.then(eb('rate_limit_counter.hits', '+', 1))
					.else(1)
					.end(),
				window_start: windowStart,
				expires_at: expiresAt,
			})),
		)
		.returning('hits')
		.executeTakeFirstOrThrow();
	return Number(row.hits);
}

/** Deletes counters whose window ended before `now` (epoch ms). */
export async function pruneRateLimitCounters(db: Db, now: number): Promise<void> {
	await db.deleteFrom('rate_limit_counter').where('expires_at', '<', now).execute();
}

import type { Kysely } from 'kysely';
import type { Database } from '../types.ts';

// Rate-limit counters in the database (migration 0021), for limits that must hold across several servers.

type Db = Kysely<Database>;

/**
 * Counts one hit of `key` at `now` (epoch ms) and returns the hits of its window, this one included, and when the
 * window ends. A window starts with the first hit after the previous one ended and lasts `windowMs`. One upsert
 * statement: concurrent hits from several servers each count exactly once (the row lock orders them).
 */
export async function countRateLimitHit(
	db: Db,
	key: string,
	now: number,
	windowMs: number,
): Promise<{ hits: number; expiresAt: number }> {
	const row = await db
		.insertInto('rate_limit_counter')
		.values({ key, window_start: now, hits: 1, expires_at: now + windowMs })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet((eb) => {
				const open = eb('rate_limit_counter.expires_at', '>', now);
				return {
					hits: eb
						.case()
						.when(open)
						.then(eb('rate_limit_counter.hits', '+', 1))
						.else(1)
						.end(),
					window_start: eb.case().when(open).then(eb.ref('rate_limit_counter.window_start')).else(now).end(),
					expires_at: eb
						.case()
						.when(open)
						.then(eb.ref('rate_limit_counter.expires_at'))
						.else(now + windowMs)
						.end(),
				};
			}),
		)
		.returning(['hits', 'expires_at'])
		.executeTakeFirstOrThrow();
	return { hits: Number(row.hits), expiresAt: Number(row.expires_at) };
}

/** Deletes counters whose window ended before `now` (epoch ms). */
export async function pruneRateLimitCounters(db: Db, now: number): Promise<void> {
	await db.deleteFrom('rate_limit_counter').where('expires_at', '<', now).execute();
}

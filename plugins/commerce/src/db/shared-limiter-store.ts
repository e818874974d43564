import { type RateLimiterAbstract, RateLimiterPostgres } from 'rate-limiter-flexible';
import { type CommerceDb, postgresPool } from './client.ts';

/**
 * Limiters whose counters live in the store's PostgreSQL database, so that every server of the store counts against
 * one allowance (a lockout set by one instance holds on the others). rate-limiter-flexible's own PostgreSQL store:
 * one upsert per hit in the `rate_limiter_flexible` table (migration 0040, hence `tableCreated`: no DDL at run time),
 * expired rows cleared by the library every 5 minutes. All limiters share the table; the key prefix separates them.
 */
export function postgresLimiterStore(
	db: CommerceDb,
): (spec: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract {
	const pool = postgresPool(db);
	if (!pool) throw new Error('The shared limiter store needs a PostgreSQL database opened by openDatabase');
	return (spec) =>
		new RateLimiterPostgres({
			...spec,
			storeClient: pool,
			storeType: 'pool',
			tableName: 'rate_limiter_flexible',
			tableCreated: true,
		});
}

import { type CompiledQuery, sql } from 'kysely';
import type { CommerceDb } from './client.ts';
import { databaseDialect } from './dialect.ts';
import type { stagedDayQueries } from './repositories/rollup-repository.ts';
import { exclusiveRollupLockSql } from './rollup-lock.ts';

/** One day's staged rebuild: the compiled steps of `stagedDayQueries`. */
export type DayPlan = ReturnType<typeof stagedDayQueries>;

/**
 * Runs one day's staged rebuild on one pooled connection (the TEMP tables belong to it): setup, then the guard and the
 * computation in one snapshot (PostgreSQL: REPEATABLE READ; SQLite: a deferred transaction, which writing TEMP tables
 * does not turn into a write lock on the store's file), then a short write transaction that re-reads the guard and
 * swaps the day in, or gives up with `'changed'` when a writer touched the day meanwhile (on PostgreSQL under the
 * exclusive rollup lock, so no writer can commit between that re-read and the swap). `locked`: compute inside
 * the write transaction instead (the fallback). The TEMP tables are dropped whatever happens.
 */
export function runStagedDay(db: CommerceDb, plan: DayPlan, locked: boolean): Promise<'done' | 'changed'> {
	const postgres = databaseDialect(db) === 'postgres';
	return db.connection().execute(async (conn) => {
		const exec = async (queries: CompiledQuery[]) => {
			for (const query of queries) await conn.executeQuery(query);
		};
		const rows = async () => {
			const seen: unknown[] = [];
			for (const query of plan.guard) seen.push((await conn.executeQuery(query)).rows);
			return JSON.stringify(seen);
		};
		const inTransaction = async <T>(begin: string, work: () => Promise<T>): Promise<T> => {
			await sql.raw(begin).execute(conn);
			try {
				const result = await work();
				await sql.raw(result === 'changed' ? 'rollback' : 'commit').execute(conn);
				return result;
			} catch (error) {
				await sql`rollback`.execute(conn);
				throw error;
			}
		};
		try {
			await exec(plan.setup);
			// One snapshot for the guard and the computation (PostgreSQL: repeatable read; SQLite: deferred).
			const before = locked
				? null
				: await inTransaction(postgres ? 'begin isolation level repeatable read' : 'begin', async () => {
						const seen = await rows();
						await exec(plan.compute);
						return seen;
					});
			return await inTransaction(postgres ? 'begin' : 'begin immediate', async () => {
				// PostgreSQL: wait for the rollup writers in flight and hold the new ones back (db/rollup-lock.ts).
				if (postgres) await sql.raw(exclusiveRollupLockSql()).execute(conn);
				if (locked) await exec(plan.compute);
				else if ((await rows()) !== before) return 'changed' as const;
				await exec(plan.swap);
				return 'done' as const;
			});
		} finally {
			await exec(plan.cleanup);
		}
	});
}

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';
import type { CommerceDb } from '../../db/client.ts';
import { type DayPlan, runStagedDay } from '../../db/staged-day.ts';

/**
 * Where the rebuild's statements run. On a SQLite file: a worker thread with its own connection (WAL lets the server's
 * readers go on meanwhile), so recomputing a day of a million events costs the request thread nothing. Elsewhere
 * (`:memory:`, PostgreSQL, or a worker that cannot start): one pooled connection per day. Either way a day is computed
 * outside the write lock (into TEMP tables) and swapped in by a short write transaction, so shoppers' writes wait at
 * most for a copy of one day's rollup rows, not for the scan of its orders and events.
 */
export interface StatementRunner {
	/**
	 * Rebuilds one day from its staged plan: computes into the TEMP tables in a read snapshot (no write lock), then, in
	 * a short write transaction, swaps the day's rows in unless a writer changed the day meanwhile (`'changed'`: run it
	 * again). `locked`: compute inside the write transaction too (the fallback when the day keeps changing).
	 */
	runDay(plan: DayPlan, locked?: boolean): Promise<'done' | 'changed'>;
	close(): Promise<void>;
}

// Plain CommonJS run with `eval`, so it survives bundling into dist/server (a worker file path would not); it only
// executes the SQL the repositories compiled (db/repositories/rollup-repository.ts: stagedDayQueries), step by step.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 10000');
db.pragma('foreign_keys = ON');
const run = (q) => db.prepare(q.sql).run(...q.parameters);
const rows = (queries) => JSON.stringify(queries.map((q) => db.prepare(q.sql).all(...q.parameters)));
function inTransaction(begin, work) {
	db.exec(begin);
	try {
		const result = work();
		db.exec(result === 'changed' ? 'rollback' : 'commit');
		return result;
	} catch (error) {
		db.exec('rollback');
		throw error;
	}
}
function runDay({ plan, locked }) {
	try {
		plan.setup.forEach(run);
		// A deferred transaction that only reads the store and writes TEMP tables: one snapshot, no write lock.
		const before = locked ? null : inTransaction('begin', () => {
			const seen = rows(plan.guard);
			plan.compute.forEach(run);
			return seen;
		});
		return inTransaction('begin immediate', () => {
			if (locked) plan.compute.forEach(run);
			else if (rows(plan.guard) !== before) return 'changed';
			plan.swap.forEach(run);
			return 'done';
		});
	} finally {
		plan.cleanup.forEach(run);
	}
}
parentPort.on('message', (batch) => {
	if (batch.close) {
		db.close();
		parentPort.close();
		return;
	}
	try {
		parentPort.postMessage({ id: batch.id, ok: true, result: runDay(batch.day) });
	} catch (error) {
		parentPort.postMessage({ id: batch.id, ok: false, message: String(error && error.message) });
	}
});
`;

/** Runs each day on one connection of the pool (PostgreSQL, `:memory:`, the CLI). */
export function connectionRunner(db: CommerceDb): StatementRunner {
	return {
		runDay: (plan, locked = false) => runStagedDay(db, plan, locked),
		async close() {},
	};
}

/** Runs each day in a worker thread with its own connection to the SQLite `file`. */
export function workerRunner(file: string): StatementRunner {
	const driver = createRequire(import.meta.url).resolve('better-sqlite3');
	const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
	let next = 0;
	const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
	const failAll = (error: Error) => {
		for (const w of waiting.values()) w.reject(error);
		waiting.clear();
	};
	worker.on('message', (reply: { id: number; ok: boolean; message?: string; result?: 'done' | 'changed' }) => {
		const w = waiting.get(reply.id);
		waiting.delete(reply.id);
		if (reply.ok) w?.resolve(reply.result);
		else w?.reject(new Error(reply.message));
	});
	const send = <T>(message: Record<string, unknown>) => {
		const id = next++;
		return new Promise<T>((resolve, reject) => {
			waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
			worker.postMessage({ id, ...message });
		});
	};
	const plain = (queries: CompiledQuery[]) => queries.map((q) => ({ sql: q.sql, parameters: [...q.parameters] }));
	worker.on('error', failAll);
	worker.on('exit', (code) => failAll(new Error(`the rebuild worker stopped (exit code ${code})`)));
	return {
		runDay(plan, locked = false) {
			const day = Object.fromEntries(Object.entries(plan).map(([step, queries]) => [step, plain(queries)]));
			return send<'done' | 'changed'>({ day: { plan: day, locked } });
		},
		async close() {
			const exited = new Promise((done) => worker.once('exit', done));
			worker.postMessage({ close: true });
			await exited;
		},
	};
}

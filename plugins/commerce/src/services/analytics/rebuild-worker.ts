import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';
import type { CommerceDb } from '../../db/client.ts';
import { writeTransaction } from '../../db/transaction.ts';

/**
 * Where the rebuild's statements run. On a SQLite file: a worker thread with its own connection (WAL lets the server's
 * readers go on meanwhile), so recomputing a day of a million events costs the request thread nothing; shoppers' writes
 * wait at most one day's transaction for the write lock. Elsewhere (`:memory:`, PostgreSQL, or a worker that cannot
 * start): the main connection, one write transaction per batch, yielding between batches.
 */
export interface StatementRunner {
	/** Runs the statements in one write transaction. */
	run(queries: CompiledQuery[]): Promise<void>;
	close(): Promise<void>;
}

// Plain CommonJS run with `eval`, so it survives bundling into dist/server (a worker file path would not); it only
// executes the SQL the repositories compiled (db/repositories/rollup-repository.ts), in order, in one transaction.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 10000');
db.pragma('foreign_keys = ON');
parentPort.on('message', (batch) => {
	if (batch.close) {
		db.close();
		parentPort.close();
		return;
	}
	try {
		db.exec('begin immediate');
		try {
			for (const q of batch.queries) db.prepare(q.sql).run(...q.parameters);
			db.exec('commit');
		} catch (error) {
			db.exec('rollback');
			throw error;
		}
		parentPort.postMessage({ id: batch.id, ok: true });
	} catch (error) {
		parentPort.postMessage({ id: batch.id, ok: false, message: String(error && error.message) });
	}
});
`;

/** Runs batches on the main connection (PostgreSQL, `:memory:`, the CLI). */
export function connectionRunner(db: CommerceDb): StatementRunner {
	return {
		async run(queries) {
			await writeTransaction(db, async (trx) => {
				for (const query of queries) await trx.executeQuery(query);
			});
		},
		async close() {},
	};
}

/** Runs batches in a worker thread with its own connection to the SQLite `file`. */
export function workerRunner(file: string): StatementRunner {
	const driver = createRequire(import.meta.url).resolve('better-sqlite3');
	const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
	let next = 0;
	const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
	const failAll = (error: Error) => {
		for (const w of waiting.values()) w.reject(error);
		waiting.clear();
	};
	worker.on('message', (reply: { id: number; ok: boolean; message?: string }) => {
		const w = waiting.get(reply.id);
		waiting.delete(reply.id);
		if (reply.ok) w?.resolve();
		else w?.reject(new Error(reply.message));
	});
	worker.on('error', failAll);
	worker.on('exit', (code) => failAll(new Error(`the rebuild worker stopped (exit code ${code})`)));
	return {
		run(queries) {
			const id = next++;
			return new Promise<void>((resolve, reject) => {
				waiting.set(id, { resolve, reject });
				worker.postMessage({
					id,
					queries: queries.map((q) => ({ sql: q.sql, parameters: [...q.parameters] })),
				});
			});
		},
		async close() {
			const exited = new Promise((done) => worker.once('exit', done));
			worker.postMessage({ close: true });
			await exited;
		},
	};
}

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { CommerceInstanceTable } from './types.ts';

// SQLite at the level of files: online copies, integrity checks, schema versions, and whether another process has a
// database open. Used by `commerce backup` / `restore` and the server's scheduled backups; SQLite only (PostgreSQL
// backups are pg_dump's job, see ops/postgres.ts).

export type CopyMethod = 'backup-api' | 'vacuum-into';

export interface SqliteFileReport {
	/** `ok`, or the first problems `PRAGMA integrity_check` found. */
	integrity: string;
	/** Applied migrations (Kysely's `kysely_migration`), oldest first; empty for a database that is not ours. */
	migrations: string[];
	counts: { orders: number | null; customers: number | null; products: number | null };
	bytes: number;
	sha256: string;
}

/** Thrown when a database file is open in another process (a running server) and must not be replaced. */
export class DatabaseInUseError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DatabaseInUseError';
	}
}

// Runs in a worker thread: a backup of a large database takes seconds of synchronous SQLite work, which must never
// stall the server's event loop. Plain CommonJS so it needs no build step; the driver's path comes from the caller.
const COPY_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const SQLite = require(workerData.driver);
const { source, dest, method } = workerData;
(async () => {
	const from = new SQLite(source, { fileMustExist: true });
	try {
		from.pragma('busy_timeout = 5000');
		if (method === 'vacuum-into') from.prepare('vacuum into ?').run(dest);
		// One step: the whole copy inside one read transaction, a consistent snapshot. Stepwise copies restart on every
		// commit another connection makes, and under checkout load never finish (measured, see system_design.md).
		else await from.backup(dest, { progress: () => 0x7fffffff });
	} finally {
		from.close();
	}
	const copy = new SQLite(dest);
	let report;
	try {
		// A backup is one self-contained file: no -wal or -shm beside it.
		copy.pragma('journal_mode = DELETE');
		const tables = new Set(copy.prepare("select name from sqlite_master where type = 'table'").pluck().all());
		// Who was running and who held the backup lease describe the source at copy time, not the copy: a server
		// started on this file must not see itself as busy.
		for (const table of ['commerce_instance', 'commerce_lease']) if (tables.has(table)) copy.exec('delete from ' + table);
		const integrity = copy.pragma('integrity_check').map((r) => r.integrity_check).slice(0, 5).join('; ');
		const migrations = tables.has('kysely_migration')
			? copy.prepare('select name from kysely_migration order by name').pluck().all()
			: [];
		const count = (t) => (tables.has(t) ? copy.prepare('select count(*) from "' + t + '"').pluck().get() : null);
		report = { integrity, migrations, counts: { orders: count('orders'), customers: count('customer'), products: count('product') } };
	} finally {
		copy.close();
	}
	const hash = createHash('sha256');
	const fd = fs.openSync(dest, 'r');
	const buffer = Buffer.allocUnsafe(1 << 20);
	let bytes = 0;
	for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; bytes += n) hash.update(buffer.subarray(0, n));
	fs.closeSync(fd);
	parentPort.postMessage({ ok: true, report: { ...report, bytes, sha256: hash.digest('hex') } });
})().catch((error) => parentPort.postMessage({ ok: false, message: error.message, code: error.code }));
`;

/**
 * Copies a live SQLite database to `dest` (which must not exist) while other processes keep writing, then checks the
 * copy: integrity, applied migrations, row counts, SHA-256. Runs in a worker thread.
 */
export function copySqliteFile(
	source: string,
	dest: string,
	method: CopyMethod = 'backup-api',
): Promise<SqliteFileReport> {
	const driver = createRequire(import.meta.url).resolve('better-sqlite3');
	return new Promise((resolve, reject) => {
		const worker = new Worker(COPY_WORKER, { eval: true, workerData: { driver, source, dest, method } });
		let settled = false;
		worker.once('message', (message: { ok: boolean; report?: SqliteFileReport; message?: string; code?: string }) => {
			settled = true;
			if (message.ok && message.report) resolve(message.report);
			else reject(Object.assign(new Error(message.message ?? 'the backup failed'), { code: message.code }));
		});
		worker.once('error', (error) => {
			settled = true;
			reject(error);
		});
		worker.once('exit', (code) => {
			if (!settled) reject(new Error(`the backup worker stopped (exit code ${code}) before it reported`));
		});
	});
}

/** Integrity, migrations and counts of a database file, opened read-only (for `commerce restore`). */
export function inspectSqliteFile(file: string): Omit<SqliteFileReport, 'bytes' | 'sha256'> {
	const db = new SQLite(file, { readonly: true, fileMustExist: true });
	try {
		const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
			.map((r) => r.integrity_check)
			.slice(0, 5)
			.join('; ');
		const tables = new Set(db.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[]);
		const migrations = tables.has('kysely_migration')
			? (db.prepare('select name from kysely_migration order by name').pluck().all() as string[])
			: [];
		const count = (table: string) =>
			tables.has(table) ? (db.prepare(`select count(*) from "${table}"`).pluck().get() as number) : null;
		return {
			integrity,
			migrations,
			counts: { orders: count('orders'), customers: count('customer'), products: count('product') },
		};
	} finally {
		db.close();
	}
}

/**
 * Server instances recorded in a database file with a heartbeat at or after `since` (none when the file predates
 * migration 0016).
 */
export function recentInstances(file: string, since: string): CommerceInstanceTable[] {
	const db = new SQLite(file, { readonly: true, fileMustExist: true });
	try {
		const exists = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'commerce_instance'").get();
		if (!exists) return [];
		return db
			.prepare('select * from commerce_instance where heartbeat_at >= ? order by heartbeat_at desc')
			.all(since) as CommerceInstanceTable[];
	} finally {
		db.close();
	}
}

/**
 * Folds the write-ahead log into the file and leaves it in rollback-journal mode: afterwards the database is that
 * one file, safe to rename. Leaving WAL mode needs every other connection closed, so this is also the proof that no
 * process (a server without a heartbeat, a stray CLI) has the file open.
 */
export function detachSqliteFile(file: string): void {
	const db = new SQLite(file, { fileMustExist: true });
	try {
		db.pragma('busy_timeout = 2000');
		db.pragma('wal_checkpoint(TRUNCATE)');
		const mode = db.pragma('journal_mode = DELETE', { simple: true });
		if (mode !== 'delete') throw new Error(`journal mode stayed ${String(mode)}`);
	} catch (error) {
		throw new DatabaseInUseError(
			`${file} is open in another process (${(error as Error).message}). Stop the server (and any other commerce command) using it, then run the command again.`,
		);
	} finally {
		db.close();
	}
}

/** Removes the instance row of a process at exit, synchronously (no event loop left to run Kysely). */
export function forgetInstanceSync(file: string, id: string): void {
	const db = new SQLite(file, { fileMustExist: true });
	try {
		db.pragma('busy_timeout = 200');
		db.prepare('delete from commerce_instance where id = ?').run(id);
	} finally {
		db.close();
	}
}

import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { type CommerceDb, openDatabase } from '../db/client.ts';
import { schemaState } from '../db/health-queries.ts';
import { newId } from '../db/ids.ts';
import { acquireLease, insertBackupRun, releaseLease } from '../db/repositories/operations-repository.ts';
import { type CopyMethod, copySqliteFile, type SqliteFileReport } from '../db/sqlite-files.ts';

/** A failure an operator must act on; the message says what to do. */
export class OpsError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'OpsError';
	}
}

export interface BackupRequest {
	/** The live SQLite file. */
	source: string;
	/**
	 * A directory (existing, or written with a trailing `/`) gets a timestamped file; anything else is the file name.
	 * @default `$COMMERCE_BACKUP_DIR`, else `backups/` beside the database
	 */
	destination?: string;
	/** In a directory: keep this many newest backups of this database, delete older ones. */
	keep?: number;
	method?: CopyMethod;
	trigger: 'cli' | 'schedule';
	/** Who takes the `backup` lease (an instance id for the server). */
	holder?: string;
	/** An open connection to `source` to use for the bookkeeping (the server's own); otherwise one is opened. */
	db?: CommerceDb;
	now?: () => Date;
	env?: NodeJS.ProcessEnv;
}

export interface BackupResult {
	file: string;
	checksumFile: string;
	sha256: string;
	bytes: number;
	method: CopyMethod;
	durationMs: number;
	integrity: 'ok';
	/** The newest migration in the copy. */
	migration: string | null;
	counts: SqliteFileReport['counts'];
	/** Older backups deleted by `keep`. */
	removed: string[];
}

const LEASE = 'backup';
/** A backup that takes longer than this is presumed dead and its lease free. */
const LEASE_MS = 60 * 60 * 1000;

/** `2026-12-01T14-30-15Z`: sortable, and valid in file names everywhere (no colons). */
export function backupStamp(at: Date): string {
	return at
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replace(/:/g, '-');
}

/** Backups of `<base>.sqlite` in a directory are `<base>-<stamp>[-n].sqlite`. */
function backupPattern(base: string): RegExp {
	return new RegExp(
		`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ(-\\d+)?\\.sqlite$`,
	);
}

/** The default backup directory of a database: `$COMMERCE_BACKUP_DIR`, else `backups/` beside it. */
export function defaultBackupDirectory(source: string, env: NodeJS.ProcessEnv = process.env): string {
	return env.COMMERCE_BACKUP_DIR?.trim() ? resolve(env.COMMERCE_BACKUP_DIR.trim()) : join(dirname(source), 'backups');
}

/** Where a backup goes: `{ file, directory }` (`directory` only when the name was chosen here). */
export function backupTarget(
	source: string,
	destination: string | undefined,
	at: Date,
	env: NodeJS.ProcessEnv = process.env,
): { file: string; directory?: string } {
	const wanted = destination ?? defaultBackupDirectory(source, env);
	const isDirectory =
		destination === undefined ||
		/[/\\]$/.test(wanted) ||
		(existsSync(wanted) && statSync(wanted).isDirectory()) ||
		// A name without an extension that does not exist yet reads as a directory to create (`--out backups`).
		(!existsSync(wanted) && extname(wanted) === '');
	if (!isDirectory) return { file: resolve(wanted) };
	const directory = resolve(wanted);
	const base = basename(source, extname(source)) || 'commerce';
	const stamp = backupStamp(at);
	let file = join(directory, `${base}-${stamp}.sqlite`);
	for (let n = 2; existsSync(file); n++) file = join(directory, `${base}-${stamp}-${n}.sqlite`);
	return { file, directory };
}

/** Deletes all but the `keep` newest backups of `source` in `directory` (only files this command names). */
export function rotateBackups(directory: string, source: string, keep: number): string[] {
	const pattern = backupPattern(basename(source, extname(source)) || 'commerce');
	// Newest first: by stamp, then by the `-n` suffix of backups made within the same second.
	const order = (name: string) => {
		const match = pattern.exec(name);
		const n = match?.[1] ? Number(match[1].slice(1)) : 1;
		return `${name.replace(/(-\d+)?\.sqlite$/, '')}#${String(n).padStart(6, '0')}`;
	};
	const backups = readdirSync(directory)
		.filter((name) => pattern.test(name))
		.sort((a, b) => (order(a) < order(b) ? 1 : -1));
	const removed: string[] = [];
	for (const name of backups.slice(Math.max(1, keep))) {
		rmSync(join(directory, name), { force: true });
		rmSync(join(directory, `${name}.sha256`), { force: true });
		removed.push(join(directory, name));
	}
	return removed;
}

/**
 * A consistent online backup of a SQLite database while the store keeps serving: a one-step copy in a worker thread
 * (one read transaction, so writers are never blocked in WAL mode), written as `<file>.partial` and renamed only after
 * `PRAGMA integrity_check` of the copy said `ok`, with a `<file>.sha256` beside it (`sha256sum -c` format). Takes
 * the `backup` lease so two backups of one database never run at once, and records the run in `backup_run`.
 */
export async function backupSqlite(request: BackupRequest): Promise<BackupResult> {
	const now = request.now ?? (() => new Date());
	const source = resolve(request.source);
	if (!existsSync(source))
		throw new OpsError(`No database at ${source}: nothing to back up. Check --db or COMMERCE_DB.`);
	const started = now();
	const startedAt = performance.now();
	const method = request.method ?? 'backup-api';
	const holder = request.holder ?? `cli:${hostname()}:${process.pid}`;
	const target = backupTarget(source, request.destination, started, request.env);
	mkdirSync(dirname(target.file), { recursive: true });
	if (resolve(target.file) === source) throw new OpsError('The backup would overwrite the database itself.');
	if (existsSync(target.file)) throw new OpsError(`${target.file} exists already; choose another name or a directory.`);

	const db = request.db ?? openDatabase(source);
	// Bookkeeping needs migration 0016; a database of an older version is backed up all the same, without it.
	const bookkeeping = (await schemaState(db)).applied.some((name) => name.endsWith('-0016-operations'));
	try {
		if (bookkeeping) {
			const lease = await acquireLease(db, {
				name: LEASE,
				holder,
				now: started.toISOString(),
				expiresAt: new Date(started.getTime() + LEASE_MS).toISOString(),
			});
			if (lease.holder !== holder) {
				throw new OpsError(
					`Another backup of this database is running (${lease.holder}, since ${lease.acquiredAt}). Wait for it to finish; a dead one frees the lock at ${lease.expiresAt}.`,
				);
			}
		}
		const partial = `${target.file}.partial`;
		rmSync(partial, { force: true });
		let report: SqliteFileReport;
		try {
			report = await copySqliteFile(source, partial, method);
			if (report.integrity !== 'ok')
				throw new OpsError(`The copy failed its integrity check (${report.integrity}); it was deleted.`);
		} catch (error) {
			rmSync(partial, { force: true });
			if (bookkeeping) await record(db, request.trigger, method, started, now(), { error: (error as Error).message });
			throw error;
		}
		renameSync(partial, target.file);
		const checksumFile = `${target.file}.sha256`;
		writeFileSync(checksumFile, `${report.sha256}  ${basename(target.file)}\n`);
		const removed =
			target.directory && request.keep !== undefined ? rotateBackups(target.directory, source, request.keep) : [];
		const finished = now();
		if (bookkeeping) await record(db, request.trigger, method, started, finished, { report, file: target.file });
		return {
			file: target.file,
			checksumFile,
			sha256: report.sha256,
			bytes: report.bytes,
			method,
			durationMs: Math.round(performance.now() - startedAt),
			integrity: 'ok',
			migration: report.migrations.at(-1) ?? null,
			counts: report.counts,
			removed,
		};
	} finally {
		if (bookkeeping) await releaseLease(db, LEASE, holder).catch(() => {});
		if (!request.db) await db.destroy();
	}
}

async function record(
	db: CommerceDb,
	trigger: 'cli' | 'schedule',
	method: CopyMethod,
	started: Date,
	finished: Date,
	outcome: { report?: SqliteFileReport; file?: string; error?: string },
): Promise<void> {
	await insertBackupRun(db, {
		id: newId('bkp'),
		trigger,
		method,
		started_at: started.toISOString(),
		finished_at: finished.toISOString(),
		status: outcome.error ? 'failed' : 'ok',
		file_name: outcome.file ? basename(outcome.file) : null,
		bytes: outcome.report?.bytes ?? null,
		sha256: outcome.report?.sha256 ?? null,
		error: outcome.error?.slice(0, 500) ?? null,
	}).catch(() => {
		// The history is a convenience; a backup is good without its row.
	});
}

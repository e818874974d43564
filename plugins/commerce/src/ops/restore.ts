import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { migrations } from '../db/migrations/index.ts';
import { clearInstancesAndLeases } from '../db/repositories/operations-repository.ts';
import {
	copySqliteFile,
	DatabaseInUseError,
	detachSqliteFile,
	inspectSqliteFile,
	recentInstances,
} from '../db/sqlite-files.ts';
import { backupStamp, OpsError } from './backup.ts';
import { HEARTBEAT_STALE_MS } from './instances.ts';

export interface RestoreRequest {
	/** The backup file. */
	backup: string;
	/** The database file to replace (or create). */
	target: string;
	now?: () => Date;
}

export interface RestoreResult {
	target: string;
	/** Where the replaced database was kept (none when the target did not exist). */
	kept: string | null;
	/** Migrations applied to bring an older backup up to this version. */
	migrated: string[];
	migration: string | null;
	counts: { orders: number | null; customers: number | null; products: number | null };
	checksum: 'verified' | 'absent';
}

async function sha256(file: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Refuses when a server has the target open: a fresh heartbeat (from a live process), or any open connection. */
export function assertNotInUse(target: string, now: Date): void {
	if (!existsSync(target)) return;
	const since = new Date(now.getTime() - HEARTBEAT_STALE_MS).toISOString();
	const here = hostname();
	// A heartbeat from this machine whose process is gone is a crash, not a server.
	const live = recentInstances(target, since).filter((i) => i.hostname !== here || isAlive(i.pid));
	if (live.length) {
		const list = live
			.map((i) => `${i.role} pid ${i.pid} on ${i.hostname}, started ${i.started_at}, last seen ${i.heartbeat_at}`)
			.join('; ');
		throw new OpsError(
			`A server is using ${target} (${list}). Stop it first (restoring under a running store would lose the orders it writes meanwhile), then run commerce restore again.`,
		);
	}
	try {
		detachSqliteFile(target);
	} catch (error) {
		if (error instanceof DatabaseInUseError) throw new OpsError(error.message);
		throw error;
	}
}

/**
 * Replaces a database with a backup. In order, and stopping at the first problem with the target untouched: the
 * backup's checksum (when a `.sha256` lies beside it), its integrity, its schema (a backup from a newer version is
 * refused; an older one is migrated), then the target must not be in use. The copy is prepared next to the target and
 * swapped in with a rename; the replaced file is kept as `<name>.replaced-<stamp>.sqlite`.
 */
export async function restoreSqlite(request: RestoreRequest): Promise<RestoreResult> {
	const now = request.now ?? (() => new Date());
	const backup = resolve(request.backup);
	const target = resolve(request.target);
	if (!existsSync(backup)) throw new OpsError(`No backup at ${backup}.`);
	if (backup === target) throw new OpsError('The backup and the database to replace are the same file.');

	let checksum: RestoreResult['checksum'] = 'absent';
	const checksumFile = `${backup}.sha256`;
	if (existsSync(checksumFile)) {
		const expected = readFileSync(checksumFile, 'utf8').trim().split(/\s+/)[0]?.toLowerCase();
		if (expected !== (await sha256(backup)))
			throw new OpsError(
				`${basename(backup)} does not match its checksum file: the backup is damaged. Use another one.`,
			);
		checksum = 'verified';
	}

	let inspected: ReturnType<typeof inspectSqliteFile>;
	try {
		inspected = inspectSqliteFile(backup);
	} catch (error) {
		throw new OpsError(`${backup} is not a readable SQLite database (${(error as Error).message}).`);
	}
	if (inspected.integrity !== 'ok')
		throw new OpsError(`${basename(backup)} failed its integrity check (${inspected.integrity}). Use another backup.`);
	if (!inspected.migrations.length)
		throw new OpsError(`${basename(backup)} is not a FrostBuy Commerce database (it has no migration history).`);
	const newer = inspected.migrations.filter((name) => !(name in migrations));
	if (newer.length) {
		throw new OpsError(
			`${basename(backup)} comes from a newer version of @frostbuy/commerce: its schema has migrations this version does not know (${newer.join(', ')}). Upgrade the plugin, then restore.`,
		);
	}

	// Fail fast, before copying anything.
	assertNotInUse(target, now());

	mkdirSync(dirname(target), { recursive: true });
	const staging = join(dirname(target), `.${basename(target)}.restoring-${process.pid}`);
	rmSync(staging, { force: true });
	let migrated: string[] = [];
	try {
		await copySqliteFile(backup, staging);
		const db = openDatabase(staging);
		try {
			migrated = await migrateToLatest(db);
			// The rows of the server the backup was taken from would make this copy look in use.
			await clearInstancesAndLeases(db);
		} finally {
			await db.destroy();
		}
		detachSqliteFile(staging);
		const after = inspectSqliteFile(staging);
		if (after.integrity !== 'ok')
			throw new OpsError(`The restored copy failed its integrity check (${after.integrity}).`);

		// Again, right before the swap: a server may have started meanwhile.
		assertNotInUse(target, now());
		let kept: string | null = null;
		if (existsSync(target)) {
			const base = basename(target, extname(target));
			kept = join(dirname(target), `${base}.replaced-${backupStamp(now())}${extname(target) || '.sqlite'}`);
			for (let n = 2; existsSync(kept); n++)
				kept = join(dirname(target), `${base}.replaced-${backupStamp(now())}-${n}${extname(target) || '.sqlite'}`);
			renameSync(target, kept);
		}
		// Never let a stale write-ahead log of the old file be applied to the new one.
		rmSync(`${target}-wal`, { force: true });
		rmSync(`${target}-shm`, { force: true });
		renameSync(staging, target);
		return {
			target,
			kept,
			migrated,
			migration: after.migrations.at(-1) ?? null,
			counts: after.counts,
			checksum,
		};
	} finally {
		rmSync(staging, { force: true });
		rmSync(`${staging}-wal`, { force: true });
		rmSync(`${staging}-shm`, { force: true });
		rmSync(`${staging}-journal`, { force: true });
	}
}

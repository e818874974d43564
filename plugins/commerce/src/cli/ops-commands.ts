import type { CopyMethod } from '../db/sqlite-files.ts';
import { backupSqlite, OpsError } from '../ops/backup.ts';
import { backupPostgres, redactUrl } from '../ops/postgres.ts';
import { restoreSqlite } from '../ops/restore.ts';

// `commerce backup` and `commerce restore`: human output by default, one JSON object with --json (for scripts).

/** Where the data lives, as the CLI chose it (main.ts: the server's rules). */
interface Target {
	/** The SQLite file (from --db, COMMERCE_DB or the site's databasePath). */
	databasePath: string;
	/** A postgres:// URL when the store runs on PostgreSQL (--db, DATABASE_URL or the database.url option). */
	databaseUrl?: string;
}

function megabytes(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

function fail(error: unknown, json: boolean): number {
	const message = (error as Error).message;
	if (json) console.log(JSON.stringify({ ok: false, error: message }));
	else console.error(error instanceof OpsError ? message : `The command failed: ${message}`);
	return 1;
}

export async function backupCommand(
	target: Target,
	opts: { destination?: string; keep?: string; vacuum?: boolean; json?: boolean },
): Promise<number> {
	const json = Boolean(opts.json);
	let keep: number | undefined;
	if (opts.keep !== undefined) {
		keep = Number(opts.keep);
		if (!Number.isInteger(keep) || keep < 1) {
			console.error(`--keep ${opts.keep} is not a whole number of at least 1.`);
			return 2;
		}
	}
	try {
		if (target.databaseUrl) {
			if (!json)
				console.log(
					`PostgreSQL (${redactUrl(target.databaseUrl)}): backing up with pg_dump --format=custom (a consistent snapshot; the store keeps serving).`,
				);
			const result = await backupPostgres(target.databaseUrl, opts.destination);
			if (json) console.log(JSON.stringify({ ok: true, dialect: 'postgres', ...result }));
			else {
				console.log(`backup written: ${result.file}`);
				console.log(
					`  ${megabytes(result.bytes)}, sha256 ${result.sha256} (${result.checksumFile}), ${result.entries ?? '?'} archive entries listed by pg_restore, ${result.durationMs} ms, ${result.tool}`,
				);
				console.log(
					'  restore with: pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" <file> (stop the servers first)',
				);
			}
			return 0;
		}
		const method: CopyMethod = opts.vacuum ? 'vacuum-into' : 'backup-api';
		const result = await backupSqlite({
			source: target.databasePath,
			destination: opts.destination,
			keep,
			method,
			trigger: 'cli',
		});
		if (json) console.log(JSON.stringify({ ok: true, dialect: 'sqlite', ...result }));
		else {
			const counts = result.counts;
			console.log(`backup written: ${result.file}`);
			console.log(
				`  ${megabytes(result.bytes)}, sha256 ${result.sha256} (${result.checksumFile}), integrity_check ok, ${result.durationMs} ms (${method === 'vacuum-into' ? 'VACUUM INTO' : 'online backup API'})`,
			);
			console.log(
				`  schema ${result.migration ?? 'none'}; ${counts.orders ?? 0} orders, ${counts.customers ?? 0} customers, ${counts.products ?? 0} products`,
			);
			if (result.removed.length) console.log(`  removed ${result.removed.length} older backup(s) (--keep ${keep})`);
		}
		return 0;
	} catch (error) {
		return fail(error, json);
	}
}

export async function restoreCommand(
	target: Target,
	backup: string | undefined,
	opts: { json?: boolean },
): Promise<number> {
	const json = Boolean(opts.json);
	if (!backup) {
		console.error('Name the backup to restore: commerce restore <file> [--db <database file>]');
		return 2;
	}
	if (target.databaseUrl) {
		console.error(
			[
				`This store runs on PostgreSQL (${redactUrl(target.databaseUrl)}); its backups are pg_dump archives, restored with pg_restore:`,
				'  1. stop every server instance (or take them out of the load balancer)',
				'  2. pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" <file.dump>',
				'  3. commerce migrate   (brings an older dump up to this version)',
				'  4. start the servers; /store/health/ready answers 200 when the schema is current',
			].join('\n'),
		);
		return 2;
	}
	try {
		const result = await restoreSqlite({ backup, target: target.databasePath });
		if (json) console.log(JSON.stringify({ ok: true, ...result }));
		else {
			const counts = result.counts;
			console.log(
				`restored ${backup} into ${result.target} (checksum ${result.checksum === 'verified' ? 'verified' : 'file absent, not checked'}, integrity_check ok)`,
			);
			console.log(
				`  schema ${result.migration}${result.migrated.length ? ` (migrated now: ${result.migrated.join(', ')})` : ''}; ${counts.orders ?? 0} orders, ${counts.customers ?? 0} customers, ${counts.products ?? 0} products`,
			);
			if (result.kept) console.log(`  the replaced database was kept as ${result.kept}`);
			console.log('  start the server again to serve the restored store');
		}
		return 0;
	} catch (error) {
		return fail(error, json);
	}
}

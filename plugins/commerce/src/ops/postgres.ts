import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { backupStamp, OpsError } from './backup.ts';

export { isPostgresUrl } from '../db/client.ts';

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'postgres://…';
	}
}

/**
 * libpq's environment for a connection URL (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `sslmode` →
 * `PGSSLMODE`): the URL reaches pg_dump without appearing in its argument list, where `ps` would show the password.
 */
export function libpqEnvironment(url: string): Record<string, string> {
	const parsed = new URL(url);
	const env: Record<string, string> = {};
	if (parsed.hostname) env.PGHOST = decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, ''));
	if (parsed.port) env.PGPORT = parsed.port;
	if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
	if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
	const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
	if (database) env.PGDATABASE = database;
	const sslmode = parsed.searchParams.get('sslmode');
	if (sslmode) env.PGSSLMODE = sslmode;
	return env;
}

/** The version line of a PostgreSQL client tool, or null when it is not on PATH. */
export function toolVersion(tool: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): string | null {
	const result = spawnSync(tool, ['--version'], { env, encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim() : null;
}

export const PG_DUMP_MISSING = [
	'This store runs on PostgreSQL, whose backups are made by pg_dump, and pg_dump is not installed here.',
	'Install the PostgreSQL client of your server\u2019s major version (Debian/Ubuntu: apt-get install postgresql-client),',
	'or use your provider\u2019s backups (point-in-time recovery on a managed database), or run pg_dump from another machine:',
	'  pg_dump --format=custom --file=shop.dump "$DATABASE_URL"',
	'Restore one with: pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" shop.dump',
].join('\n');

export interface PgDumpResult {
	file: string;
	checksumFile: string;
	sha256: string;
	bytes: number;
	durationMs: number;
	tool: string;
	/** Entries in the archive's table of contents (`pg_restore --list`), null when pg_restore is missing. */
	entries: number | null;
}

/**
 * A PostgreSQL backup with pg_dump's custom format (compressed, restorable table by table with pg_restore): a
 * consistent snapshot taken in one repeatable-read transaction, so it never blocks the store's writers. Written as
 * `.partial` and renamed once pg_dump succeeded, then listed with `pg_restore --list` as an integrity check, with a
 * SHA-256 beside it.
 */
export async function backupPostgres(
	url: string,
	destination: string | undefined,
	opts: { env?: NodeJS.ProcessEnv; now?: Date } = {},
): Promise<PgDumpResult> {
	const env = opts.env ?? process.env;
	try {
		libpqEnvironment(url);
	} catch {
		throw new OpsError('DATABASE_URL is not a valid URL, e.g. postgres://user:password@host:5432/shop.');
	}
	const tool = toolVersion('pg_dump', env);
	if (!tool) throw new OpsError(PG_DUMP_MISSING);
	const at = opts.now ?? new Date();
	const wanted = resolve(destination ?? env.COMMERCE_BACKUP_DIR ?? 'db/backups');
	const isDirectory =
		destination === undefined ||
		/[/\\]$/.test(destination) ||
		(existsSync(wanted) && statSync(wanted).isDirectory()) ||
		(!existsSync(wanted) && extname(wanted) === '');
	let file = wanted;
	if (isDirectory) {
		const database = libpqEnvironment(url).PGDATABASE || 'commerce';
		file = join(wanted, `${database.replace(/[^\w.-]/g, '_')}-${backupStamp(at)}.dump`);
	}
	mkdirSync(dirname(file), { recursive: true });
	const partial = `${file}.partial`;
	const started = performance.now();
	const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
		// The URL goes through the environment, not argv: a password in it would show in process lists.
		const child = spawn('pg_dump', ['--format=custom', '--no-owner', `--file=${partial}`], {
			env: { ...env, ...libpqEnvironment(url) },
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let err = '';
		child.stderr.on('data', (chunk) => (err += chunk));
		child.once('exit', (exitCode) => done({ code: exitCode, stderr: err }));
		child.once('error', (error) => done({ code: 1, stderr: error.message }));
	});
	if (code !== 0) {
		rmSync(partial, { force: true });
		throw new OpsError(`pg_dump failed (exit ${code}) for ${redactUrl(url)}:\n${stderr.trim()}`);
	}
	renameSync(partial, file);
	let entries: number | null = null;
	if (toolVersion('pg_restore', env)) {
		const list = spawnSync('pg_restore', ['--list', file], { env, encoding: 'utf8' });
		if (list.status !== 0) throw new OpsError(`pg_restore cannot read the new dump ${file}:\n${list.stderr.trim()}`);
		entries = list.stdout.split('\n').filter((line) => line && !line.startsWith(';')).length;
	}
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
	const sha256 = hash.digest('hex');
	const checksumFile = `${file}.sha256`;
	writeFileSync(checksumFile, `${sha256}  ${basename(file)}\n`);
	return {
		file,
		checksumFile,
		sha256,
		bytes: statSync(file).size,
		durationMs: Math.round(performance.now() - started),
		tool,
		entries,
	};
}

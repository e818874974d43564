import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from 'kysely';
import type pgModule from 'pg';
import { countDbError } from '../metrics/registry.ts';
import { StripNulBytesPlugin } from './nul-bytes.ts';
import { withStatementCache } from './sqlite-statement-cache.ts';
import type { Database } from './types.ts';

export type CommerceDb = Kysely<Database>;

/** Where the store's data lives: a SQLite file (the embedded default) or a PostgreSQL database shared by N servers. */
export type DatabaseTarget =
	| { dialect: 'sqlite'; path: string }
	| { dialect: 'postgres'; url: string; poolSize: number };

/** Connections per server process to PostgreSQL unless `database.poolSize` or `DATABASE_POOL_SIZE` says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** A `postgres://` or `postgresql://` URL: the store's data lives in PostgreSQL, not in a SQLite file. */
export function isPostgresUrl(value: string | undefined | null): value is string {
	return typeof value === 'string' && /^postgres(ql)?:\/\//i.test(value.trim());
}

/**
 * Resolves the database file at run time (never at build time, where paths would be baked into dist/):
 * `COMMERCE_DB` wins over the configured path; relative paths are relative to the server's working directory.
 */
export function resolveDatabasePath(
	configured: string,
	env: NodeJS.ProcessEnv = process.env,
	cwd = process.cwd(),
): string {
	const chosen = env.COMMERCE_DB?.trim() || configured;
	return chosen === ':memory:' ? chosen : resolve(cwd, chosen);
}

/**
 * Which database a server (or CLI) uses, decided at run time: `DATABASE_URL=postgres://…` wins, then the option
 * `database.url`, else the SQLite file (`COMMERCE_DB`, then `databasePath`). The pool size comes from
 * `DATABASE_POOL_SIZE`, then `database.poolSize`, else 10.
 */
export function resolveDatabaseTarget(
	options: { databasePath: string; database?: { url?: string; poolSize?: number } },
	env: NodeJS.ProcessEnv = process.env,
	cwd = process.cwd(),
): DatabaseTarget {
	const url = env.DATABASE_URL?.trim() || options.database?.url?.trim();
	if (url) {
		if (!isPostgresUrl(url))
			throw new Error(
				'DATABASE_URL (or the database.url option) must be a PostgreSQL URL such as postgres://user:password@host:5432/shop; leave it unset to use the SQLite file.',
			);
		const fromEnv = Number(env.DATABASE_POOL_SIZE);
		const poolSize =
			Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (options.database?.poolSize ?? DEFAULT_POOL_SIZE);
		return { dialect: 'postgres', url, poolSize };
	}
	return { dialect: 'sqlite', path: resolveDatabasePath(options.databasePath, env, cwd) };
}

// Loaded on first use: a SQLite shop never needs the PostgreSQL driver (~15 MB of a server's memory). `pg` is
// CommonJS, so `require` returns the same module an `import` would.
let pgLoaded: typeof pgModule | undefined;
const pg = (): typeof pgModule => {
	pgLoaded ??= createRequire(import.meta.url)('pg') as typeof pgModule;
	return pgLoaded;
};

const INT8 = 20;
const NUMERIC = 1700;

// bigint columns (money, counters) and count()/sum() results arrive from PostgreSQL as strings; every value the store
// keeps fits a JavaScript number exactly (< 2^53), so they are parsed as numbers, as SQLite returns them.
const pgTypes = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
		return pg().types.getTypeParser(oid, format as 'text');
	},
};

/** What a caller may watch: every statement's SQL (tests count statements with it). */
export interface OpenOptions {
	onQuery?: (sql: string) => void;
}

function logger(options: OpenOptions): (event: LogEvent) => void {
	return (event) => {
		// Every failed query counts in commerce_db_errors_total by its driver code (SQLITE_BUSY, 23505, …).
		if (event.level === 'error') countDbError(event.error);
		options.onQuery?.(event.query.sql);
	};
}

/**
 * Opens the store's database. A `postgres://` URL (or a postgres target) opens a connection pool; anything else is a
 * SQLite file, opened with the settings every connection needs: WAL so readers never block the writer, foreign keys
 * enforced, and a busy timeout so a second process (the CLI while the server runs) waits instead of failing.
 * Statements are prepared once per SQL text and reused (see sqlite-statement-cache.ts).
 */
export function openDatabase(target: string | DatabaseTarget, options: OpenOptions = {}): CommerceDb {
	if (typeof target === 'string')
		target = isPostgresUrl(target)
			? { dialect: 'postgres', url: target, poolSize: DEFAULT_POOL_SIZE }
			: { dialect: 'sqlite', path: target };
	if (target.dialect === 'postgres') return openPostgres(target.url, target.poolSize, options);
	const file = target.path;
	if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
	const sqlite = new SQLite(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma('synchronous = NORMAL');
	return new Kysely<Database>({
		dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
		log: logger(options),
	});
}

function openPostgres(url: string, poolSize: number, options: OpenOptions): CommerceDb {
	// At least 2: start-up holds one connection for its advisory lock while migrating through another.
	const pool = new (pg().Pool)({ connectionString: url, max: Math.max(2, poolSize), types: pgTypes });
	// An idle connection the server dropped (restart, failover) must not crash the process; the pool reconnects.
	pool.on('error', (error) => countDbError(error));
	const db = new Kysely<Database>({
		dialect: new PostgresDialect({ pool }),
		plugins: [new StripNulBytesPlugin()],
		log: logger(options),
	});
	pools.set(db, pool);
	return db;
}

const pools = new WeakMap<CommerceDb, pgModule.Pool>();

/** The connection pool under a PostgreSQL database opened here, for libraries that take one (the shared limiters). */
export function postgresPool(db: CommerceDb): pgModule.Pool | undefined {
	return pools.get(db);
}

/** A short description of the target for logs and CLI output, without any password. */
export function describeTarget(target: DatabaseTarget): string {
	if (target.dialect === 'sqlite') return target.path;
	try {
		const parsed = new URL(target.url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'postgres://…';
	}
}

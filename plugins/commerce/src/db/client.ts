import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { countDbError } from '../metrics/registry.ts';
import { withStatementCache } from './sqlite-statement-cache.ts';
import type { Database } from './types.ts';

export type CommerceDb = Kysely<Database>;

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
 * Opens the SQLite file with the settings every connection needs: WAL so readers never block the writer, foreign keys
 * enforced, and a busy timeout so a second process (the CLI while the server runs) waits instead of failing.
 * Statements are prepared once per SQL text and reused (see sqlite-statement-cache.ts).
 */
export function openDatabase(file: string): CommerceDb {
	if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
	const sqlite = new SQLite(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma('synchronous = NORMAL');
	return new Kysely<Database>({
		dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
		// Every failed query counts in commerce_db_errors_total by its driver code (SQLITE_BUSY, SQLITE_CONSTRAINT_…).
		log: (event) => {
			if (event.level === 'error') countDbError(event.error);
		},
	});
}

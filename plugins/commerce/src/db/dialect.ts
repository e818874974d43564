import {
	type Expression,
	type Kysely,
	PostgresAdapter,
	type RawBuilder,
	type SqlBool,
	SqliteAdapter,
	sql,
} from 'kysely';
import type { Database } from './types.ts';

export type Dialect = 'sqlite' | 'postgres' | 'unknown';

/** Which engine a Kysely instance (or a transaction of it) talks to. */
export function databaseDialect(db: Kysely<Database>): Dialect {
	const adapter = db.getExecutor().adapter;
	if (adapter instanceof SqliteAdapter) return 'sqlite';
	if (adapter instanceof PostgresAdapter) return 'postgres';
	return 'unknown';
}

/**
 * `haystack` contains `needle` literally (no LIKE wildcards): SQLite's `instr`, PostgreSQL's `strpos`. Case matters;
 * lower-case both sides for a case-insensitive match.
 */
export function containsLiterally(
	db: Kysely<Database>,
	haystack: Expression<string | null> | RawBuilder<string>,
	needle: string,
): RawBuilder<SqlBool> {
	return databaseDialect(db) === 'postgres'
		? sql<SqlBool>`strpos(${haystack}, ${needle}) > 0`
		: sql<SqlBool>`instr(${haystack}, ${needle}) > 0`;
}

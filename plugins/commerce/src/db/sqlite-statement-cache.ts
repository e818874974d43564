import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared per connection; the Store API uses a few dozen, so this bound is never reached. */
const DEFAULT_CAPACITY = 1000;

/**
 * Wraps a better-sqlite3 handle so Kysely's SQLite driver reuses prepared statements instead of preparing every query
 * anew (`prepare` was the largest single cost of a Store API request in a profile). Kysely compiles the same query
 * shape to the same SQL text with parameters apart, so the text is the cache key. SQLite-only by nature: the
 * PostgreSQL driver has its own statement handling.
 *
 * Safe because Kysely's SQLite driver runs one query at a time per connection; a statement still iterating (an
 * abandoned stream) is `busy` and is then bypassed with a fresh, uncached one. Schema changes (migrations) need no
 * flush: SQLite re-prepares a stale statement by itself.
 */
export function withStatementCache(database: SQLite.Database, capacity = DEFAULT_CAPACITY): SqliteDatabase {
	const cache = new Map<string, SQLite.Statement>();
	return {
		close: () => {
			cache.clear();
			database.close();
		},
		prepare(sql: string): SqliteStatement {
			const cached = cache.get(sql);
			if (cached && !cached.busy) return cached as unknown as SqliteStatement;
			const statement = database.prepare(sql);
			if (!cached) {
				// Oldest first: a Map iterates in insertion order.
				if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
				cache.set(sql, statement);
			}
			return statement as unknown as SqliteStatement;
		},
	};
}

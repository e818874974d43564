import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Distinct SQL texts kept prepared per connection: the shop's paths use ~150 (a bench of every Store API figure
 * reached ~130 besides the start-up's). Each prepared statement holds native memory outside V8's heap, so the bound
 * is a memory bound too; the least recently used text goes first.
 */
const DEFAULT_CAPACITY = 256;

/**
 * Only data statements and transaction control (a handful of fixed texts, run by every write) are kept: migrations,
 * the catalog sync's triggers and pragmas run once per start, and keeping them (~130 texts) held native memory for the
 * life of the process.
 */
const REUSED = /^\s*(select|insert|update|delete|with|begin|commit|rollback|savepoint|release)\b/i;

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
			if (cached && !cached.busy) {
				// Most recently used last: a Map iterates in insertion order, so the first key is the one to evict.
				cache.delete(sql);
				cache.set(sql, cached);
				return cached as unknown as SqliteStatement;
			}
			const statement = database.prepare(sql);
			if (!cached && REUSED.test(sql)) {
				if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
				cache.set(sql, statement);
			}
			return statement as unknown as SqliteStatement;
		},
	};
}

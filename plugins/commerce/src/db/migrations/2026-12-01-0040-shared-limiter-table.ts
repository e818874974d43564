import type { Kysely } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Every rate limit and lockout shared by the servers of one database (issue 12): the table of rate-limiter-flexible's
// PostgreSQL store (RateLimiterPostgres, opened with `tableCreated: true` so the library never runs DDL at request
// time). Its own statements need exactly these columns: `key` (limiter prefix + client key; text rather than the
// library's varchar(255), since an email plus an address can be longer), `points` consumed in the window, `expire`
// (epoch ms; null = never). It replaces 0021's hand-written fixed-window counters, which only the named limiters used.
// Created on SQLite too, so both dialects have one schema; a single SQLite process keeps its limits in memory.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('rate_limiter_flexible')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('expire', 'bigint')
		.execute();
	// The library deletes rows expired an hour ago every 5 minutes (`DELETE … WHERE expire < $1`).
	await db.schema
		.createIndex('rate_limiter_flexible_expire_idx')
		.on('rate_limiter_flexible')
		.column('expire')
		.execute();
	await db.schema.dropTable('rate_limit_counter').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('rate_limiter_flexible').execute();
	await db.schema
		.createTable('rate_limit_counter')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('window_start', 'bigint', (c) => c.notNull())
		.addColumn('hits', 'integer', (c) => c.notNull())
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('rate_limit_counter_expiry_idx').on('rate_limit_counter').column('expires_at').execute();
}

import type { Kysely } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Rate-limit counters shared by every server on one database (issue 12): on PostgreSQL several instances serve the
// store, and a limit kept in each process's memory would let a client N times through. One fixed-window counter per
// key (`<limiter>:<client>`); `window_start` and `expires_at` are epoch milliseconds.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('rate_limit_counter')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('window_start', 'bigint', (c) => c.notNull())
		.addColumn('hits', 'integer', (c) => c.notNull())
		.addColumn('expires_at', 'bigint', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('rate_limit_counter_expiry_idx').on('rate_limit_counter').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('rate_limit_counter').execute();
}

import type { Kysely } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Operations (issue 16): which servers use this database right now (so `commerce restore` refuses to swap the file
// under a live server), named leases (one scheduled backup at a time across processes), and a history of backups
// (so the server reports the last good backup, whichever process made it).

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('commerce_instance')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// `server` today; a worker role can join later.
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('hostname', 'text', (c) => c.notNull())
		.addColumn('pid', 'integer', (c) => c.notNull())
		.addColumn('started_at', 'text', (c) => c.notNull())
		// Renewed every few seconds while the process runs; a row whose heartbeat is old belongs to a dead process.
		.addColumn('heartbeat_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('commerce_lease')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('holder', 'text', (c) => c.notNull())
		.addColumn('acquired_at', 'text', (c) => c.notNull())
		// A holder that dies leaves the lease to expire instead of blocking forever.
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('backup_run')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// `cli` or `schedule`.
		.addColumn('trigger', 'text', (c) => c.notNull())
		.addColumn('method', 'text', (c) => c.notNull())
		.addColumn('started_at', 'text', (c) => c.notNull())
		.addColumn('finished_at', 'text', (c) => c.notNull())
		// `ok` or `failed`.
		.addColumn('status', 'text', (c) => c.notNull())
		// File name only (no directory): the report never reveals the server's paths.
		.addColumn('file_name', 'text')
		.addColumn('bytes', 'bigint')
		.addColumn('sha256', 'text')
		.addColumn('error', 'text')
		.execute();
	await db.schema.createIndex('backup_run_finished_idx').on('backup_run').column('finished_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('backup_run').execute();
	await db.schema.dropTable('commerce_lease').execute();
	await db.schema.dropTable('commerce_instance').execute();
}

import { type Kysely, sql } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// The transactional outbox (issue 10): side effects that must survive a crash after commit (order emails today,
// merchant webhooks later) are written as rows in the same transaction as the change that causes them, then delivered
// by a drainer with retries. `locked_until` lets one drainer claim a row at a time (PostgreSQL: FOR UPDATE SKIP LOCKED).

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('outbox')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// What to do with the payload, e.g. `email`; the drainer has one handler per kind.
		.addColumn('kind', 'text', (c) => c.notNull())
		// Optional idempotency key: enqueueing the same key twice keeps the first row.
		.addColumn('dedupe_key', 'text', (c) => c.unique())
		// JSON, whatever the kind's handler needs (for email: the rendered message).
		.addColumn('payload', 'text', (c) => c.notNull())
		// pending → sent, or dead after the last failed attempt (kept for the merchant to inspect).
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'sent', 'dead')`))
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0).check(sql`attempts >= 0`))
		.addColumn('next_attempt_at', 'text', (c) => c.notNull())
		// Set when a drainer claims the row; another drainer may take it only after this time (a crash mid-delivery).
		.addColumn('locked_until', 'text')
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('sent_at', 'text')
		.execute();
	await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('outbox').execute();
}

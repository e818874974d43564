import { type Kysely, sql } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Outgoing webhooks (issue 14): the merchant's endpoints and a log of every delivery attempt. The messages themselves
// travel through the transactional outbox (0007, kind `webhook`), written in the same transaction as the order or stock
// change they announce; this log is what the admin shows per endpoint (status, latency, response code) and resends from.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('webhook_endpoint')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('url', 'text', (c) => c.notNull())
		// JSON array of event types, e.g. ["order.placed","order.paid"].
		.addColumn('events', 'text', (c) => c.notNull())
		.addColumn('description', 'text')
		// `whsec_` + base64 of 32 random bytes (Standard Webhooks).
		.addColumn('secret', 'text', (c) => c.notNull())
		// After a rotation the old secret also signs for a while, so receivers can switch without losing messages.
		.addColumn('previous_secret', 'text')
		.addColumn('previous_secret_expires_at', 'text')
		.addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1).check(sql`enabled in (0, 1)`))
		// Why it was disabled: `manual`, or the automatic reason shown to the merchant as a notice.
		.addColumn('disabled_reason', 'text')
		.addColumn('disabled_at', 'text')
		// Failed attempts since the last success, and when that run of failures began (auto-disable).
		.addColumn('failure_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`failure_count >= 0`))
		.addColumn('failing_since', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createTable('webhook_delivery')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('endpoint_id', 'text', (c) => c.notNull())
		// The `webhook-id` header: one per event and endpoint, the same on every retry and resend.
		.addColumn('message_id', 'text', (c) => c.notNull())
		.addColumn('event_type', 'text', (c) => c.notNull())
		// The outbox row that carried the attempt (gone once pruned).
		.addColumn('outbox_id', 'text')
		.addColumn('attempt', 'integer', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('succeeded', 'failed')`))
		.addColumn('response_status', 'integer')
		.addColumn('latency_ms', 'integer', (c) => c.notNull())
		// The first characters of the answer or the network error, for the merchant to debug.
		.addColumn('error', 'text')
		// The JSON body as sent, so "resend" repeats exactly this message.
		.addColumn('payload', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('webhook_delivery_endpoint_idx')
		.on('webhook_delivery')
		.columns(['endpoint_id', 'created_at'])
		.execute();
	await db.schema.createIndex('webhook_delivery_created_idx').on('webhook_delivery').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('webhook_delivery').execute();
	await db.schema.dropTable('webhook_endpoint').execute();
}

import { type Kysely, sql } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Abandoned-cart recovery (issue 14): one row per cart that was found abandoned (the primary key makes "one email per
// cart" a constraint, not a hope), and the addresses that asked for no more reminder emails.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('cart_recovery')
		// Pruning the cart (retention: 90 days) takes its recovery row with it.
		.addColumn('cart_id', 'text', (c) => c.primaryKey().references('cart.id').onDelete('cascade'))
		// Lower-case; the address the reminder went (or would have gone) to.
		.addColumn('email', 'text', (c) => c.notNull())
		// queued (in the outbox) → sent, or skipped at delivery (ordered meanwhile, unsubscribed, cart emptied).
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'sent', 'skipped')`))
		.addColumn('skip_reason', 'text')
		.addColumn('queued_at', 'text', (c) => c.notNull())
		.addColumn('sent_at', 'text')
		// First click on the restore link.
		.addColumn('restored_at', 'text')
		.execute();
	await db.schema.createIndex('cart_recovery_queued_idx').on('cart_recovery').column('queued_at').execute();

	await db.schema
		.createTable('email_opt_out')
		// Lower-case.
		.addColumn('email', 'text', (c) => c.primaryKey())
		// What the address opted out of: `cart_reminders` (the unsubscribe link of a reminder).
		.addColumn('topic', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('email_opt_out').execute();
	await db.schema.dropTable('cart_recovery').execute();
}

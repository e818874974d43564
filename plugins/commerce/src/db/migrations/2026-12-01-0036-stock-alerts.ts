import { type Kysely, sql } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Back-in-stock alerts (issue 14): a shopper asks to be told when a sold-out variant is back; the request counts only
// after they confirm it from the email (double opt-in); a restock notifies each confirmed address once.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('stock_alert')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('variant_id', 'text', (c) => c.notNull().references('product_variant.id'))
		// Lower-case.
		.addColumn('email', 'text', (c) => c.notNull())
		// pending (waiting for the confirmation click) → confirmed → notified; canceled by unsubscribe.
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('pending', 'confirmed', 'notified', 'canceled')`),
		)
		// SHA-256 (hex) of the token in the confirmation link; the token itself is only in the email.
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		// The shop's origin and name when the shopper asked: the notification (sent from a stock move, which knows
		// neither) links there and signs with that name.
		.addColumn('origin', 'text', (c) => c.notNull())
		.addColumn('shop_name', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('confirmed_at', 'text')
		.addColumn('notified_at', 'text')
		.execute();
	await db.schema.createIndex('stock_alert_variant_idx').on('stock_alert').columns(['variant_id', 'status']).execute();
	await db.schema.createIndex('stock_alert_email_idx').on('stock_alert').column('email').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('stock_alert').execute();
}

import { type Kysely, sql } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Storefront analytics (issue 6): one row per beacon event, plus one `purchase` per order written by the server.
// Deliberately no IP address, user agent, email or customer id: a visit is a random id the browser made, and nothing
// here can be joined to a person.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('analytics_event')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// 32 hex digits from the browser (sessionStorage); null for purchases whose browser sent none or refused tracking.
		.addColumn('visit_id', 'text', (c) => c.check(sql`visit_id is null or length(visit_id) = 32`))
		.addColumn('type', 'text', (c) =>
			c
				.notNull()
				.check(sql`type in ('page_view', 'product_view', 'add_to_cart', 'view_cart', 'checkout_start', 'purchase')`),
		)
		// Pathname only (no query string or fragment), at most 200 characters.
		.addColumn('path', 'text', (c) => c.check(sql`path is null or length(path) <= 200`))
		.addColumn('product_id', 'text')
		.addColumn('variant_id', 'text')
		.addColumn('cart_id', 'text')
		.addColumn('order_id', 'text')
		// Integer minor units of `currency`.
		.addColumn('value', 'integer', (c) => c.check(sql`value is null or value >= 0`))
		.addColumn('currency', 'text')
		// When it happened (the browser's clock, kept only when close to `received_at`) and when the server got it.
		.addColumn('occurred_at', 'text', (c) => c.notNull())
		.addColumn('received_at', 'text', (c) => c.notNull())
		.execute();
	// Dashboard queries are time ranges, overall (visits) and per type (funnel).
	await db.schema.createIndex('analytics_event_occurred_idx').on('analytics_event').column('occurred_at').execute();
	await db.schema
		.createIndex('analytics_event_type_occurred_idx')
		.on('analytics_event')
		.columns(['type', 'occurred_at'])
		.execute();
	// At most one purchase per order, whatever retries happen (partial unique index: SQLite and PostgreSQL).
	await db.schema
		.createIndex('analytics_event_purchase_order_uq')
		.on('analytics_event')
		.column('order_id')
		.unique()
		.where(sql.ref('type'), '=', sql.lit('purchase'))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('analytics_event').execute();
}

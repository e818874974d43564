import type { Kysely } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Analytics rollups (issue 18): the dashboard reads small per-day tables instead of scanning orders and events.
// A `day` is `YYYY-MM-DD` in the reporting time zone recorded in `analytics_rollup_state` (key `time_zone`).
// Writers keep them current in their own transactions; `commerce analytics:rebuild` recomputes them from the raw rows.

export async function up(db: Kysely<any>): Promise<void> {
	// Orders by the day they were placed, per currency. `orders` counts every order placed, `canceled_orders` those
	// canceled since; `revenue` is Σ max(0, total − refunded) over the others (the KPI definition), `refunded` Σ refunds.
	await db.schema
		.createTable('analytics_sales_day')
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('currency', 'text', (c) => c.notNull())
		.addColumn('orders', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('canceled_orders', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('revenue', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('refunded', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('units', 'integer', (c) => c.notNull().defaultTo(0))
		.addPrimaryKeyConstraint('analytics_sales_day_pk', ['day', 'currency'])
		.execute();
	// Units and net line revenue (less returned units) of orders that count, per variant.
	await db.schema
		.createTable('analytics_product_day')
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('currency', 'text', (c) => c.notNull())
		.addColumn('variant_id', 'text', (c) => c.notNull())
		.addColumn('product_id', 'text', (c) => c.notNull())
		// The greatest line title seen (a product renamed in the content files shows its catalog title anyway).
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('units', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('revenue', 'integer', (c) => c.notNull().defaultTo(0))
		.addPrimaryKeyConstraint('analytics_product_day_pk', ['day', 'currency', 'variant_id', 'product_id'])
		.execute();
	// Events and visits per day; a visit with events on two days counts on each (sessions end at midnight).
	await db.schema
		.createTable('analytics_traffic_day')
		.addColumn('day', 'text', (c) => c.primaryKey())
		.addColumn('events', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('visits', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('product_view', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('add_to_cart', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('checkout_start', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('purchase', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	// Which funnel steps a visit reached on a day: what lets a new event know whether its visit/step is new that day.
	await db.schema
		.createTable('analytics_visit_day')
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('visit_id', 'text', (c) => c.notNull())
		.addColumn('product_view', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('add_to_cart', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('checkout_start', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('purchase', 'integer', (c) => c.notNull().defaultTo(0))
		.addPrimaryKeyConstraint('analytics_visit_day_pk', ['day', 'visit_id'])
		.execute();
	// Carts by the day they were created: all, with items, completed with items (cart abandonment).
	await db.schema
		.createTable('analytics_cart_day')
		.addColumn('day', 'text', (c) => c.primaryKey())
		.addColumn('carts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('with_items', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('completed', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	// What each cart contributes to `analytics_cart_day`, so a cart write applies only the difference.
	await db.schema
		.createTable('analytics_cart_fact')
		.addColumn('cart_id', 'text', (c) => c.primaryKey())
		.addColumn('day', 'text', (c) => c.notNull())
		.addColumn('has_items', 'integer', (c) => c.notNull())
		.addColumn('completed', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('analytics_cart_fact_day_idx').on('analytics_cart_fact').column('day').execute();
	// time_zone (the rollups' days), events_pruned_before (the first day whose raw events are all kept).
	await db.schema
		.createTable('analytics_rollup_state')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.execute();
	await db.insertInto('analytics_rollup_state').values({ key: 'time_zone', value: 'UTC' }).execute();

	// Indexes for the admin order list filters (newest first within a filter), a customer's order history, and
	// day-range scans of carts (rebuild); cart lines are found by the (cart_id, variant_id) unique index.
	await db.schema.createIndex('orders_status_created_idx').on('orders').columns(['status', 'created_at']).execute();
	await db.schema
		.createIndex('orders_payment_status_created_idx')
		.on('orders')
		.columns(['payment_status', 'created_at'])
		.execute();
	await db.schema
		.createIndex('orders_fulfillment_status_created_idx')
		.on('orders')
		.columns(['fulfillment_status', 'created_at'])
		.execute();
	await db.schema
		.createIndex('orders_customer_created_idx')
		.on('orders')
		.columns(['customer_id', 'created_at'])
		.execute();
	await db.schema.createIndex('cart_created_idx').on('cart').column('created_at').execute();
	// The dashboard's customer count (role = customer) counts index entries instead of reading every customer.
	await db.schema.createIndex('customer_role_idx').on('customer').column('role').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const index of [
		'orders_status_created_idx',
		'orders_payment_status_created_idx',
		'orders_fulfillment_status_created_idx',
		'orders_customer_created_idx',
		'cart_created_idx',
		'customer_role_idx',
	])
		await db.schema.dropIndex(index).execute();
	for (const table of [
		'analytics_rollup_state',
		'analytics_cart_fact',
		'analytics_cart_day',
		'analytics_visit_day',
		'analytics_traffic_day',
		'analytics_product_day',
		'analytics_sales_day',
	])
		await db.schema.dropTable(table).execute();
}

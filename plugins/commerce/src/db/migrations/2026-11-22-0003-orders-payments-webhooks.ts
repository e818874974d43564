import { type Kysely, sql } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).

export async function up(db: Kysely<any>): Promise<void> {
	// One session per provider per cart; `data` is what the provider returned (never card numbers or secrets).
	await db.schema
		.createTable('payment_session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('cart_id', 'text', (c) => c.notNull().references('cart.id').onDelete('cascade'))
		.addColumn('provider_id', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('is_selected', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('amount', 'integer', (c) => c.notNull())
		.addColumn('currency_code', 'text', (c) => c.notNull())
		.addColumn('data', 'text', (c) => c.notNull())
		.addColumn('reference', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('payment_session_cart_provider_uq', ['cart_id', 'provider_id'])
		.execute();
	await db.schema.createIndex('payment_session_reference_idx').on('payment_session').column('reference').execute();

	await db.schema
		.createTable('orders')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// Sequential number for people; allocated inside the write transaction that creates the order.
		.addColumn('display_id', 'integer', (c) => c.notNull().unique())
		.addColumn('cart_id', 'text', (c) => c.notNull().unique().references('cart.id'))
		.addColumn('customer_id', 'text')
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('region_id', 'text', (c) => c.notNull())
		.addColumn('currency_code', 'text', (c) => c.notNull())
		.addColumn('tax_rate', 'real', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('payment_status', 'text', (c) => c.notNull())
		.addColumn('fulfillment_status', 'text', (c) => c.notNull())
		.addColumn('subtotal', 'integer', (c) => c.notNull())
		.addColumn('discount_total', 'integer', (c) => c.notNull())
		.addColumn('shipping_total', 'integer', (c) => c.notNull())
		.addColumn('shipping_tax_total', 'integer', (c) => c.notNull())
		.addColumn('item_tax_total', 'integer', (c) => c.notNull())
		.addColumn('tax_total', 'integer', (c) => c.notNull())
		.addColumn('total', 'integer', (c) => c.notNull().check(sql`total >= 0`))
		.addColumn('shipping_option_id', 'text')
		.addColumn('shipping_method_name', 'text')
		.addColumn('shipping_address_id', 'text', (c) => c.references('address.id'))
		.addColumn('billing_address_id', 'text', (c) => c.references('address.id'))
		.addColumn('carrier', 'text')
		.addColumn('tracking_number', 'text')
		.addColumn('canceled_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('orders_email_idx').on('orders').column('email').execute();
	await db.schema.createIndex('orders_customer_idx').on('orders').column('customer_id').execute();
	await db.schema.createIndex('orders_created_idx').on('orders').column('created_at').execute();

	// Lines snapshot what was bought at the price paid, so history never changes when content does.
	await db.schema
		.createTable('order_line')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
		.addColumn('variant_id', 'text', (c) => c.notNull().references('product_variant.id'))
		.addColumn('product_id', 'text', (c) => c.notNull())
		.addColumn('sku', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('variant_title', 'text', (c) => c.notNull())
		.addColumn('thumbnail', 'text')
		.addColumn('unit_price', 'integer', (c) => c.notNull())
		.addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 1`))
		.addColumn('subtotal', 'integer', (c) => c.notNull())
		.addColumn('discount_total', 'integer', (c) => c.notNull())
		.addColumn('tax_total', 'integer', (c) => c.notNull())
		.addColumn('total', 'integer', (c) => c.notNull())
		.addColumn('returned_quantity', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.createIndex('order_line_order_idx').on('order_line').column('order_id').execute();

	await db.schema
		.createTable('order_discount')
		.addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
		.addColumn('discount_id', 'text', (c) => c.notNull().references('discount.id'))
		.addColumn('code', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('order_discount_pk', ['order_id', 'discount_id'])
		.execute();

	// One row per state transition, written in the transaction of the transition.
	await db.schema
		.createTable('order_event')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('data', 'text', (c) => c.notNull())
		.addColumn('actor', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('order_event_order_idx').on('order_event').columns(['order_id', 'created_at']).execute();

	await db.schema
		.createTable('payment')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('order_id', 'text', (c) => c.notNull().unique().references('orders.id'))
		.addColumn('provider_id', 'text', (c) => c.notNull())
		.addColumn('reference', 'text')
		.addColumn('currency_code', 'text', (c) => c.notNull())
		.addColumn('amount', 'integer', (c) => c.notNull())
		.addColumn('amount_authorized', 'integer', (c) => c.notNull())
		.addColumn('amount_captured', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('amount_refunded', 'integer', (c) => c.notNull().defaultTo(0))
		// Only these two of the card are ever stored.
		.addColumn('card_brand', 'text')
		.addColumn('card_last4', 'text')
		.addColumn('data', 'text', (c) => c.notNull())
		.addColumn('captured_at', 'text')
		.addColumn('canceled_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addCheckConstraint(
			'payment_amounts_ordered',
			sql`amount_refunded <= amount_captured and amount_captured <= amount_authorized`,
		)
		.execute();
	await db.schema.createIndex('payment_reference_idx').on('payment').column('reference').execute();

	// A webhook event id is processed once: inserted in the same transaction as its effect.
	await db.schema
		.createTable('webhook_event')
		.addColumn('provider_id', 'text', (c) => c.notNull())
		.addColumn('event_id', 'text', (c) => c.notNull())
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('processed_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('webhook_event_pk', ['provider_id', 'event_id'])
		.execute();

	// Server-side secrets and settings created at first start (e.g. the key signing order-access cookies).
	await db.schema
		.createTable('commerce_setting')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'commerce_setting',
		'webhook_event',
		'payment',
		'order_event',
		'order_discount',
		'order_line',
		'orders',
		'payment_session',
	]) {
		await db.schema.dropTable(table).execute();
	}
}

import { type Kysely, sql } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('address')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('customer_id', 'text')
		.addColumn('company', 'text')
		.addColumn('first_name', 'text')
		.addColumn('last_name', 'text')
		.addColumn('address_1', 'text')
		.addColumn('address_2', 'text')
		.addColumn('city', 'text')
		.addColumn('country_code', 'text')
		.addColumn('province', 'text')
		.addColumn('postal_code', 'text')
		.addColumn('phone', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('cart')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('email', 'text')
		.addColumn('customer_id', 'text')
		.addColumn('region_id', 'text', (c) => c.notNull())
		.addColumn('currency_code', 'text', (c) => c.notNull())
		.addColumn('shipping_address_id', 'text', (c) => c.references('address.id'))
		.addColumn('billing_address_id', 'text', (c) => c.references('address.id'))
		// Recorded by the server, never taken from the request body (contract §5: client context is spoofable).
		.addColumn('client_ip', 'text')
		.addColumn('user_agent', 'text')
		.addColumn('metadata', 'text')
		.addColumn('completed_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	// One row per variant per cart: adding the same variant again merges into it.
	await db.schema
		.createTable('line_item')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('cart_id', 'text', (c) => c.notNull().references('cart.id').onDelete('cascade'))
		.addColumn('variant_id', 'text', (c) => c.notNull().references('product_variant.id'))
		.addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 1 and quantity <= 999`))
		.addColumn('metadata', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('line_item_cart_variant_uq', ['cart_id', 'variant_id'])
		.execute();

	await db.schema
		.createTable('discount')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// Stored upper-case; codes are matched case-insensitively by upper-casing the input.
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('description', 'text')
		.addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('percentage', 'fixed', 'free_shipping')`))
		.addColumn('value', 'real', (c) => c.notNull().check(sql`value >= 0`))
		.addColumn('currency_code', 'text')
		.addColumn('min_subtotal', 'integer')
		.addColumn('max_discount_amount', 'integer')
		.addColumn('starts_at', 'text')
		.addColumn('ends_at', 'text')
		.addColumn('usage_limit', 'integer')
		.addColumn('usage_count', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('per_customer_limit', 'integer')
		.addColumn('is_disabled', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		// The guard an atomic "usage_count = usage_count + 1 where usage_count < usage_limit" relies on.
		.addCheckConstraint('discount_usage_within_limit', sql`usage_limit is null or usage_count <= usage_limit`)
		.execute();

	// Optional restriction: a discount with conditions applies only to the listed products or categories.
	await db.schema
		.createTable('discount_condition')
		.addColumn('discount_id', 'text', (c) => c.notNull().references('discount.id').onDelete('cascade'))
		.addColumn('target_type', 'text', (c) => c.notNull().check(sql`target_type in ('product', 'category')`))
		.addColumn('target_id', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('discount_condition_pk', ['discount_id', 'target_type', 'target_id'])
		.execute();

	// Per-customer limits count these; written when an order is placed (checkout issue).
	await db.schema
		.createTable('discount_usage')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('discount_id', 'text', (c) => c.notNull().references('discount.id'))
		// customer id, or "email:<lower-case email>" for guests.
		.addColumn('customer_key', 'text', (c) => c.notNull())
		.addColumn('order_id', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('discount_usage_lookup_idx')
		.on('discount_usage')
		.columns(['discount_id', 'customer_key'])
		.execute();

	await db.schema
		.createTable('cart_discount')
		.addColumn('cart_id', 'text', (c) => c.notNull().references('cart.id').onDelete('cascade'))
		.addColumn('discount_id', 'text', (c) => c.notNull().references('discount.id'))
		.addPrimaryKeyConstraint('cart_discount_pk', ['cart_id', 'discount_id'])
		.execute();

	// One shipping method per cart (one shipping profile); re-adding replaces it.
	await db.schema
		.createTable('shipping_method')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('cart_id', 'text', (c) => c.notNull().unique().references('cart.id').onDelete('cascade'))
		.addColumn('shipping_option_id', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	// Replayable responses of mutating Store API calls, scoped so a key never answers another route or cart.
	await db.schema
		.createTable('idempotency_key')
		.addColumn('idempotency_key', 'text', (c) => c.notNull())
		.addColumn('scope', 'text', (c) => c.notNull())
		.addColumn('request_hash', 'text', (c) => c.notNull())
		.addColumn('response_status', 'integer')
		.addColumn('response_body', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('idempotency_key_pk', ['idempotency_key', 'scope'])
		.execute();
	await db.schema.createIndex('idempotency_key_expiry_idx').on('idempotency_key').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'idempotency_key',
		'shipping_method',
		'cart_discount',
		'discount_usage',
		'discount_condition',
		'discount',
		'line_item',
		'cart',
		'address',
	]) {
		await db.schema.dropTable(table).execute();
	}
}

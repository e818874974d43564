import { type Kysely, sql } from 'kysely';

// Frozen: this migration describes the schema as it was on its date. Never edit it; add a new migration instead.
// Types stay portable to PostgreSQL: text ids, integer money, integer 0/1 flags, ISO-8601 text timestamps.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('product_category')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('handle', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('product_collection')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('handle', 'text', (c) => c.notNull().unique())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('product')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('handle', 'text', (c) => c.notNull().unique())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('subtitle', 'text')
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('category_id', 'text', (c) => c.notNull().references('product_category.id'))
		.addColumn('collection_id', 'text', (c) => c.references('product_collection.id'))
		.addColumn('thumbnail', 'text')
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('featured', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('rank', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('product_category_id_idx').on('product').column('category_id').execute();

	await db.schema
		.createTable('product_image')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('product_id', 'text', (c) => c.notNull().references('product.id').onDelete('cascade'))
		.addColumn('url', 'text', (c) => c.notNull())
		.addColumn('alt', 'text', (c) => c.notNull())
		.addColumn('rank', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('product_image_product_idx').on('product_image').column('product_id').execute();

	await db.schema
		.createTable('product_tag')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('product_id', 'text', (c) => c.notNull().references('product.id').onDelete('cascade'))
		.addColumn('value', 'text', (c) => c.notNull())
		.addUniqueConstraint('product_tag_product_value_uq', ['product_id', 'value'])
		.execute();

	await db.schema
		.createTable('product_option')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('product_id', 'text', (c) => c.notNull().references('product.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('rank', 'integer', (c) => c.notNull())
		.addUniqueConstraint('product_option_product_title_uq', ['product_id', 'title'])
		.execute();

	await db.schema
		.createTable('product_variant')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('product_id', 'text', (c) => c.notNull().references('product.id'))
		.addColumn('sku', 'text', (c) => c.notNull().unique())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('rank', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('product_variant_product_idx').on('product_variant').column('product_id').execute();

	await db.schema
		.createTable('product_option_value')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('option_id', 'text', (c) => c.notNull().references('product_option.id').onDelete('cascade'))
		.addColumn('variant_id', 'text', (c) => c.notNull().references('product_variant.id').onDelete('cascade'))
		.addColumn('value', 'text', (c) => c.notNull())
		.addUniqueConstraint('product_option_value_option_variant_uq', ['option_id', 'variant_id'])
		.execute();

	await db.schema
		.createTable('money_amount')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('variant_id', 'text', (c) => c.notNull().references('product_variant.id').onDelete('cascade'))
		.addColumn('currency_code', 'text', (c) => c.notNull())
		.addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount >= 0`))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('money_amount_variant_currency_uq', ['variant_id', 'currency_code'])
		.execute();

	// Stock is owned by the database after the first sync. available = stocked - reserved; both can never go negative,
	// so a conditional UPDATE ... WHERE stocked_quantity - reserved_quantity >= :qty is the oversell guard.
	await db.schema
		.createTable('inventory_level')
		.addColumn('variant_id', 'text', (c) => c.primaryKey().references('product_variant.id'))
		.addColumn('stocked_quantity', 'integer', (c) => c.notNull().check(sql`stocked_quantity >= 0`))
		.addColumn('reserved_quantity', 'integer', (c) => c.notNull().defaultTo(0).check(sql`reserved_quantity >= 0`))
		.addColumn('low_stock_threshold', 'integer')
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addCheckConstraint('inventory_level_reserved_le_stocked', sql`reserved_quantity <= stocked_quantity`)
		.execute();

	// Append-only: every stock change is a row; SUM(delta) per variant equals inventory_level.stocked_quantity.
	await db.schema
		.createTable('inventory_ledger')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('variant_id', 'text', (c) => c.notNull().references('product_variant.id'))
		.addColumn('delta', 'integer', (c) => c.notNull())
		.addColumn('quantity_after', 'integer', (c) => c.notNull())
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('reference_id', 'text')
		.addColumn('actor', 'text', (c) => c.notNull())
		.addColumn('note', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('inventory_ledger_variant_idx')
		.on('inventory_ledger')
		.columns(['variant_id', 'created_at'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'inventory_ledger',
		'inventory_level',
		'money_amount',
		'product_option_value',
		'product_variant',
		'product_option',
		'product_tag',
		'product_image',
		'product',
		'product_collection',
		'product_category',
	]) {
		await db.schema.dropTable(table).execute();
	}
}

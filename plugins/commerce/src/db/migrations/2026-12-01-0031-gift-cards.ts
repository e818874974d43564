import { type Kysely, sql } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Gift cards (issue 15, Medusa v1 semantics): a code with a balance in one currency, applied to carts, drawn
// atomically when the order is placed (one ledger row per draw or restore), and the amount an order took from them.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('gift_card')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// Stored upper-case; codes are matched case-insensitively by upper-casing the input.
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('value', 'integer', (c) => c.notNull().check(sql`value > 0`))
		// Never negative: draws are conditional updates (`balance >= amount`), so two carts cannot spend it twice.
		.addColumn('balance', 'integer', (c) => c.notNull().check(sql`balance >= 0 and balance <= value`))
		.addColumn('currency_code', 'text', (c) => c.notNull())
		.addColumn('is_disabled', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('ends_at', 'text')
		.addColumn('note', 'text')
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('cart_gift_card')
		.addColumn('cart_id', 'text', (c) => c.notNull().references('cart.id').onDelete('cascade'))
		.addColumn('gift_card_id', 'text', (c) => c.notNull().references('gift_card.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('cart_gift_card_pk', ['cart_id', 'gift_card_id'])
		.execute();

	// Positive amount: drawn by an order; negative: given back (order canceled).
	await db.schema
		.createTable('gift_card_transaction')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('gift_card_id', 'text', (c) => c.notNull().references('gift_card.id'))
		.addColumn('order_id', 'text', (c) => c.notNull())
		.addColumn('amount', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('gift_card_transaction_card_idx')
		.on('gift_card_transaction')
		.column('gift_card_id')
		.execute();
	await db.schema
		.createIndex('gift_card_transaction_order_idx')
		.on('gift_card_transaction')
		.column('order_id')
		.execute();

	await db.schema
		.alterTable('orders')
		.addColumn('gift_card_total', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('orders').dropColumn('gift_card_total').execute();
	await db.schema.dropTable('gift_card_transaction').execute();
	await db.schema.dropTable('cart_gift_card').execute();
	await db.schema.dropTable('gift_card').execute();
}

import type { Kysely } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Gift cards sold as a product (issue 15): a product marked `giftCard` in its content file; paying for an order with
// such lines issues one card per unit, remembered by order line so it is never issued twice.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('product')
		.addColumn('is_giftcard', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.alterTable('gift_card').addColumn('order_id', 'text').execute();
	await db.schema.alterTable('gift_card').addColumn('order_line_id', 'text').execute();
	await db.schema.createIndex('gift_card_order_idx').on('gift_card').column('order_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('gift_card_order_idx').execute();
	await db.schema.alterTable('gift_card').dropColumn('order_line_id').execute();
	await db.schema.alterTable('gift_card').dropColumn('order_id').execute();
	await db.schema.alterTable('product').dropColumn('is_giftcard').execute();
}

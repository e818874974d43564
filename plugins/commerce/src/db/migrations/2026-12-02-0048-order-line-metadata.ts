import type { Kysely } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Order lines keep the cart line's metadata (Medusa's `LineItem.metadata` travels to the order): a gift card bought as
// a product reads its recipient there (`recipient_email`, `recipient_name`, `message`), possibly long after checkout
// when the merchant captures a manual payment.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('order_line').addColumn('metadata', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('order_line').dropColumn('metadata').execute();
}

import type { Kysely } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Optimistic concurrency for order changes (issue 10): the order service loads an order once, decides in the pure
// state machine, calls the payment provider outside any transaction, then writes with
// `UPDATE orders … WHERE id = ? AND version = ?`. A concurrent change in between bumps the version, so the write
// touches no row and the change is refused instead of overwriting what happened meanwhile.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('orders')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('orders').dropColumn('version').execute();
}

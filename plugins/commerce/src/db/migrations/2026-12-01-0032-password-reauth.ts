import type { Kysely } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Recent sign-in with the password (issue 15): a Medusa storefront changes the password by signing in with the old
// one (`POST /store/auth`) and then sending only `{ password }`. One row per customer: when and from which client
// address the password was last proven; a credential change may skip `old_password` only shortly after, from there.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('customer_reauth')
		.addColumn('customer_id', 'text', (c) => c.primaryKey().references('customer.id').onDelete('cascade'))
		.addColumn('verified_at', 'text', (c) => c.notNull())
		.addColumn('client_address', 'text')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('customer_reauth').execute();
}

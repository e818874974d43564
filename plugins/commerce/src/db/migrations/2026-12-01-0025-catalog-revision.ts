import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Performance (issue 11): every change to the catalog tables bumps one counter, so each server process can hold the
// catalog in memory and notice with one cheap read that another process (a sync, an admin edit, the CLI) changed it.
// Triggers rather than application code so no writer can forget it. Stock (inventory_level) is not catalog: it stays
// live and never bumps the revision.

const CATALOG_TABLES = [
	'product_category',
	'product_collection',
	'product',
	'product_image',
	'product_tag',
	'product_option',
	'product_variant',
	'product_option_value',
	'money_amount',
];

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('catalog_revision')
		.addColumn('id', 'integer', (c) => c.primaryKey())
		.addColumn('revision', 'integer', (c) => c.notNull())
		.execute();
	await db.insertInto('catalog_revision').values({ id: 1, revision: 1 }).execute();

	if (db.getExecutor().adapter instanceof PostgresAdapter) {
		await sql`create function commerce_bump_catalog_revision() returns trigger language plpgsql as $$
begin
	update catalog_revision set revision = revision + 1 where id = 1;
	return null;
end $$`.execute(db);
		for (const table of CATALOG_TABLES) {
			await sql`create trigger ${sql.raw(`${table}_catalog_revision`)} after insert or update or delete on ${sql.table(table)}
for each statement execute function commerce_bump_catalog_revision()`.execute(db);
		}
		return;
	}
	// SQLite has row triggers only, one event each; a bump is a one-row update inside the writer's own transaction.
	for (const table of CATALOG_TABLES) {
		for (const event of ['insert', 'update', 'delete']) {
			await sql`create trigger ${sql.raw(`${table}_${event}_catalog_revision`)} after ${sql.raw(event)} on ${sql.table(table)}
begin update catalog_revision set revision = revision + 1 where id = 1; end`.execute(db);
		}
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	if (db.getExecutor().adapter instanceof PostgresAdapter) {
		for (const table of CATALOG_TABLES) {
			await sql`drop trigger if exists ${sql.raw(`${table}_catalog_revision`)} on ${sql.table(table)}`.execute(db);
		}
		await sql`drop function if exists commerce_bump_catalog_revision()`.execute(db);
	} else {
		for (const table of CATALOG_TABLES) {
			for (const event of ['insert', 'update', 'delete']) {
				await sql`drop trigger if exists ${sql.raw(`${table}_${event}_catalog_revision`)}`.execute(db);
			}
		}
	}
	await db.schema.dropTable('catalog_revision').execute();
}

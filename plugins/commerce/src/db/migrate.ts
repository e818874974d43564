import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import { databaseDialect } from './dialect.ts';
import { migrations } from './migrations/index.ts';

/** Thrown when a migration fails; the database is left at the last migration that succeeded. */
export class MigrationError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'MigrationError';
	}
}

function migrator(db: Kysely<any>): Migrator {
	return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/**
 * Names gaps do not matter (0005 was never used); order does: Kysely applies migrations in name order and refuses a
 * new one that sorts before one the database already has. Check that first and name the migration, instead of
 * Kysely's "corrupted migrations" message.
 */
export async function checkMigrationOrder(
	db: Kysely<any>,
	known: readonly string[] = Object.keys(migrations),
): Promise<void> {
	const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
	if (!tables.some((t) => t.name === 'kysely_migration')) return;
	const rows = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
	const applied = rows.map((r: { name: string }) => r.name);
	const unknown = applied.filter((name) => !known.includes(name));
	if (unknown.length)
		throw new MigrationError(
			`The database has migration ${unknown.join(', ')}, which this version of @frostbuy/commerce does not know: it was migrated by a newer version. Upgrade the package (or restore a backup made before that upgrade).`,
		);
	const last = applied.at(-1);
	const misplaced = known.filter((name) => !applied.includes(name) && last !== undefined && name < last);
	if (misplaced.length)
		throw new MigrationError(
			`Migration ${misplaced.join(', ')} sorts before ${last}, which this database already applied, so it can never run. Rename it with today's date and the next number (see NEXT_MIGRATION.md in src/db/migrations).`,
		);
}

/** Brings the database to the latest schema and returns the names applied now; throws on the first failure. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
	await checkMigrationOrder(db);
	const result: MigrationResultSet = await migrator(db).migrateToLatest();
	const failed = result.results?.find((r) => r.status === 'Error');
	if (result.error || failed) {
		const name = failed?.migrationName ?? 'unknown';
		const reason = result.error instanceof Error ? result.error.message : String(result.error);
		throw new MigrationError(
			`Database migration ${name} failed: ${reason}. Fix the cause and start the server again; earlier migrations stay applied.`,
			{ cause: result.error },
		);
	}
	return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of applied migrations, oldest first, and whether any known migration is still pending. */
export async function migrationStatus(db: Kysely<any>): Promise<{ applied: string[]; pending: string[] }> {
	const all = await migrator(db).getMigrations();
	return {
		applied: all.filter((m) => m.executedAt).map((m) => m.name),
		pending: all.filter((m) => !m.executedAt).map((m) => m.name),
	};
}

/** Whether the database has any table yet (a new database: nothing migrated, nothing seeded). */
export async function hasTables(db: Kysely<any>): Promise<boolean> {
	const query =
		databaseDialect(db) === 'postgres'
			? sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = current_schema()`
			: sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name not like 'sqlite_%'`;
	const { rows } = await query.execute(db);
	return Number(rows[0]?.n ?? 0) > 0;
}

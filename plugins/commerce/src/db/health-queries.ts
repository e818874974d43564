import { type Kysely, sql } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { Database } from './types.ts';

export { type Dialect, databaseDialect } from './dialect.ts';

// The cheap questions health checks ask many times a second: does the database answer, is its schema the one this
// code expects. One small query each (the Kysely Migrator's own introspection costs several).

/** `select 1`: throws when the database cannot answer. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
	await sql`select 1`.execute(db);
}

export interface SchemaState {
	/** Migrations applied in the database, oldest first. */
	applied: string[];
	/** Migrations this code knows and the database has not applied. */
	pending: string[];
	/** Migrations the database has applied that this code does not know: it was migrated by a newer version. */
	unknown: string[];
}

/** Compares the migrations recorded in the database (Kysely's `kysely_migration` table) with the ones compiled in. */
export async function schemaState(db: Kysely<Database>): Promise<SchemaState> {
	let applied: string[] = [];
	try {
		const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
		applied = rows.map((r) => r.name);
	} catch (error) {
		// No migration table yet is a new, empty database; anything else (unreachable, locked) is the caller's problem.
		const { code, message } = error as { code?: string; message?: string };
		if (code !== '42P01' && !/no such table/i.test(message ?? '')) throw error;
	}
	const known = Object.keys(migrations).sort();
	const done = new Set(applied);
	return {
		applied,
		pending: known.filter((name) => !done.has(name)),
		unknown: applied.filter((name) => !(name in migrations)),
	};
}

import { type Kysely, sql } from 'kysely';
import { databaseDialect } from './dialect.ts';
import { migrateToLatest } from './migrate.ts';
import { STARTUP_LOCK, withDatabaseLock } from './transaction.ts';
import type { Database } from './types.ts';

// `commerce db:copy`: moves a shop from its SQLite file into a new PostgreSQL database (the step from one machine to
// several instances). Both are brought to the latest schema by the same migrations, then every row of every table is
// copied in foreign-key order in one PostgreSQL transaction: the target has all of it or nothing.

/** Tables that describe the running processes of the source, not the shop: never copied. */
const SKIPPED = new Set(['kysely_migration', 'kysely_migration_lock', 'commerce_instance', 'commerce_lease']);

export interface CopyReport {
	/** Rows copied per table, in copy order. */
	tables: { table: string; rows: number }[];
	/** The next order number the target will hand out. */
	nextDisplayId: number;
}

/** Thrown when the copy is refused before anything was written (a target that already holds a shop). */
export class CopyRefusedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CopyRefusedError';
	}
}

async function sqliteTables(db: Kysely<Database>): Promise<string[]> {
	const { rows } = await sql<{
		name: string;
	}>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
	return rows.map((r) => r.name).filter((name) => !SKIPPED.has(name));
}

/** The target's tables ordered so that every table comes after the tables its foreign keys point to. */
async function foreignKeyOrder(db: Kysely<Database>, tables: string[]): Promise<string[]> {
	const { rows } = await sql<{ child: string; parent: string }>`
		select (select relname from pg_class where oid = c.conrelid) as child,
			(select relname from pg_class where oid = c.confrelid) as parent
		from pg_constraint c
		where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`.execute(db);
	const parents = new Map(tables.map((t) => [t, new Set<string>()]));
	for (const { child, parent } of rows) if (child !== parent) parents.get(child)?.add(parent);
	const ordered: string[] = [];
	const visit = (table: string, path: Set<string>) => {
		if (ordered.includes(table) || path.has(table)) return;
		path.add(table);
		for (const parent of parents.get(table) ?? []) if (parents.has(parent)) visit(parent, path);
		ordered.push(table);
	};
	for (const table of [...tables].sort()) visit(table, new Set());
	return ordered;
}

/**
 * Copies every row of the SQLite database `source` into the PostgreSQL database `target`, after migrating both to the
 * latest schema. Refuses a target that already has orders, customers or products. Resets the order-number sequence
 * so the next order continues after the copied ones.
 */
export async function copySqliteToPostgres(
	source: Kysely<Database>,
	target: Kysely<Database>,
	opts: { batchRows?: number } = {},
): Promise<CopyReport> {
	if (databaseDialect(source) !== 'sqlite' || databaseDialect(target) !== 'postgres')
		throw new CopyRefusedError('db:copy copies a SQLite database (--from) into a PostgreSQL database (--to).');
	await migrateToLatest(source);
	return withDatabaseLock(target, STARTUP_LOCK, async () => {
		await migrateToLatest(target);
		for (const table of ['orders', 'customer', 'product'] as const) {
			const row = await target
				.selectFrom(table)
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			if (Number(row.n) > 0)
				throw new CopyRefusedError(
					`The target database already has ${table === 'orders' ? 'orders' : `${table}s`}. Copy into a new, empty database (createdb shop), so nothing is mixed or overwritten.`,
				);
		}
		const present = await sqliteTables(source);
		const order = await foreignKeyOrder(target, present);
		const report: CopyReport = { tables: [], nextDisplayId: 1001 };
		await target.transaction().execute(async (trx) => {
			// Rows the target's first start wrote (a server started on it before the copy): the copy replaces them.
			for (const table of [...order].reverse()) await sql`delete from ${sql.table(table)}`.execute(trx);
			for (const table of order) {
				let copied = 0;
				let offset = 0;
				for (;;) {
					const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by rowid limit ${
						opts.batchRows ?? 500
					} offset ${offset}`.execute(source);
					if (!rows.length) break;
					// PostgreSQL takes at most 65 535 parameters per statement.
					const perInsert = Math.max(1, Math.floor(30_000 / Object.keys(rows[0]).length));
					for (let i = 0; i < rows.length; i += perInsert)
						await trx
							.insertInto(table as keyof Database)
							.values(rows.slice(i, i + perInsert) as never)
							.execute();
					copied += rows.length;
					offset += rows.length;
				}
				report.tables.push({ table, rows: copied });
			}
			const { rows } = await sql<{
				next: number;
			}>`select setval('orders_display_id_seq', greatest(1001, (select coalesce(max(display_id), 0) + 1 from orders)), false) as next`.execute(
				trx,
			);
			report.nextDisplayId = Number(rows[0].next);
		});
		return report;
	});
}

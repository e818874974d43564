import type { Compilable, CompiledQuery, Kysely, QueryResult, RootOperationNode } from 'kysely';
import { createQueryId } from 'kysely';
import { type Dialect, databaseDialect } from './dialect.ts';
import { stripNul } from './nul-bytes.ts';
import type { Database } from './types.ts';

// Kysely builds an operation tree and compiles it to SQL on every call: on the cart and checkout paths that was about as
// much CPU as SQLite's own execution of the statement (a profile of completions, 2026-12-02). A query whose shape never
// changes — only its values do — is built and compiled once per dialect here, with stand-ins for its arguments, and
// then runs with the arguments in the stand-ins' places. Only for fixed shapes: an argument that changes the SQL (an
// `in` list, an optional column, a value that decides a branch) must not be one; `define` checks each stand-in
// reaches a parameter and none reaches the SQL text.

type Db = Kysely<Database>;

interface Compiled {
	sql: string;
	query: RootOperationNode;
	/** Per parameter: the argument's index, or a constant the builder put there itself. */
	slots: ({ arg: number } | { constant: unknown })[];
}

const standIn = (i: number) => `\u0001compiled-query-argument-${i}\u0001`;

function compile<A extends unknown[]>(db: Db, build: (db: Db, ...args: A) => Compilable<unknown>, arity: number) {
	const standIns = Array.from({ length: arity }, (_, i) => standIn(i));
	const { sql, query, parameters } = build(db, ...(standIns as A)).compile();
	const slots = parameters.map((value) => {
		const arg = typeof value === 'string' ? standIns.indexOf(value) : -1;
		return arg >= 0 ? { arg } : { constant: value };
	});
	const missing = standIns.findIndex((_, i) => !slots.some((s) => 'arg' in s && s.arg === i));
	if (missing >= 0 || sql.includes('\u0001'))
		throw new Error(`compiledQuery: argument ${missing} does not reach exactly a parameter of ${sql}`);
	return { sql, query, slots };
}

/**
 * A query built and compiled once per dialect; call it with the database (or transaction) and its arguments. `build`
 * must use each argument only as a value (`where(col, '=', arg)`, `values({ col: arg })`), and its shape may not
 * depend on them. Arguments are bound as they are (pass `null`, never `undefined`); on PostgreSQL strings lose NUL
 * characters as every other query's do (nul-bytes.ts).
 */
export function compiledQuery<A extends unknown[], R>(
	build: (db: Db, ...args: A) => Compilable<R>,
): (db: Db, ...args: A) => Promise<QueryResult<R>> {
	const arity = build.length - 1;
	const byDialect = new Map<Dialect, Compiled>();
	return async (db, ...args) => {
		const dialect = databaseDialect(db);
		let compiled = byDialect.get(dialect);
		if (!compiled) {
			compiled = compile(db, build, arity);
			byDialect.set(dialect, compiled);
		}
		const postgres = dialect === 'postgres';
		const parameters = compiled.slots.map((slot) => {
			const value = 'arg' in slot ? args[slot.arg] : slot.constant;
			return postgres ? stripNul(value) : value;
		});
		const query: CompiledQuery<R> = { sql: compiled.sql, query: compiled.query, parameters, queryId: createQueryId() };
		return db.executeQuery(query);
	};
}

const insertsByShape = new Map<string, Compiled>();
const MAX_CACHED_ROWS = 8;

/**
 * Inserts `rows` into `table` with the statement compiled once per dialect, table, row count and set of columns (the
 * same statement `db.insertInto(table).values(rows)` builds each time). Rows with different columns, and more than 8
 * rows, are inserted by the builder as they are.
 */
export async function insertRows<T extends keyof Database & string>(
	db: Db,
	table: T,
	inserted: object[],
): Promise<void> {
	const rows = inserted as Record<string, unknown>[];
	if (!rows.length) return;
	// Kysely leaves out columns whose value is undefined; so does the shape.
	const columns = Object.keys(rows[0]).filter((k) => rows[0][k] !== undefined);
	const uniform = rows.every(
		(row) =>
			Object.keys(row).filter((k) => row[k] !== undefined).length === columns.length &&
			columns.every((k) => row[k] !== undefined),
	);
	const insert = (values: Record<string, unknown>[]) => db.insertInto(table).values(values as never);
	// Many rows at once are rare (a big order's lines) and would each be a shape of their own.
	if (!uniform || rows.length > MAX_CACHED_ROWS) {
		await insert(rows).execute();
		return;
	}
	const dialect = databaseDialect(db);
	const key = `${dialect}\u0000${table}\u0000${rows.length}\u0000${columns.join(',')}`;
	let compiled = insertsByShape.get(key);
	if (!compiled) {
		const arity = rows.length * columns.length;
		compiled = compile(
			db,
			(_db: Db, ...standIns: unknown[]) =>
				insert(rows.map((_, r) => Object.fromEntries(columns.map((c, i) => [c, standIns[r * columns.length + i]])))),
			arity,
		);
		insertsByShape.set(key, compiled);
	}
	const postgres = dialect === 'postgres';
	const parameters = compiled.slots.map((slot) => {
		const value =
			'arg' in slot ? rows[Math.floor(slot.arg / columns.length)][columns[slot.arg % columns.length]] : slot.constant;
		return postgres ? stripNul(value) : value;
	});
	await db.executeQuery({ sql: compiled.sql, query: compiled.query, parameters, queryId: createQueryId() });
}

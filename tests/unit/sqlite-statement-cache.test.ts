import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../../plugins/commerce/src/db/sqlite-statement-cache.ts';

// Kysely's SQLite driver calls prepare() for every query; the wrapper hands back the statement prepared for the same
// SQL text before, unless it is still iterating, and bounds how many it keeps.

describe('withStatementCache', () => {
	it('prepares each SQL text once and returns the same statement after', () => {
		const raw = new SQLite(':memory:');
		const prepared: string[] = [];
		const prepare = raw.prepare.bind(raw);
		raw.prepare = ((text: string) => {
			prepared.push(text);
			return prepare(text);
		}) as typeof raw.prepare;
		const cached = withStatementCache(raw);
		const a = cached.prepare('select 1 as one');
		expect(cached.prepare('select 1 as one')).toBe(a);
		expect(cached.prepare('select 2 as two')).not.toBe(a);
		expect(prepared).toEqual(['select 1 as one', 'select 2 as two']);
		cached.close();
		expect(raw.open).toBe(false);
	});

	it('gives a fresh statement while the cached one is still iterating', () => {
		const raw = new SQLite(':memory:');
		const cached = withStatementCache(raw);
		const first = cached.prepare('select 1 as n union all select 2');
		const iterator = first.iterate([]);
		iterator.next();
		const second = cached.prepare('select 1 as n union all select 2');
		expect(second).not.toBe(first);
		expect(second.all([])).toEqual([{ n: 1 }, { n: 2 }]);
		iterator.return?.();
		expect(cached.prepare('select 1 as n union all select 2')).toBe(first);
		cached.close();
	});

	it('drops the least recently used statement beyond its capacity', () => {
		const cached = withStatementCache(new SQLite(':memory:'), 2);
		const one = cached.prepare('select 1');
		const two = cached.prepare('select 2');
		expect(cached.prepare('select 1')).toBe(one);
		cached.prepare('select 3');
		expect(cached.prepare('select 1')).toBe(one);
		expect(cached.prepare('select 2')).not.toBe(two);
		cached.close();
	});

	it('keeps only data statements: migrations and pragmas run once and would hold native memory', () => {
		const cached = withStatementCache(new SQLite(':memory:'));
		const create = cached.prepare('create table if not exists t (n integer)');
		create.run([]);
		expect(cached.prepare('create table if not exists t (n integer)')).not.toBe(create);
		const insert = cached.prepare('insert into t (n) values (?)');
		expect(cached.prepare('insert into t (n) values (?)')).toBe(insert);
		const withQuery = cached.prepare('with x as (select 1 as n) select n from x');
		expect(cached.prepare('with x as (select 1 as n) select n from x')).toBe(withQuery);
		cached.close();
	});

	it('keeps transaction control too, and each kept statement works again', () => {
		const cached = withStatementCache(new SQLite(':memory:'));
		cached.prepare('create table t (n integer)').run([]);
		const run = (text: string, ...args: unknown[]) => {
			const statement = cached.prepare(text);
			expect(cached.prepare(text)).toBe(statement);
			statement.run(args);
		};
		for (const n of [1, 2]) {
			run('begin immediate');
			run('insert into t (n) values (?)', n);
			run('savepoint commerce_optional');
			run('insert into t (n) values (?)', n * 10);
			run('rollback to savepoint commerce_optional');
			run('release savepoint commerce_optional');
			run('commit');
		}
		run('begin immediate');
		run('insert into t (n) values (?)', 3);
		run('rollback');
		expect(cached.prepare('select n from t order by n').all([])).toEqual([{ n: 1 }, { n: 2 }]);
		cached.close();
	});

	it('keeps Kysely queries correct with parameters and across schema changes', async () => {
		const db = new Kysely<any>({
			dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }),
		});
		await sql`create table t (id integer primary key, name text)`.execute(db);
		for (const name of ['a', 'b', 'c']) await db.insertInto('t').values({ name }).execute();
		const byName = (name: string) => db.selectFrom('t').selectAll().where('name', '=', name).execute();
		expect(await byName('b')).toEqual([{ id: 2, name: 'b' }]);
		expect(await byName('c')).toEqual([{ id: 3, name: 'c' }]);
		await sql`alter table t add column extra text`.execute(db);
		expect(await byName('a')).toEqual([{ id: 1, name: 'a', extra: null }]);
		await db.destroy();
	});
});

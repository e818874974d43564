import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import { openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { compiledQuery, insertRows } from '../../plugins/commerce/src/db/compiled-query.ts';
import { writeTransaction } from '../../plugins/commerce/src/db/transaction.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-db.ts';

// Queries built and compiled once per dialect (db/compiled-query.ts) must run exactly what the builder would, with each
// call's own values, on SQLite and PostgreSQL (this file runs on both: vitest.config.ts DB_UNIT_TESTS).

let testDb: TestDatabase;
let db: CommerceDb;

beforeEach(async () => {
	testDb = await createTestDatabase('compiled');
	db = testDb.db;
});

afterEach(async () => {
	await testDb.destroy();
});

const settings = () =>
	db.selectFrom('commerce_setting').selectAll().where('key', 'like', 'cq_%').orderBy('key').execute();

describe('compiledQuery', () => {
	it('builds once and binds every call its own values, the same value in several places too', async () => {
		let builds = 0;
		const put = compiledQuery((q: CommerceDb, key: string, value: string) => {
			builds++;
			return q
				.insertInto('commerce_setting')
				.values({ key, value })
				.onConflict((oc) => oc.column('key').doUpdateSet({ value }));
		});
		const get = compiledQuery((q: CommerceDb, key: string) =>
			q.selectFrom('commerce_setting').select('value').where('key', '=', key).where('key', 'like', 'cq_%'),
		);
		await put(db, 'cq_a', 'one');
		await put(db, 'cq_b', 'two');
		await put(db, 'cq_a', 'three');
		expect(builds).toBe(1);
		expect(await settings()).toEqual([
			{ key: 'cq_a', value: 'three' },
			{ key: 'cq_b', value: 'two' },
		]);
		expect((await get(db, 'cq_b')).rows).toEqual([{ value: 'two' }]);
		expect((await get(db, 'cq_missing')).rows).toEqual([]);
	});

	it('runs inside a transaction and on a second connection with the SQL compiled once', async () => {
		const statements: string[] = [];
		const counted = openDatabase(testDb.target, { onQuery: (text) => void statements.push(text) });
		try {
			const get = compiledQuery((q: CommerceDb, key: string) =>
				q.selectFrom('commerce_setting').select('value').where('key', '=', key),
			);
			await writeTransaction(counted, async (trx) => {
				await insertRows(trx, 'commerce_setting', [{ key: 'cq_t', value: 'in trx' }]);
				expect((await get(trx, 'cq_t')).rows).toEqual([{ value: 'in trx' }]);
			});
			expect((await get(counted, 'cq_t')).rows).toEqual([{ value: 'in trx' }]);
			// The statement the builder would have sent, visible to query logging like any other.
			const builder = db.selectFrom('commerce_setting').select('value').where('key', '=', 'x').compile().sql;
			expect(statements.filter((s) => s === builder)).toHaveLength(2);
		} finally {
			await counted.destroy();
		}
	});

	it('refuses a build whose argument does not end up as a parameter', async () => {
		const byColumn = compiledQuery((q: CommerceDb, column: string) =>
			q.selectFrom('commerce_setting').select(column as 'value'),
		);
		await expect(byColumn(db, 'value')).rejects.toThrow(/does not reach exactly a parameter/);
	});
});

describe('insertRows', () => {
	it('inserts one row or several, nulls and all, as the builder does', async () => {
		await insertRows(db, 'commerce_setting', [{ key: 'cq_1', value: 'a' }]);
		await insertRows(db, 'commerce_setting', [
			{ key: 'cq_2', value: 'b' },
			{ key: 'cq_3', value: 'c' },
		]);
		await insertRows(db, 'commerce_setting', [{ key: 'cq_4', value: 'd' }]);
		await insertRows(db, 'commerce_setting', []);
		expect((await settings()).map((s) => `${s.key}=${s.value}`)).toEqual(['cq_1=a', 'cq_2=b', 'cq_3=c', 'cq_4=d']);
		await insertRows(db, 'outbox', [
			{
				id: 'obx_cq',
				kind: 'email',
				dedupe_key: null,
				payload: '{}',
				status: 'pending',
				attempts: 0,
				next_attempt_at: 't',
				locked_until: null,
				last_error: null,
				created_at: 't',
				sent_at: null,
			},
		]);
		expect(await db.selectFrom('outbox').select(['id', 'dedupe_key']).execute()).toEqual([
			{ id: 'obx_cq', dedupe_key: null },
		]);
	});

	it('strips NUL characters on PostgreSQL as every other query does, keeps them on SQLite', async () => {
		await insertRows(db, 'commerce_setting', [{ key: 'cq_nul', value: 'a\u0000b' }]);
		const [row] = await settings();
		expect(row.value).toBe(onPostgres ? 'ab' : 'a\u0000b');
	});
});

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import { optionalWrites, writeTransaction } from '../../plugins/commerce/src/db/transaction.ts';
import { recordPurchaseInOrder } from '../../plugins/commerce/src/services/analytics/record-events.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// Writes that must never fail the use case around them run in its transaction under a savepoint (db/transaction.ts):
// checkout records its analytics purchase so, in the order's commit. Runs on SQLite and PostgreSQL (DB_UNIT_TESTS).

let testDb: TestDatabase;
let db: CommerceDb;

beforeEach(async () => {
	testDb = await createTestDatabase('optional');
	db = testDb.db;
});

afterEach(async () => {
	await testDb.destroy();
});

const put = (q: CommerceDb, key: string) => q.insertInto('commerce_setting').values({ key, value: key }).execute();
const keys = async () =>
	(await db.selectFrom('commerce_setting').select('key').where('key', 'like', 'ow_%').orderBy('key').execute()).map(
		(r) => r.key,
	);

const facts = (orderId: string) => ({
	orderId,
	cartId: `cart_${orderId}`,
	total: 4200,
	currency: 'usd',
	placedAt: '2026-12-02T06:00:00.000Z',
});

const purchases = () =>
	db.selectFrom('analytics_event').select(['order_id', 'value']).where('type', '=', 'purchase').execute();

describe('optionalWrites', () => {
	it('keeps its writes when the work succeeds, in the same commit as the rest', async () => {
		const failed = await writeTransaction(db, async (trx) => {
			await put(trx, 'ow_before');
			const result = await optionalWrites(trx, () => put(trx, 'ow_inside'));
			await put(trx, 'ow_after');
			return result;
		});
		expect(failed).toBeNull();
		expect(await keys()).toEqual(['ow_after', 'ow_before', 'ow_inside']);
	});

	it('undoes only its own writes when the work fails, returns the error, and the transaction commits', async () => {
		const failed = await writeTransaction(db, async (trx) => {
			await put(trx, 'ow_before');
			const result = await optionalWrites(trx, async () => {
				await put(trx, 'ow_inside');
				await put(trx, 'ow_before'); // primary key: fails after a write of its own
			});
			await put(trx, 'ow_after');
			return result;
		});
		expect(failed).toBeInstanceOf(Error);
		expect(await keys()).toEqual(['ow_after', 'ow_before']);
	});

	it('can run again in the same transaction after a failure', async () => {
		await writeTransaction(db, async (trx) => {
			expect(await optionalWrites(trx, () => Promise.reject(new Error('first')))).toBeInstanceOf(Error);
			expect(await optionalWrites(trx, () => put(trx, 'ow_second'))).toBeNull();
		});
		expect(await keys()).toEqual(['ow_second']);
	});
});

describe('recordPurchaseInOrder', () => {
	it('records the purchase in the caller transaction, once per order', async () => {
		await writeTransaction(db, async (trx) => {
			await recordPurchaseInOrder(trx, facts('order_a'), null);
			await recordPurchaseInOrder(trx, facts('order_a'), null);
		});
		expect(await purchases()).toEqual([{ order_id: 'order_a', value: 4200 }]);
		const traffic = await db.selectFrom('analytics_traffic_day').selectAll().execute();
		expect(traffic).toMatchObject([{ day: '2026-12-02', events: 1, purchase: 0 }]);
	});

	it('never fails the order: a broken analytics write is undone and the order commits', async () => {
		await sql`drop table analytics_traffic_day`.execute(db);
		await writeTransaction(db, async (trx) => {
			await put(trx, 'ow_order');
			await recordPurchaseInOrder(trx, facts('order_b'), null);
		});
		expect(await keys()).toEqual(['ow_order']);
		// The event row was written before the rollup failed: the savepoint took it back with the rollup.
		expect(await purchases()).toEqual([]);
	});
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daySpan } from '../../plugins/commerce/src/core/analytics/days.ts';
import { migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import {
	findCustomerByEmail,
	findLatestOpenCartId,
	listCustomerOrderIds,
	listOrdersOfCustomer,
} from '../../plugins/commerce/src/db/repositories/customer-repository.ts';
import { countOrders, listOrders } from '../../plugins/commerce/src/db/repositories/order-list-repository.ts';
import {
	findOrderDetail,
	findOrderIdByCart,
	findOrderIdByDisplayId,
} from '../../plugins/commerce/src/db/repositories/order-repository.ts';
import { recomputeDay } from '../../plugins/commerce/src/db/repositories/rollup-repository.ts';
import { listLedgerEntries } from '../../plugins/commerce/src/db/repositories/stock-repository.ts';
import type { Database } from '../../plugins/commerce/src/db/types.ts';
import { dashboardKpis } from '../../plugins/commerce/src/services/analytics/dashboard-kpis.ts';

// Every admin list filter, Store API lookup, dashboard read and rebuild batch must reach the big tables through an
// index: each statement they run is captured and checked with EXPLAIN QUERY PLAN, so dropping or bypassing an index
// fails here instead of in a shop with a million orders.

const BIG_TABLES = [
	'orders',
	'order_line',
	'payment',
	'order_event',
	'analytics_event',
	'cart',
	'line_item',
	'customer',
	'inventory_ledger',
	'analytics_cart_fact',
	'analytics_visit_day',
];

let dir: string;
let sqlite: SQLite.Database;
let captured: { sql: string; parameters: readonly unknown[] }[] = [];
let db: Kysely<Database>;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'frostbuy-plans-'));
	sqlite = new SQLite(join(dir, 'commerce.sqlite'));
	db = new Kysely<Database>({
		dialect: new SqliteDialect({ database: sqlite }),
		log: (event) => {
			if (event.level === 'query') captured.push({ sql: event.query.sql, parameters: event.query.parameters });
		},
	});
	await migrateToLatest(db);
});

afterAll(async () => {
	await db?.destroy();
	rmSync(dir, { recursive: true, force: true });
});

/** The full-table scans of big tables in the plans of every statement `work` ran. */
async function fullScans(work: (db: Kysely<Database>) => Promise<unknown>): Promise<string[]> {
	captured = [];
	await work(db);
	expect(captured.length).toBeGreaterThan(0);
	const scans: string[] = [];
	for (const { sql, parameters } of captured) {
		if (!/^\s*(select|with|insert|update|delete)/i.test(sql)) continue;
		const plan = sqlite.prepare(`explain query plan ${sql}`).all(...(parameters as unknown[])) as { detail: string }[];
		for (const { detail } of plan) {
			const match = /^SCAN (\w+)(?: AS \w+)?$/.exec(detail.trim());
			if (match && BIG_TABLES.includes(match[1]!)) scans.push(`${detail} in: ${sql.slice(0, 160)}`);
		}
	}
	return scans;
}

const page = { limit: 20, offset: 0 };

describe('query plans use indexes', () => {
	it.each([
		['admin orders, no filter (newest first)', (d: Kysely<Database>) => listOrders(d, {}, page)],
		['admin orders by status', (d: Kysely<Database>) => listOrders(d, { status: 'pending' }, page)],
		['admin orders by payment status', (d: Kysely<Database>) => listOrders(d, { paymentStatus: 'captured' }, page)],
		[
			'admin orders by fulfillment status',
			(d: Kysely<Database>) => listOrders(d, { fulfillmentStatus: 'shipped' }, page),
		],
		[
			'admin orders by date range',
			(d: Kysely<Database>) => listOrders(d, { from: '2026-11-01', to: '2026-11-30' }, page),
		],
		['admin order count by status', (d: Kysely<Database>) => countOrders(d, { status: 'pending' })],
		['order detail', (d: Kysely<Database>) => findOrderDetail(d, 'order_1')],
		[
			'order by display id and email (Store API lookup)',
			(d: Kysely<Database>) => findOrderIdByDisplayId(d, 1001, 'a@b.c'),
		],
		['order by cart (Store API completion)', (d: Kysely<Database>) => findOrderIdByCart(d, 'cart_1')],
		['customer by email', (d: Kysely<Database>) => findCustomerByEmail(d, 'a@b.c')],
		['customer orders (account)', (d: Kysely<Database>) => listOrdersOfCustomer(d, { id: 'cus_1', email: 'a@b.c' })],
		[
			'customer orders by status (Store API)',
			(d: Kysely<Database>) => listCustomerOrderIds(d, 'cus_1', { status: ['pending'], limit: 10, offset: 0 } as never),
		],
		["customer's open cart", (d: Kysely<Database>) => findLatestOpenCartId(d, 'cus_1')],
		['inventory ledger history', (d: Kysely<Database>) => listLedgerEntries(d, 'variant_1', 50)],
		[
			'dashboard (rollups, pending orders, recent orders)',
			(d: Kysely<Database>) => dashboardKpis(d, { from: '2026-11-01', to: '2026-11-30' }),
		],
		[
			'rollup rebuild of one day (orders, lines, carts, events by time)',
			(d: Kysely<Database>) =>
				recomputeDay(d, '2026-11-05', daySpan('2026-11-05', '2026-11-05', 'Europe/Berlin'), { events: true }),
		],
	])('%s', async (_name, work) => {
		expect(await fullScans(work)).toEqual([]);
	});

	it('notices a full scan (the check itself can fail)', async () => {
		const scans = await fullScans((d) =>
			d.selectFrom('orders').selectAll().where('tracking_number', '=', 'x').execute(),
		);
		expect(scans).toHaveLength(1);
	});
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	addDays,
	dayOf,
	daySpan,
	dayStartMs,
	isTimeZone,
	todayIn,
} from '../../plugins/commerce/src/core/analytics/days.ts';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import {
	insertAnalyticsEvents,
	insertAnalyticsEventsSync,
} from '../../plugins/commerce/src/db/repositories/analytics-repository.ts';
import { readRollupState, stagedDayQueries } from '../../plugins/commerce/src/db/repositories/rollup-repository.ts';
import { writeTransaction } from '../../plugins/commerce/src/db/transaction.ts';
import { dashboardKpis } from '../../plugins/commerce/src/services/analytics/dashboard-kpis.ts';
import { connectionRunner } from '../../plugins/commerce/src/services/analytics/rebuild-worker.ts';
import {
	pruneAnalyticsEvents,
	rebuildRollups,
	refreshStaleRollups,
} from '../../plugins/commerce/src/services/analytics/rollup-rebuild.ts';
import { rollEvents } from '../../plugins/commerce/src/services/analytics/rollups.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/test-db.ts';

// Reporting days: which day an instant belongs to in the shop's time zone, where days start (DST included), range
// boundaries of the dashboard (first and last instant of a day), a time-zone change, and pruning raw events.

describe('reporting days (pure)', () => {
	it('puts an instant on its local day', () => {
		expect(dayOf('2026-11-10T04:59:59.999Z', 'America/New_York')).toBe('2026-11-09');
		expect(dayOf('2026-11-10T05:00:00.000Z', 'America/New_York')).toBe('2026-11-10');
		expect(dayOf('2026-11-09T23:00:00.000Z', 'Europe/Berlin')).toBe('2026-11-10');
		expect(dayOf('2026-11-09T22:59:59.999Z', 'Europe/Berlin')).toBe('2026-11-09');
		expect(dayOf('2026-11-09T23:59:59.999Z', 'UTC')).toBe('2026-11-09');
		expect(dayOf('2026-11-10T11:00:00.000Z', 'Pacific/Kiritimati')).toBe('2026-11-11');
	});

	it('finds where a day starts, also on DST days and days that do not start at midnight', () => {
		expect(new Date(dayStartMs('2026-11-10', 'America/New_York')).toISOString()).toBe('2026-11-10T05:00:00.000Z');
		// 2026-03-08: New York springs forward at 02:00; the day still starts at 00:00 EST (05:00Z), the next at 04:00Z.
		expect(new Date(dayStartMs('2026-03-08', 'America/New_York')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
		expect(new Date(dayStartMs('2026-03-09', 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
		// 2026-09-06: Santiago skips 00:00–01:00 (clocks jump to 01:00), so the day starts at 01:00 local = 04:00Z.
		expect(new Date(dayStartMs('2026-09-06', 'America/Santiago')).toISOString()).toBe('2026-09-06T04:00:00.000Z');
		for (const zone of ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'America/Santiago', 'UTC']) {
			for (const day of ['2026-03-08', '2026-03-29', '2026-09-06', '2026-10-25', '2026-11-01']) {
				const start = dayStartMs(day, zone);
				expect(dayOf(new Date(start).toISOString(), zone)).toBe(day);
				expect(dayOf(new Date(start - 1).toISOString(), zone)).toBe(addDays(day, -1));
			}
		}
		expect(daySpan('2026-03-08', '2026-03-08', 'America/New_York')).toEqual({
			from: '2026-03-08T05:00:00.000Z',
			to: '2026-03-09T04:00:00.000Z',
		});
	});

	it('knows time zones and today', () => {
		expect(isTimeZone('Europe/Berlin')).toBe(true);
		expect(isTimeZone('Mars/Olympus')).toBe(false);
		expect(todayIn('Asia/Tokyo', new Date('2026-11-30T15:00:00.000Z'))).toBe('2026-12-01');
		expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
	});
});

let testDb: TestDatabase;
let db: CommerceDb;
const visit = (n: number) => n.toString(16).padStart(32, '0');
const event = (n: number, type: 'page_view' | 'product_view', at: string) => ({
	id: `aev_${n}`,
	visit_id: visit(n),
	type,
	path: '/',
	product_id: null,
	variant_id: null,
	cart_id: null,
	order_id: null,
	value: null,
	currency: null,
	occurred_at: at,
	received_at: at,
});

beforeAll(async () => {
	testDb = await createTestDatabase('days');
	db = testDb.db;
	// Around the Berlin midnight between 11-09 and 11-10 (23:00Z), and the UTC one an hour later.
	const rows = [
		event(1, 'product_view', '2026-11-09T22:59:59.999Z'),
		event(2, 'product_view', '2026-11-09T23:00:00.000Z'),
		event(3, 'page_view', '2026-11-09T23:59:59.999Z'),
		event(4, 'page_view', '2026-11-10T00:00:00.000Z'),
		event(5, 'page_view', '2026-11-10T22:59:59.999Z'),
		event(6, 'page_view', '2026-11-10T23:00:00.000Z'),
	];
	await writeTransaction(db, async (trx) => {
		await insertAnalyticsEvents(trx, rows);
		await rollEvents(trx, rows);
	});
});

afterAll(async () => {
	await testDb?.destroy();
});

describe('dashboard range boundaries and time zones', () => {
	it('counts the first and last instant of a UTC day in it, and nothing of the next', async () => {
		const day9 = await dashboardKpis(db, { from: '2026-11-09', to: '2026-11-09' });
		expect(day9.visits).toBe(3);
		expect(day9.funnel.productView).toBe(2);
		const day10 = await dashboardKpis(db, { from: '2026-11-10', to: '2026-11-10' });
		expect(day10.visits).toBe(3);
		expect((await dashboardKpis(db, { from: '2026-11-09', to: '2026-11-10' })).visits).toBe(6);
		expect((await dashboardKpis(db, { from: '2026-11-11', to: '2026-11-11' })).visits).toBe(0);
	});

	it('moves the same events to Berlin days when the reporting time zone changes (a rebuild)', async () => {
		const stale = await refreshStaleRollups(db, 'Europe/Berlin');
		expect(stale?.reason).toMatch(/time zone changed from UTC to Europe\/Berlin/);
		await stale?.done;
		expect(await readRollupState(db, 'time_zone')).toBe('Europe/Berlin');
		const day9 = await dashboardKpis(db, { from: '2026-11-09', to: '2026-11-09' });
		expect(day9.range.timeZone).toBe('Europe/Berlin');
		expect(day9.visits).toBe(1);
		expect(day9.funnel.productView).toBe(1);
		expect((await dashboardKpis(db, { from: '2026-11-10', to: '2026-11-10' })).visits).toBe(4);
		expect((await dashboardKpis(db, { from: '2026-11-11', to: '2026-11-11' })).visits).toBe(1);
		// Current again: nothing to rebuild.
		expect(await refreshStaleRollups(db, 'Europe/Berlin')).toBeNull();
	});

	it('swaps a day computed outside the write lock in only if no writer changed it meanwhile', async () => {
		// The Berlin day 2026-11-10 (the rollups' days by now) holds 4 visits; its row is deleted behind the rebuild's back.
		await db.deleteFrom('analytics_traffic_day').where('day', '=', '2026-11-10').execute();
		const plan = stagedDayQueries(db, '2026-11-10', daySpan('2026-11-10', '2026-11-10', 'Europe/Berlin'), {
			events: true,
		});
		const runner = connectionRunner(db);
		// A guard that differs between the computation's snapshot and the swap stands for a writer in between.
		const moving = { ...plan, guard: [sql`select random() as v`.compile(db)] };
		expect(await runner.runDay(moving)).toBe('changed');
		expect(await db.selectFrom('analytics_traffic_day').selectAll().where('day', '=', '2026-11-10').execute()).toEqual(
			[],
		);
		// Inside the lock (the fallback) or with an unchanged day, the computed rows go in; the TEMP tables are gone.
		expect(await runner.runDay(moving, true)).toBe('done');
		expect((await dashboardKpis(db, { from: '2026-11-10', to: '2026-11-10' })).visits).toBe(4);
		await db.deleteFrom('analytics_traffic_day').where('day', '=', '2026-11-10').execute();
		expect(await runner.runDay(plan)).toBe('done');
		expect((await dashboardKpis(db, { from: '2026-11-10', to: '2026-11-10' })).visits).toBe(4);
		await expect(sql`select count(*) from analytics_traffic_day_stage`.execute(db)).rejects.toThrow();
	});

	it('notices rows written behind its back and rebuilds', async () => {
		await insertAnalyticsEvents(db, [event(7, 'page_view', '2026-11-10T12:00:00.000Z')]);
		const stale = await refreshStaleRollups(db, 'Europe/Berlin');
		expect(stale?.reason).toMatch(/events: 7 stored, 6 in the rollups/);
		await stale?.done;
		expect((await dashboardKpis(db, { from: '2026-11-10', to: '2026-11-10' })).visits).toBe(5);
	});

	it.runIf(onPostgres)(
		'on PostgreSQL the swap waits for a rollup writer in flight and computes the day again: its increment is kept',
		async () => {
			const plan = stagedDayQueries(db, '2026-11-10', daySpan('2026-11-10', '2026-11-10', 'Europe/Berlin'), {
				events: true,
			});
			const visits = async () => (await dashboardKpis(db, { from: '2026-11-10', to: '2026-11-10' })).visits;
			const before = await visits();
			const waiting = async () =>
				Number((await sql<{ n: string }>`select count(*) as n from pg_locks where not granted`.execute(db)).rows[0].n);
			const until = async (check: () => Promise<boolean>) => {
				for (let i = 0; i < 500 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
				expect(await check()).toBe(true);
			};
			// A shopper's transaction has written its event and rollup increment and not committed yet.
			let commit = () => {};
			const gate = new Promise<void>((resolve) => {
				commit = resolve;
			});
			let written = () => {};
			const inFlight = new Promise<void>((resolve) => {
				written = resolve;
			});
			const rows = [event(20, 'page_view', '2026-11-10T13:00:00.000Z')];
			const writer = db.transaction().execute(async (trx) => {
				await insertAnalyticsEvents(trx, rows);
				await rollEvents(trx, rows);
				written();
				await gate;
			});
			await inFlight;
			// The day computed meanwhile does not see it; the swap must wait for the writer instead of deleting under it.
			const run = connectionRunner(db).runDay(plan);
			await until(async () => (await waiting()) > 0);
			commit();
			await writer;
			expect(await run).toBe('changed');
			expect(await connectionRunner(db).runDay(plan)).toBe('done');
			expect(await visits()).toBe(before + 1);
		},
	);

	it('events written at process exit (synchronously) carry their traffic rollup: no rebuild at the next start', async () => {
		const before = (await dashboardKpis(db, { from: '2026-11-11', to: '2026-11-11' })).visits;
		const rows = [
			event(8, 'product_view', '2026-11-11T10:00:00.000Z'),
			event(9, 'page_view', '2026-11-11T10:00:01.000Z'),
		];
		// The synchronous path is SQLite's (better-sqlite3 on the file); on PostgreSQL the queue's exit flush goes
		// through the pool, in one transaction with the rollup, as below.
		if (onPostgres)
			await writeTransaction(db, async (trx) => {
				await insertAnalyticsEvents(trx, rows);
				await rollEvents(trx, rows);
			});
		else insertAnalyticsEventsSync(db, testDb.target, rows);
		expect(await refreshStaleRollups(db, 'Europe/Berlin')).toBeNull();
		const after = await dashboardKpis(db, { from: '2026-11-11', to: '2026-11-11' });
		expect(after.visits).toBe(before + 2);
		expect(after.funnel.productView).toBe(1);
	});

	it('prunes raw events and keeps their rollups, also through a later rebuild', async () => {
		const before = await dashboardKpis(db, { from: '2026-11-09', to: '2026-11-11' });
		const stored = (await db.selectFrom('analytics_event').select('id').execute()).length;
		const pruned = await pruneAnalyticsEvents(db, { keepDays: 1, now: new Date('2026-11-11T12:00:00.000Z') });
		expect(pruned.before).toBe('2026-11-10');
		expect(pruned.deleted).toBe(1);
		expect(await db.selectFrom('analytics_event').select('id').execute()).toHaveLength(stored - 1);
		expect(await refreshStaleRollups(db, 'Europe/Berlin')).toBeNull();
		await rebuildRollups(db);
		const after = await dashboardKpis(db, { from: '2026-11-09', to: '2026-11-11' });
		expect(after.visits).toBe(before.visits);
		expect(after.funnel).toEqual(before.funnel);
	});
});

import { setImmediate as nextTurn } from 'node:timers/promises';
import { addDays, dayOf, daySpan, dayStartMs, isTimeZone, todayIn } from '../../core/analytics/days.ts';
import type { CommerceDb } from '../../db/client.ts';
import {
	clearRollups,
	deleteEventsBatch,
	deleteRollupDaysOutside,
	deleteVisitDaysBefore,
	rawTimeBounds,
	readRollupState,
	readRollupTimeZone,
	rollupDrift,
	stagedDayQueries,
	writeRollupState,
} from '../../db/repositories/rollup-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { logger } from '../../log/logger.ts';
import { connectionRunner, type StatementRunner, workerRunner } from './rebuild-worker.ts';

/**
 * Rebuilding the analytics rollups from the raw rows, in bounded batches: one day at a time, computed outside the write
 * lock into TEMP tables and swapped in by a short write transaction (stagedDayQueries), yielding to the event loop
 * between days so shoppers' requests are served in between. The swap first checks that no writer changed the day's
 * rollups since the computation's snapshot (else the day is computed again; after 3 tries inside the lock), so a
 * rebuild running next to live traffic ends exact. Idempotent: running it twice gives the same rows.
 */

const MAX_STAGED_ATTEMPTS = 3;

export interface RebuildProgress {
	done: number;
	total: number;
	day: string | null;
}

export interface RebuildOptions {
	/** Reporting time zone of the rebuilt days; a different one than the rollups' replaces every day. @default theirs */
	timeZone?: string;
	onProgress?: (progress: RebuildProgress) => void;
	/** Injected clock (tests): the last day rebuilt is at least today. */
	now?: Date;
	/**
	 * The SQLite file behind `db`: days are then recomputed in a worker thread with its own connection (the server's
	 * event loop stays free). Without it, on the main connection with a yield between days.
	 */
	databasePath?: string;
}

export interface RebuildResult {
	days: number;
	first: string | null;
	last: string | null;
	timeZone: string;
	ms: number;
}

/** A rebuild in progress, for the dashboard's notice. */
export interface RebuildStatus {
	running: boolean;
	progress: RebuildProgress;
	reason: string | null;
}

const running = new WeakMap<CommerceDb, { promise: Promise<RebuildResult>; status: RebuildStatus }>();

/** The rebuild running on this database in this process, if any. */
export function rebuildStatus(db: CommerceDb): RebuildStatus | null {
	return running.get(db)?.status ?? null;
}

/** Resolves when the running rebuild (if any) ends. */
export async function rebuildFinished(db: CommerceDb): Promise<void> {
	await running.get(db)?.promise.catch(() => undefined);
}

/** The first day whose raw events are all still stored (earlier ones were pruned), or null. */
async function prunedBefore(db: CommerceDb): Promise<string | null> {
	return (await readRollupState(db, 'events_pruned_before')) ?? null;
}

/**
 * Recomputes every rollup day from the raw orders, carts and events (`commerce analytics:rebuild`, and the start-up
 * check when it finds rows the rollups do not hold). Only one runs per database and process: a second call joins it.
 */
export function rebuildRollups(
	db: CommerceDb,
	opts: RebuildOptions = {},
	reason: string | null = null,
): Promise<RebuildResult> {
	const current = running.get(db);
	if (current) return current.promise;
	const status: RebuildStatus = { running: true, progress: { done: 0, total: 0, day: null }, reason };
	const promise = runRebuild(db, opts, status).finally(() => {
		status.running = false;
		running.delete(db);
	});
	running.set(db, { promise, status });
	return promise;
}

async function runRebuild(db: CommerceDb, opts: RebuildOptions, status: RebuildStatus): Promise<RebuildResult> {
	const started = Date.now();
	const previous = await readRollupTimeZone(db);
	const timeZone = opts.timeZone ?? previous;
	if (!isTimeZone(timeZone))
		throw new RangeError(`${timeZone} is not a time zone: use an IANA name such as Europe/Berlin.`);
	const pruned = await prunedBefore(db);
	if (timeZone !== previous) {
		// Every day key changes: start from empty rollups (traffic of pruned days cannot be recomputed and stays).
		await writeTransaction(db, async (trx) => {
			await clearRollups(trx, pruned);
			await writeRollupState(trx, 'time_zone', timeZone);
		});
	}
	const eventsFrom = pruned ? new Date(dayStartMs(pruned, timeZone)).toISOString() : null;
	const bounds = await rawTimeBounds(db, eventsFrom);
	const today = todayIn(timeZone, opts.now);
	const first = bounds ? dayOf(bounds.first, timeZone) : null;
	const lastRaw = bounds ? dayOf(bounds.last, timeZone) : null;
	const last = lastRaw && lastRaw > today ? lastRaw : today;
	const days: string[] = [];
	// Newest first: the dashboard's default range (the last 30 days) is complete after the first half of the work.
	if (first) for (let day = last; day >= first; day = addDays(day, -1)) days.push(day);
	status.progress = { done: 0, total: days.length, day: null };
	const runner = await openRunner(db, opts.databasePath);
	try {
		for (const day of days) {
			const plan = stagedDayQueries(db, day, daySpan(day, day, timeZone), { events: !pruned || day >= pruned });
			// A day that keeps changing under live traffic (today, on a busy shop) is computed inside the lock at last.
			let attempt = 0;
			while ((await runner.runDay(plan, attempt >= MAX_STAGED_ATTEMPTS)) === 'changed') attempt++;
			status.progress = { done: status.progress.done + 1, total: days.length, day };
			opts.onProgress?.(status.progress);
			// Let waiting requests run between two days.
			await nextTurn();
		}
	} finally {
		await runner.close();
	}
	// Days outside the raw rows' span (rows deleted since) hold nothing any more.
	await writeTransaction(db, (trx) => deleteRollupDaysOutside(trx, first, last, pruned));
	return { days: days.length, first, last: first ? last : null, timeZone, ms: Date.now() - started };
}

async function openRunner(db: CommerceDb, file: string | undefined): Promise<StatementRunner> {
	if (!file || file === ':memory:') return connectionRunner(db);
	try {
		return workerRunner(file);
	} catch (error) {
		logger().warn(
			{ reason: (error as Error).message },
			'[commerce] analytics: no worker thread for the rebuild; it runs on the server thread in day batches',
		);
		return connectionRunner(db);
	}
}

/**
 * The start-up check: rollups are stale when the reporting time zone changed or the raw tables hold a different
 * number of orders, carts or (unpruned) events than the rollups count — rows written behind the app's back (an import,
 * a restored or hand-edited database, events written at a crash). A handful of index-only counts (about 50 ms at
 * 1M events). When stale, a rebuild starts in the background and the promise is returned; the server keeps serving
 * meanwhile (the dashboard says it is rebuilding). Returns null when the rollups are current.
 */
export async function refreshStaleRollups(
	db: CommerceDb,
	timeZone: string,
	databasePath?: string,
): Promise<{ reason: string; done: Promise<RebuildResult> } | null> {
	const previous = await readRollupTimeZone(db);
	let reason: string | null = null;
	if (previous !== timeZone) reason = `the reporting time zone changed from ${previous} to ${timeZone}`;
	else {
		const pruned = await prunedBefore(db);
		const drift = await rollupDrift(
			db,
			pruned ? { fromDay: pruned, fromTimestamp: new Date(dayStartMs(pruned, timeZone)).toISOString() } : null,
		);
		const off = Object.entries(drift).filter(([, counts]) => counts.raw !== counts.rolled);
		if (off.length)
			reason = off.map(([table, c]) => `${table}: ${c.raw} stored, ${c.rolled} in the rollups`).join('; ');
	}
	if (!reason) return null;
	const log = logger();
	log.warn(`[commerce] analytics: rebuilding the rollups (${reason})`);
	let lastLogged = 0;
	const done = rebuildRollups(
		db,
		{
			timeZone,
			databasePath,
			onProgress: ({ done: n, total }) => {
				if (Date.now() - lastLogged < 2000 && n < total) return;
				lastLogged = Date.now();
				log.info(`[commerce] analytics: rebuilt ${n} of ${total} days`);
			},
		},
		reason,
	);
	done.then(
		(r) => log.info(`[commerce] analytics: rollups rebuilt (${r.days} days in ${r.ms} ms)`),
		(error: unknown) => log.error({ reason: (error as Error).message }, '[commerce] analytics: the rebuild failed'),
	);
	return { reason, done };
}

export interface PruneResult {
	deleted: number;
	before: string;
}

/**
 * Deletes raw events older than `keepDays` days (default 13 months ≈ 396 days) in batches of 5,000 rows, each its own
 * short transaction. Rollups are kept: the dashboard still shows visits and the funnel of pruned days, and later
 * rebuilds leave those days' traffic alone. Returns how many events went.
 */
export async function pruneAnalyticsEvents(
	db: CommerceDb,
	opts: { keepDays?: number; now?: Date; batch?: number; onProgress?: (deleted: number) => void } = {},
): Promise<PruneResult> {
	const timeZone = await readRollupTimeZone(db);
	const before = addDays(todayIn(timeZone, opts.now), -(opts.keepDays ?? 396));
	const beforeIso = new Date(dayStartMs(before, timeZone)).toISOString();
	let deleted = 0;
	for (;;) {
		const n = await writeTransaction(db, async (trx) => {
			const removed = await deleteEventsBatch(trx, beforeIso, opts.batch ?? 5000);
			const current = await prunedBefore(trx);
			if (!current || current < before) await writeRollupState(trx, 'events_pruned_before', before);
			return removed;
		});
		deleted += n;
		opts.onProgress?.(deleted);
		if (!n) break;
		await nextTurn();
	}
	// Per-visit memory is only needed for days that can still receive events (the last day or two).
	await writeTransaction(db, (trx) => deleteVisitDaysBefore(trx, before));
	return { deleted, before };
}

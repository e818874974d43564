import type { CommerceDb } from '../../db/client.ts';
import { databaseDialect } from '../../db/dialect.ts';
import { insertAnalyticsEvents, insertAnalyticsEventsSync } from '../../db/repositories/analytics-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { NewAnalyticsEvent } from '../../db/types.ts';
import { logger } from '../../log/logger.ts';
import { rollEvents } from './rollups.ts';

export interface EventQueueOptions {
	/** Longest an event waits in memory. @default 2000 */
	intervalMs?: number;
	/** A batch this large is written at once. @default 100 */
	batchSize?: number;
	/** Events held at most; beyond it new events are dropped (a flood must not grow memory). @default 10000 */
	maxPending?: number;
	/**
	 * The SQLite file, for the synchronous write of what is left when the process exits. Without it (or for
	 * `:memory:`) events still queued at exit are lost.
	 */
	databasePath?: string;
}

/** Analytics writes, batched: beacons enqueue and answer at once; the queue writes in the background. */
export interface EventQueue {
	/** Queues events; returns how many were accepted (fewer when the queue is full). Never waits on the database. */
	push(events: NewAnalyticsEvent[]): number;
	/** Writes everything queued now, in one transaction; resolves with the number written. */
	flush(): Promise<number>;
	/** Events waiting. */
	readonly pending: number;
	/** Events dropped since start because the queue was full or a write failed. */
	readonly dropped: number;
	/** Stops the timer and the exit hook (tests, shutdown); queued events are not written. */
	stop(): void;
}

/**
 * An in-memory queue in front of `analytics_event`: flushed 2 s after its first event or as soon as 100 are waiting,
 * each flush one short write transaction. Analytics is best effort: a failed write is logged and its events dropped
 * rather than retried, so a broken disk never grows memory or slows checkouts. On process exit the remainder is
 * written synchronously through a second connection (cheap: one prepared INSERT in one transaction); those few miss the
 * rollups until the next start-up notices the difference and rebuilds (services/analytics/rollup-rebuild.ts).
 */
export function createEventQueue(db: CommerceDb, opts: EventQueueOptions = {}): EventQueue {
	const intervalMs = opts.intervalMs ?? 2000;
	const batchSize = opts.batchSize ?? 100;
	const maxPending = opts.maxPending ?? 10_000;
	let queue: NewAnalyticsEvent[] = [];
	let dropped = 0;
	let timer: NodeJS.Timeout | undefined;
	// One flush at a time: SQLite has one writer, and order of batches is kept.
	let writing: Promise<unknown> = Promise.resolve();

	const schedule = () => {
		if (timer || !queue.length) return;
		timer = setTimeout(() => {
			timer = undefined;
			void flush();
		}, intervalMs);
		// Never keeps a process alive just to write analytics; the exit hook writes what is left.
		timer.unref?.();
	};

	function flush(): Promise<number> {
		if (timer) {
			clearTimeout(timer);
			timer = undefined;
		}
		const run = writing.then(async () => {
			const batch = queue;
			queue = [];
			if (!batch.length) return 0;
			try {
				// The events and their traffic rollup commit together.
				await writeTransaction(db, async (trx) => {
					await insertAnalyticsEvents(trx, batch);
					await rollEvents(trx, batch);
				});
				return batch.length;
			} catch (error) {
				dropped += batch.length;
				logger().error(
					{ reason: (error as Error).message },
					`[commerce] analytics: ${batch.length} events could not be written and were dropped`,
				);
				return 0;
			}
		});
		writing = run;
		return run;
	}

	// SQLite only: PostgreSQL has no synchronous driver, so on it the remainder is written by `flush()` at shutdown.
	const file =
		databaseDialect(db) === 'sqlite' && opts.databasePath && opts.databasePath !== ':memory:'
			? opts.databasePath
			: undefined;
	const onExit = () => {
		if (!file || !queue.length) return;
		const batch = queue;
		queue = [];
		try {
			insertAnalyticsEventsSync(db, file, batch);
		} catch (error) {
			logger().error(
				{ reason: (error as Error).message },
				`[commerce] analytics: ${batch.length} events were lost at exit`,
			);
		}
	};
	if (file) process.once('exit', onExit);

	return {
		push(events) {
			const room = Math.max(0, maxPending - queue.length);
			const accepted = events.slice(0, room);
			dropped += events.length - accepted.length;
			queue.push(...accepted);
			if (queue.length >= batchSize) void flush();
			else schedule();
			return accepted.length;
		},
		flush,
		get pending() {
			return queue.length;
		},
		get dropped() {
			return dropped;
		},
		stop() {
			if (timer) clearTimeout(timer);
			timer = undefined;
			queue = [];
			process.removeListener('exit', onExit);
		},
	};
}

const queues = new WeakMap<CommerceDb, EventQueue>();

/** The process-wide queue of a database, created on first use (one per runtime). */
export function eventQueueFor(db: CommerceDb, databasePath?: string): EventQueue {
	let queue = queues.get(db);
	if (!queue) {
		queue = createEventQueue(db, { databasePath });
		queues.set(db, queue);
	}
	return queue;
}

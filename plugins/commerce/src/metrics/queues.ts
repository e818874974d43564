import type { CommerceDb } from '../db/client.ts';
import { lastGoodBackup } from '../db/repositories/operations-repository.ts';
import type { Mailer } from '../email/index.ts';
import type { RuntimeGauges } from '../runtime/process-state.ts';
import { eventQueueFor } from '../services/analytics/event-queue.ts';
import { metrics } from './registry.ts';

interface MailerQueue {
	/** Start times (ms) of the sends still in progress. */
	inFlight: Set<{ startedAt: number }>;
}

const queues = new WeakMap<Mailer, MailerQueue>();

/**
 * Wraps a mailer so its backlog can be measured: today emails are sent right after the request that caused them,
 * so the "queue" is the sends in progress (a slow or hanging SMTP server shows as depth and age growing).
 */
export function instrumentMailer(mailer: Mailer): Mailer {
	const queue: MailerQueue = { inFlight: new Set() };
	const wrapped: Mailer = {
		async send(message) {
			const entry = { startedAt: Date.now() };
			queue.inFlight.add(entry);
			try {
				return await mailer.send(message);
			} catch (error) {
				metrics().emailFailures.inc();
				throw error;
			} finally {
				queue.inFlight.delete(entry);
			}
		},
	};
	queues.set(wrapped, queue);
	return wrapped;
}

/**
 * The email backlog: how many emails wait and how old the oldest is. The one place that knows where emails wait —
 * the sends in progress of the instrumented mailer today; the durable outbox table once it exists (read it here).
 */
export async function emailQueueState(
	mailer: Mailer,
	now = Date.now(),
): Promise<{ depth: number; oldestAgeSeconds: number }> {
	const queue = queues.get(mailer);
	if (!queue?.inFlight.size) return { depth: 0, oldestAgeSeconds: 0 };
	const oldest = Math.min(...[...queue.inFlight].map((e) => e.startedAt));
	return { depth: queue.inFlight.size, oldestAgeSeconds: Math.max(0, (now - oldest) / 1000) };
}

/** Everything the metrics endpoint reads from the running store at scrape time. */
export async function readRuntimeGauges(runtime: {
	db: CommerceDb;
	mailer: Mailer;
	databasePath: string;
}): Promise<RuntimeGauges> {
	const analytics = eventQueueFor(runtime.db, runtime.databasePath);
	const backup = await lastGoodBackup(runtime.db).catch(() => undefined);
	return {
		emailQueue: await emailQueueState(runtime.mailer),
		analyticsQueue: { depth: analytics.pending, dropped: analytics.dropped },
		lastBackup: backup
			? {
					succeededAt: Date.parse(backup.finished_at) / 1000,
					bytes: backup.bytes,
					durationSeconds: (Date.parse(backup.finished_at) - Date.parse(backup.started_at)) / 1000,
				}
			: { succeededAt: null, bytes: null, durationSeconds: null },
	};
}

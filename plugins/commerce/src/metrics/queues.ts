import type { CommerceDb } from '../db/client.ts';
import { lastGoodBackup } from '../db/repositories/operations-repository.ts';
import { outboxBacklog } from '../db/repositories/outbox-repository.ts';
import type { Mailer } from '../email/index.ts';
import type { RuntimeGauges } from '../runtime/process-state.ts';
import { eventQueueFor } from '../services/analytics/event-queue.ts';
import { BACK_IN_STOCK_KIND } from '../services/inventory/stock-alerts.ts';
import { EMAIL_KIND } from '../services/outbox/outbox-email.ts';
import { metrics } from './registry.ts';

/** Counts failed sends; the backlog itself is read from the outbox table (`emailQueueState`). */
export function instrumentMailer(mailer: Mailer): Mailer {
	return {
		async send(message) {
			try {
				return await mailer.send(message);
			} catch (error) {
				metrics().emailFailures.inc();
				throw error;
			}
		},
	};
}

/**
 * The email backlog: how many emails wait in the durable outbox (not yet delivered, including ones waiting for a
 * retry) and how old the oldest is. A stuck or unreachable SMTP server shows as depth and age growing.
 */
export async function emailQueueState(
	db: CommerceDb,
	now = Date.now(),
): Promise<{ depth: number; oldestAgeSeconds: number }> {
	const { depth, oldestCreatedAt } = await outboxBacklog(db, [EMAIL_KIND, BACK_IN_STOCK_KIND]);
	if (!depth || !oldestCreatedAt) return { depth: 0, oldestAgeSeconds: 0 };
	return { depth, oldestAgeSeconds: Math.max(0, (now - Date.parse(oldestCreatedAt)) / 1000) };
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
		emailQueue: await emailQueueState(runtime.db),
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

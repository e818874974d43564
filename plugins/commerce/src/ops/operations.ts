import { databaseDialect } from '../db/health-queries.ts';
import { logger } from '../log/logger.ts';
import { readRuntimeGauges } from '../metrics/queues.ts';
import type { CommerceRuntime } from '../runtime/commerce-runtime.ts';
import { processState } from '../runtime/process-state.ts';
import { cartRecoverySettings, queueCartReminders } from '../services/cart-recovery/cart-recovery.ts';
import { configuredOrigin } from '../services/outbox/configured-origin.ts';
import { startRetentionSchedule } from '../services/retention/prune.ts';
import { registerInstance } from './instances.ts';
import { startLeasedSchedule } from './leased-schedule.ts';
import { parseInterval, resolveBackupSchedule, startBackupSchedule } from './schedule.ts';

/**
 * The operational side of a started store, in one call from the runtime: metrics gauges read from it, its record in
 * `commerce_instance` (so a restore refuses while it runs), and scheduled backups when configured. A failure here is
 * logged and never stops the store from serving.
 */
export async function startOperations(runtime: CommerceRuntime): Promise<void> {
	const log = logger();
	processState().gauges = () => readRuntimeGauges(runtime);
	const sqlite = databaseDialect(runtime.db) === 'sqlite' && runtime.databasePath !== ':memory:';
	let holder = `server:${process.pid}`;
	try {
		holder = (await registerInstance(runtime.db, sqlite ? runtime.databasePath : null)).id;
	} catch (error) {
		log.warn({ err: error }, '[commerce] this server could not record itself in the database');
	}
	// Retention: hourly by default; COMMERCE_PRUNE_INTERVAL (e.g. 6h, 30m) changes it, `off` leaves it to `commerce prune`.
	const pruneEvery = process.env.COMMERCE_PRUNE_INTERVAL;
	if (pruneEvery?.trim().toLowerCase() !== 'off') {
		let intervalMs: number | undefined;
		try {
			intervalMs = parseInterval(pruneEvery) ?? undefined;
		} catch {
			log.warn(`[commerce] COMMERCE_PRUNE_INTERVAL="${pruneEvery}" is not a duration (e.g. 6h); pruning hourly`);
		}
		startRetentionSchedule(runtime.db, holder, intervalMs);
	}
	startCartRecovery(runtime, holder);
	try {
		const schedule = resolveBackupSchedule({ backups: runtime.options.backups ?? { keep: 7 } }, runtime.databasePath);
		if (!schedule) return;
		if (!sqlite) {
			log.warn(
				'[commerce] scheduled backups copy a SQLite file; on PostgreSQL use pg_dump (commerce backup runs it) or your provider’s backups',
			);
			return;
		}
		startBackupSchedule(runtime.db, runtime.databasePath, schedule, holder);
	} catch (error) {
		log.error({ err: error }, '[commerce] scheduled backups are off: their settings are invalid');
	}
}

/** Abandoned-cart reminders: a pass every `intervalMs` (one server at a time), waking the outbox when it queued some. */
function startCartRecovery(runtime: CommerceRuntime, holder: string): void {
	const settings = cartRecoverySettings(runtime.options);
	if (!settings.enabled) return;
	if (!configuredOrigin(runtime.options)) {
		logger().warn(
			'[commerce] abandoned-cart reminders are off: their links need a public origin (siteUrl, site or COMMERCE_PUBLIC_URL)',
		);
		return;
	}
	startLeasedSchedule(runtime.db, {
		name: 'cart_recovery',
		holder,
		intervalMs: settings.intervalMs,
		firstDelayMs: Math.min(60_000, settings.intervalMs),
		work: async (now) => {
			if (await queueCartReminders(runtime.db, settings, now)) runtime.outbox.wake();
		},
	});
}

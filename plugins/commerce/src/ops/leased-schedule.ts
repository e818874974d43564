import type { CommerceDb } from '../db/client.ts';
import { acquireLease, releaseLease } from '../db/repositories/operations-repository.ts';
import { logger } from '../log/logger.ts';
import { runAsTask } from '../log/request-log.ts';

/**
 * Runs `work` every `intervalMs` (first after `firstDelayMs`) while this process holds the lease `name`, so several
 * servers on one database never run it at once; a run still going when the next is due skips that turn. A failure is
 * logged and the next turn tries again. Returns a stop function.
 */
export function startLeasedSchedule(
	db: CommerceDb,
	schedule: {
		name: string;
		holder: string;
		intervalMs: number;
		firstDelayMs: number;
		/** How long the lease holds against other servers if this one dies mid-run. @default 10 minutes */
		leaseMs?: number;
		work: (now: Date) => Promise<unknown>;
	},
): () => void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			const now = new Date();
			const lease = await acquireLease(db, {
				name: schedule.name,
				holder: schedule.holder,
				now: now.toISOString(),
				expiresAt: new Date(now.getTime() + (schedule.leaseMs ?? 10 * 60_000)).toISOString(),
			});
			if (lease.holder !== schedule.holder) return;
			try {
				await runAsTask(schedule.name, () => schedule.work(now));
			} finally {
				await releaseLease(db, schedule.name, schedule.holder);
			}
		} catch (error) {
			logger().error({ err: error }, `[commerce] the scheduled ${schedule.name} pass failed; it runs again next turn`);
		} finally {
			running = false;
		}
	};
	const first = setTimeout(tick, schedule.firstDelayMs);
	first.unref();
	const timer = setInterval(tick, schedule.intervalMs);
	timer.unref();
	return () => {
		clearTimeout(first);
		clearInterval(timer);
	};
}

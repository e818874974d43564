import { type DatabaseTarget, openDatabase } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { pruneAnalyticsEvents, rebuildRollups } from '../services/analytics/rollup-rebuild.ts';

/**
 * `commerce analytics:rebuild [--time-zone <IANA>] [--json]`: recomputes the dashboard's rollups from the raw orders,
 * carts and events, one day per transaction (safe while the store serves), printing progress to stderr.
 */
export async function analyticsRebuildCommand(
	target: DatabaseTarget,
	opts: { timeZone?: string; json?: boolean },
): Promise<number> {
	const db = openDatabase(target);
	try {
		await migrateToLatest(db);
		let lastShown = 0;
		const result = await rebuildRollups(db, {
			timeZone: opts.timeZone,
			onProgress: ({ done, total, day }) => {
				if (Date.now() - lastShown < 500 && done < total) return;
				lastShown = Date.now();
				process.stderr.write(`analytics: ${done}/${total} days rebuilt (${day})\n`);
			},
		});
		if (opts.json) console.log(JSON.stringify(result));
		else
			console.log(
				`analytics rollups rebuilt: ${result.days} days${result.first ? ` (${result.first} … ${result.last})` : ''}, time zone ${result.timeZone}, ${result.ms} ms`,
			);
		return 0;
	} catch (error) {
		console.error(`The rebuild failed: ${(error as Error).message}`);
		return 1;
	} finally {
		await db.destroy();
	}
}

/**
 * `commerce analytics:prune [--keep-days <n>] [--json]`: deletes raw analytics events older than n days (default 396,
 * about 13 months) in batches; the rollups, and so the dashboard's history, stay.
 */
export async function analyticsPruneCommand(
	target: DatabaseTarget,
	opts: { keepDays?: string; json?: boolean },
): Promise<number> {
	const keepDays = opts.keepDays === undefined ? 396 : Number(opts.keepDays);
	if (!Number.isInteger(keepDays) || keepDays < 1) {
		console.error(`--keep-days ${opts.keepDays} is not a whole number of days (at least 1).`);
		return 2;
	}
	const db = openDatabase(target);
	try {
		await migrateToLatest(db);
		const result = await pruneAnalyticsEvents(db, { keepDays });
		if (opts.json) console.log(JSON.stringify(result));
		else console.log(`analytics: ${result.deleted} events before ${result.before} deleted; rollups kept`);
		return 0;
	} catch (error) {
		console.error(`The prune failed: ${(error as Error).message}`);
		return 1;
	} finally {
		await db.destroy();
	}
}

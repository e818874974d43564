import { basename, resolve } from 'node:path';
import type { CommerceDb } from '../db/client.ts';
import { logger } from '../log/logger.ts';
import { runAsTask } from '../log/request-log.ts';
import { metrics } from '../metrics/registry.ts';
import type { ResolvedOptions } from '../options.ts';
import { backupSqlite, defaultBackupDirectory, OpsError } from './backup.ts';

export interface BackupSchedule {
	intervalMs: number;
	keep: number;
	directory: string;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `6h`, `30m`, `1d`, `45s`; a bare number is minutes; `off`, `0` or empty is no schedule. */
export function parseInterval(text: string | undefined): number | null {
	const value = text?.trim().toLowerCase();
	if (!value || value === 'off' || value === '0') return null;
	const match = /^(\d+)(s|m|h|d)?$/.exec(value);
	if (!match)
		throw new OpsError(
			`Backup interval "${text}" is not a duration: write e.g. 6h, 30m, 1d (a bare number is minutes).`,
		);
	const ms = Number(match[1]) * UNITS[match[2] ?? 'm'];
	return ms > 0 ? ms : null;
}

/** The schedule for a database: options, overridden by `COMMERCE_BACKUP_INTERVAL|KEEP|DIR`; null when off. */
export function resolveBackupSchedule(
	options: Pick<ResolvedOptions, 'backups'>,
	databasePath: string,
	env: NodeJS.ProcessEnv = process.env,
): BackupSchedule | null {
	const intervalMs = parseInterval(env.COMMERCE_BACKUP_INTERVAL ?? options.backups.interval);
	if (intervalMs === null || databasePath === ':memory:') return null;
	const keep = env.COMMERCE_BACKUP_KEEP ? Number(env.COMMERCE_BACKUP_KEEP) : options.backups.keep;
	if (!Number.isInteger(keep) || keep < 1)
		throw new OpsError(
			`COMMERCE_BACKUP_KEEP must be a whole number of at least 1 (it is "${env.COMMERCE_BACKUP_KEEP}").`,
		);
	const directory = env.COMMERCE_BACKUP_DIR?.trim()
		? resolve(env.COMMERCE_BACKUP_DIR.trim())
		: options.backups.directory
			? resolve(options.backups.directory)
			: defaultBackupDirectory(databasePath, {});
	return { intervalMs, keep, directory };
}

/**
 * Backs the database up every `intervalMs` from inside the server, in a worker thread (requests keep being served),
 * keeping the `keep` newest. Never two at once: a run still going when the next is due skips that turn, and the
 * `backup` lease keeps other processes (a CLI backup, another instance) from overlapping.
 */
export function startBackupSchedule(
	db: CommerceDb,
	databasePath: string,
	schedule: BackupSchedule,
	holder: string,
): { stop(): void; runNow(): Promise<void> } {
	let running: Promise<void> | null = null;
	const log = logger();
	const run = async () => {
		const started = performance.now();
		try {
			const result = await backupSqlite({
				source: databasePath,
				// A trailing slash: always a directory, whatever its name looks like.
				destination: `${schedule.directory}/`,
				keep: schedule.keep,
				trigger: 'schedule',
				holder,
				db,
			});
			metrics().backups.inc({ status: 'ok' });
			log.info(
				{
					file: result.file,
					bytes: result.bytes,
					sha256: result.sha256,
					durationMs: result.durationMs,
					removed: result.removed.map((f) => basename(f)),
				},
				'[commerce] scheduled backup written',
			);
		} catch (error) {
			if (error instanceof OpsError && /Another backup/.test(error.message)) {
				log.info({ reason: error.message }, '[commerce] scheduled backup skipped: another backup is running');
				return;
			}
			metrics().backups.inc({ status: 'failed' });
			log.error(
				{ err: error, durationMs: Math.round(performance.now() - started) },
				'[commerce] scheduled backup failed',
			);
		}
	};
	const tick = () => {
		if (running) {
			log.warn('[commerce] scheduled backup skipped: the previous one is still running');
			return running;
		}
		running = runAsTask('scheduled-backup', run).finally(() => {
			running = null;
		});
		return running;
	};
	const timer = setInterval(tick, schedule.intervalMs);
	timer.unref();
	log.info(
		{ everySeconds: schedule.intervalMs / 1000, keep: schedule.keep, directory: schedule.directory },
		'[commerce] scheduled backups on',
	);
	return { stop: () => clearInterval(timer), runNow: () => tick() };
}

import { hostname } from 'node:os';
import type { CommerceDb } from '../db/client.ts';
import { newId } from '../db/ids.ts';
import { deleteInstance, insertInstance, touchInstance } from '../db/repositories/operations-repository.ts';
import { forgetInstanceSync } from '../db/sqlite-files.ts';
import { logger } from '../log/logger.ts';

/** How often a running server renews its row in `commerce_instance`. */
export const HEARTBEAT_MS = 10_000;
/** A heartbeat older than this belongs to a process that is gone (three missed beats). */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_MS;

export interface RegisteredInstance {
	id: string;
	stop(): Promise<void>;
}

/**
 * Records this server in the database it uses and renews the record every 10 s, so `commerce restore` can tell that
 * the file is in use (and by whom). The row is deleted on a clean exit; after a crash it goes stale in 30 s.
 */
export async function registerInstance(
	db: CommerceDb,
	databasePath: string | null,
	now: () => Date = () => new Date(),
): Promise<RegisteredInstance> {
	const id = newId('inst');
	const at = now().toISOString();
	await insertInstance(db, {
		id,
		role: 'server',
		hostname: hostname(),
		pid: process.pid,
		started_at: at,
		heartbeat_at: at,
	});
	const timer = setInterval(() => {
		touchInstance(db, id, now().toISOString()).catch((error: unknown) =>
			logger().warn({ err: error }, '[commerce] the server heartbeat could not be written'),
		);
	}, HEARTBEAT_MS);
	timer.unref();
	// At exit the event loop is gone: remove the row through a short synchronous connection.
	const onExit = () => {
		if (!databasePath || databasePath === ':memory:') return;
		try {
			forgetInstanceSync(databasePath, id);
		} catch {
			// Goes stale on its own.
		}
	};
	process.once('exit', onExit);
	return {
		id,
		async stop() {
			clearInterval(timer);
			process.removeListener('exit', onExit);
			await deleteInstance(db, id).catch(() => {});
		},
	};
}

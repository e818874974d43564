import type { Kysely } from 'kysely';
import type { BackupRunTable, CommerceInstanceTable, Database } from '../types.ts';

// Operations bookkeeping (migration 0016): live server instances, named leases, backup history. Every statement is
// portable (SQLite ≥ 3.24 and PostgreSQL: `insert … on conflict … do update … where`).

export type InstanceRow = CommerceInstanceTable;

export async function insertInstance(db: Kysely<Database>, row: InstanceRow): Promise<void> {
	await db.insertInto('commerce_instance').values(row).execute();
}

export async function touchInstance(db: Kysely<Database>, id: string, at: string): Promise<void> {
	await db.updateTable('commerce_instance').set({ heartbeat_at: at }).where('id', '=', id).execute();
}

export async function deleteInstance(db: Kysely<Database>, id: string): Promise<void> {
	await db.deleteFrom('commerce_instance').where('id', '=', id).execute();
}

/** Instances whose heartbeat is at or after `since` (ISO time). */
export async function instancesSeenSince(db: Kysely<Database>, since: string): Promise<InstanceRow[]> {
	return db.selectFrom('commerce_instance').selectAll().where('heartbeat_at', '>=', since).execute();
}

/** Forgets every instance and lease: a restored copy carries the rows of the server it was taken from. */
export async function clearInstancesAndLeases(db: Kysely<Database>): Promise<void> {
	await db.deleteFrom('commerce_instance').execute();
	await db.deleteFrom('commerce_lease').execute();
}

/**
 * Takes the lease `name` for `holder` until `expiresAt` when it is free, expired or already ours, in one statement
 * (no window between check and write). Returns the holder after the attempt: ours means we have it.
 */
export async function acquireLease(
	db: Kysely<Database>,
	lease: { name: string; holder: string; now: string; expiresAt: string },
): Promise<{ holder: string; acquiredAt: string; expiresAt: string }> {
	await db
		.insertInto('commerce_lease')
		.values({ name: lease.name, holder: lease.holder, acquired_at: lease.now, expires_at: lease.expiresAt })
		.onConflict((oc) =>
			oc
				.column('name')
				.doUpdateSet({ holder: lease.holder, acquired_at: lease.now, expires_at: lease.expiresAt })
				.where((eb) =>
					eb.or([eb('commerce_lease.expires_at', '<', lease.now), eb('commerce_lease.holder', '=', lease.holder)]),
				),
		)
		.execute();
	const row = await db
		.selectFrom('commerce_lease')
		.select(['holder', 'acquired_at', 'expires_at'])
		.where('name', '=', lease.name)
		.executeTakeFirstOrThrow();
	return { holder: row.holder, acquiredAt: row.acquired_at, expiresAt: row.expires_at };
}

export async function releaseLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
	await db.deleteFrom('commerce_lease').where('name', '=', name).where('holder', '=', holder).execute();
}

export type BackupRun = Omit<BackupRunTable, 'bytes'> & { bytes: number | null };

export async function insertBackupRun(db: Kysely<Database>, run: BackupRun): Promise<void> {
	await db.insertInto('backup_run').values(run).execute();
}

/** The most recent successful backup, if any. */
export async function lastGoodBackup(db: Kysely<Database>): Promise<BackupRun | undefined> {
	const row = await db
		.selectFrom('backup_run')
		.selectAll()
		.where('status', '=', 'ok')
		.orderBy('finished_at', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row ? { ...row, bytes: row.bytes === null ? null : Number(row.bytes) } : undefined;
}

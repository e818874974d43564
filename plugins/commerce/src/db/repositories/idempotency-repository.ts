import type { Kysely } from 'kysely';
import type { Database } from '../types.ts';

type Db = Kysely<Database>;

/** A claimed Idempotency-Key: the request it was claimed for and, once answered, the stored response. */
export interface IdempotencyRecord {
	requestHash: string;
	/** null while the first request is still running. */
	response: { status: number; body: string } | null;
}

/** Deletes keys whose replay window ended before `at`. */
export async function deleteExpiredKeys(db: Db, at: string): Promise<void> {
	await db.deleteFrom('idempotency_key').where('expires_at', '<', at).execute();
}

/**
 * Claims a key for one scope; false when it is already claimed (the unique (key, scope) pair decides, so two
 * concurrent first requests cannot both win).
 */
export async function claimKey(
	db: Db,
	claim: { key: string; scope: string; requestHash: string; at: string; expiresAt: string },
): Promise<boolean> {
	const inserted = await db
		.insertInto('idempotency_key')
		.values({
			idempotency_key: claim.key,
			scope: claim.scope,
			request_hash: claim.requestHash,
			response_status: null,
			response_body: null,
			created_at: claim.at,
			expires_at: claim.expiresAt,
		})
		.onConflict((oc) => oc.columns(['idempotency_key', 'scope']).doNothing())
		.executeTakeFirst();
	return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findKey(db: Db, key: string, scope: string): Promise<IdempotencyRecord | undefined> {
	const row = await db
		.selectFrom('idempotency_key')
		.select(['request_hash', 'response_status', 'response_body'])
		.where('idempotency_key', '=', key)
		.where('scope', '=', scope)
		.executeTakeFirst();
	if (!row) return undefined;
	const answered = row.response_status !== null && row.response_body !== null;
	return {
		requestHash: row.request_hash,
		response: answered ? { status: row.response_status as number, body: row.response_body as string } : null,
	};
}

/** Stores the response of a claimed key. */
export async function storeResponse(db: Db, key: string, scope: string, status: number, body: string): Promise<void> {
	await db
		.updateTable('idempotency_key')
		.set({ response_status: status, response_body: body })
		.where('idempotency_key', '=', key)
		.where('scope', '=', scope)
		.execute();
}

/** Gives a key up, so a retry runs the request again. */
export async function releaseKey(db: Db, key: string, scope: string): Promise<void> {
	await db.deleteFrom('idempotency_key').where('idempotency_key', '=', key).where('scope', '=', scope).execute();
}

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.ts';

type Db = Kysely<Database>;

/** How long a stored response can be replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export type IdempotencyStart =
	| { kind: 'new' }
	| { kind: 'replay'; status: number; body: string }
	| { kind: 'in_progress' }
	| { kind: 'different_request' };

export const hashRequest = (method: string, path: string, body: string) =>
	createHash('sha256').update(`${method}\n${path}\n${body}`).digest('hex');

/**
 * Claims a client's Idempotency-Key for one scope (method + path, which names the cart). The first request claims it;
 * a retry gets the stored response; a retry while the first still runs is told to wait; the same key with another
 * body is refused. Keys are scoped so a key never replays another route's or another cart's response.
 */
export async function beginIdempotentRequest(
	db: Db,
	key: string,
	scope: string,
	requestHash: string,
	now = new Date(),
): Promise<IdempotencyStart> {
	const at = now.toISOString();
	await db.deleteFrom('idempotency_key').where('expires_at', '<', at).execute();
	const inserted = await db
		.insertInto('idempotency_key')
		.values({
			idempotency_key: key,
			scope,
			request_hash: requestHash,
			response_status: null,
			response_body: null,
			created_at: at,
			expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
		})
		.onConflict((oc) => oc.columns(['idempotency_key', 'scope']).doNothing())
		.executeTakeFirst();
	if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'new' };
	const existing = await db
		.selectFrom('idempotency_key')
		.selectAll()
		.where('idempotency_key', '=', key)
		.where('scope', '=', scope)
		.executeTakeFirst();
	if (!existing) return { kind: 'new' };
	if (existing.request_hash !== requestHash) return { kind: 'different_request' };
	if (existing.response_status === null || existing.response_body === null) return { kind: 'in_progress' };
	return { kind: 'replay', status: existing.response_status, body: existing.response_body };
}

/** Stores the response of a claimed key; a server error releases the key instead so a retry runs again. */
export async function finishIdempotentRequest(
	db: Db,
	key: string,
	scope: string,
	status: number,
	body: string,
): Promise<void> {
	if (status >= 500) {
		await db.deleteFrom('idempotency_key').where('idempotency_key', '=', key).where('scope', '=', scope).execute();
		return;
	}
	await db
		.updateTable('idempotency_key')
		.set({ response_status: status, response_body: body })
		.where('idempotency_key', '=', key)
		.where('scope', '=', scope)
		.execute();
}

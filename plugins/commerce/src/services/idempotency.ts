import { createHash } from 'node:crypto';
import type { CommerceDb } from '../db/client.ts';
import {
	claimKey,
	deleteExpiredKeys,
	findKey,
	releaseKey,
	storeResponse,
} from '../db/repositories/idempotency-repository.ts';

type Db = CommerceDb;

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
	await deleteExpiredKeys(db, at);
	const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString();
	if (await claimKey(db, { key, scope, requestHash, at, expiresAt })) return { kind: 'new' };
	const existing = await findKey(db, key, scope);
	if (!existing) return { kind: 'new' };
	if (existing.requestHash !== requestHash) return { kind: 'different_request' };
	if (!existing.response) return { kind: 'in_progress' };
	return { kind: 'replay', ...existing.response };
}

/** Stores the response of a claimed key; a server error releases the key instead so a retry runs again. */
export async function finishIdempotentRequest(
	db: Db,
	key: string,
	scope: string,
	status: number,
	body: string,
): Promise<void> {
	if (status >= 500) await releaseKey(db, key, scope);
	else await storeResponse(db, key, scope, status, body);
}

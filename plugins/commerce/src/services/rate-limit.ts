import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { CommerceDb } from '../db/client.ts';
import { countRateLimitHit, pruneRateLimitCounters } from '../db/repositories/rate-limit-repository.ts';

/**
 * Every rate limit and lockout of the store is built here, on `rate-limiter-flexible` (memory, PostgreSQL and Redis
 * stores behind one interface; O(1) per request whatever the number of distinct clients, where the hand-written
 * map it replaces scanned every key past 10,000). Limiters are created lazily from the current store factory
 * (`useLimiterStore`, e.g. `(spec) => new RateLimiterRedis({ storeClient, ...spec })`). On PostgreSQL the runtime also
 * sets a shared fixed-window store in the database (`useSharedRateLimitStore`): `take` on a named limiter counts there,
 * so every server of the store counts against one limit.
 */

/** Fixed-window counters shared by every server of a store (several instances on one PostgreSQL database). */
export interface SharedRateLimitStore {
	hit(key: string, limit: number, windowMs: number): Promise<LimitCheck>;
}

let shared: SharedRateLimitStore | null = null;

/**
 * The one switch between per-process and shared limits: the runtime sets the database store when the store runs on
 * PostgreSQL (several instances), and leaves limits in memory on SQLite (one process). Null goes back to memory.
 */
export function useSharedRateLimitStore(store: SharedRateLimitStore | null): void {
	shared = store;
}

/**
 * Counters in the `rate_limit_counter` table, with the in-memory limiter's rules (a window opens at a key's first hit
 * and lasts `windowMs`): one upsert per hit, expired counters pruned at most once a minute.
 */
export function databaseRateLimitStore(db: CommerceDb, now: () => number = Date.now): SharedRateLimitStore {
	let lastPrune = 0;
	return {
		async hit(key, limit, windowMs) {
			const t = now();
			const { hits, expiresAt } = await countRateLimitHit(db, key, t, windowMs);
			if (t - lastPrune > 60_000) {
				lastPrune = t;
				pruneRateLimitCounters(db, t).catch(() => {});
			}
			if (hits <= limit) return { allowed: true };
			return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((expiresAt - t) / 1000)) };
		},
	};
}

/** What a store needs to build one limiter: `points` per `duration` seconds under a key prefix. */
export interface LimiterSpec {
	keyPrefix: string;
	points: number;
	/** Seconds; the window of a fixed-window counter. */
	duration: number;
}

export type LimiterStoreFactory = (spec: LimiterSpec) => RateLimiterAbstract;

/** The default store: in memory, per process (enough for the single Store API process of the default setup). */
export const memoryLimiterStore: LimiterStoreFactory = (spec) => new RateLimiterMemory(spec);

let storeFactory: LimiterStoreFactory = memoryLimiterStore;
const built = new Map<string, RateLimiterAbstract>();

/** Replaces the store of every limiter (those already built are rebuilt on their next use, with empty counters). */
export function useLimiterStore(factory: LimiterStoreFactory): void {
	storeFactory = factory;
	built.clear();
}

function limiterFor(spec: LimiterSpec): () => RateLimiterAbstract {
	if (!/^[a-z0-9_:.-]+$/i.test(spec.keyPrefix)) throw new Error(`Invalid limiter name ${spec.keyPrefix}`);
	return () => {
		let limiter = built.get(spec.keyPrefix);
		if (!limiter) {
			limiter = storeFactory(spec);
			built.set(spec.keyPrefix, limiter);
		}
		return limiter;
	};
}

/** What a limiter answers before an attempt. */
export type LimitCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const waitSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * A fixed-window counter per key: `limit` hits per `windowMs`, then 429 until the window ends. `hit` counts in this
 * process's store; `take` counts in the shared store when the runtime set one (PostgreSQL), else like `hit`.
 */
export function createRateLimiter(opts: { name: string; limit: number; windowMs: number }) {
	const limiter = limiterFor({
		keyPrefix: `fb:${opts.name}`,
		points: opts.limit,
		duration: Math.ceil(opts.windowMs / 1000),
	});
	return {
		/** Counts one attempt where the store keeps its limits (shared across servers on PostgreSQL). */
		take(key: string): Promise<LimitCheck> {
			if (shared) return shared.hit(`${opts.name}:${key}`, opts.limit, opts.windowMs);
			return this.hit(key);
		},
		/** Counts one attempt; returns the seconds to wait when the key is over its limit. */
		async hit(key: string): Promise<LimitCheck> {
			try {
				await limiter().consume(key);
				return { allowed: true };
			} catch (error) {
				if (error instanceof RateLimiterRes)
					return { allowed: false, retryAfterSeconds: waitSeconds(error.msBeforeNext) };
				throw error;
			}
		},
	};
}

/**
 * Exponential backoff per key, for attempts that can fail (passwords, reset tokens) or that cost someone else
 * something (reset emails): every `record` counts; from the `lockAfter`-th on, the key is locked for
 * `baseMs · 2^(count − lockAfter)`, at most `maxMs`. Counts are forgotten `forgetAfterMs` after the first one (a
 * fixed window), or at once by `reset` (a successful login). Two limiters of the store: the count and the lock.
 */
export function createBackoffLimiter(opts: {
	name: string;
	lockAfter: number;
	baseMs: number;
	maxMs: number;
	forgetAfterMs: number;
}) {
	const counts = limiterFor({
		keyPrefix: `fb:${opts.name}:count`,
		points: Number.MAX_SAFE_INTEGER,
		duration: Math.ceil(opts.forgetAfterMs / 1000),
	});
	const locks = limiterFor({ keyPrefix: `fb:${opts.name}:lock`, points: 1, duration: Math.ceil(opts.maxMs / 1000) });
	return {
		/** Whether an attempt may run now; does not count it. */
		async check(key: string): Promise<LimitCheck> {
			const lock = await locks().get(key);
			if (!lock || lock.consumedPoints <= 1 || lock.msBeforeNext <= 0) return { allowed: true };
			return { allowed: false, retryAfterSeconds: waitSeconds(lock.msBeforeNext) };
		},
		/** How many records the key has in its window. */
		async count(key: string): Promise<number> {
			return (await counts().get(key))?.consumedPoints ?? 0;
		},
		/** Counts one failure (or one costly request) and locks the key once it is over the free allowance. */
		async record(key: string): Promise<void> {
			const { consumedPoints } = await counts().penalty(key, 1);
			if (consumedPoints >= opts.lockAfter) {
				const exponent = Math.min(consumedPoints - opts.lockAfter, 30);
				const ms = Math.min(opts.maxMs, opts.baseMs * 2 ** exponent);
				await locks().block(key, Math.ceil(ms / 1000));
			}
		},
		/** Forgets a key (after a success that proves the attempts were legitimate). */
		async reset(key: string): Promise<void> {
			await Promise.all([counts().delete(key), locks().delete(key)]);
		},
	};
}

import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { MemoryLimiterStore } from './memory-limiter-store.ts';

/**
 * Every rate limit and lockout of the store is built here, on `rate-limiter-flexible`'s interface (PostgreSQL and Redis
 * stores behind it; in memory our timer-less `MemoryLimiterStore`), O(1) per request whatever the number of distinct
 * clients, where the hand-written map it replaces scanned every key past 10,000. Limiters are created lazily from the current store factory
 * (`useLimiterStore`). On PostgreSQL the runtime sets the library's PostgreSQL store (db/shared-limiter-store.ts), so
 * every limit and lockout counts once for all the servers of the store; one SQLite process keeps them in memory.
 */

/** What a store needs to build one limiter: `points` per `duration` seconds under a key prefix. */
export interface LimiterSpec {
	keyPrefix: string;
	points: number;
	/** Seconds; the window of a fixed-window counter. */
	duration: number;
}

/** What the limits use of a limiter: rate-limiter-flexible's interface, so any of its stores fits. */
export type LimiterStore = Pick<RateLimiterAbstract, 'consume' | 'penalty' | 'get' | 'block' | 'delete'>;

export type LimiterStoreFactory = (spec: LimiterSpec) => LimiterStore;

/**
 * The default store: in memory, per process (enough for the single process of a SQLite store). Our own
 * (memory-limiter-store.ts) rather than the library's `RateLimiterMemory`, whose timer per key made requests slower
 * as distinct clients piled up.
 */
export const memoryLimiterStore: LimiterStoreFactory = (spec) => new MemoryLimiterStore(spec);

let storeFactory: LimiterStoreFactory = memoryLimiterStore;
const built = new Map<string, LimiterStore>();

/**
 * The one switch between per-process and shared limits: replaces the store of every limiter (those already built are
 * rebuilt on their next use, with the new store's counters). `memoryLimiterStore` goes back to memory.
 */
export function useLimiterStore(factory: LimiterStoreFactory): void {
	storeFactory = factory;
	built.clear();
}

function limiterFor(spec: LimiterSpec): () => LimiterStore {
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

/** A fixed-window counter per key: `limit` hits per `windowMs` (the window opens at a key's first hit), then 429. */
export function createRateLimiter(opts: { name: string; limit: number; windowMs: number }) {
	const limiter = limiterFor({
		keyPrefix: `fb:${opts.name}`,
		points: opts.limit,
		duration: Math.ceil(opts.windowMs / 1000),
	});
	return {
		/** Counts one attempt (in the shared store on PostgreSQL); returns the seconds to wait when over the limit. */
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

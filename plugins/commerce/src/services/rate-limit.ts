import type { CommerceDb } from '../db/client.ts';
import { countRateLimitHit, pruneRateLimitCounters } from '../db/repositories/rate-limit-repository.ts';

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

/**
 * A fixed-window counter per key. `hit` counts in this process's memory; `take` counts in the shared store when the
 * runtime set one (PostgreSQL: every server counts against the same limit), else in memory. `name` keeps the keys of
 * different limiters apart in the shared store.
 */
export function createRateLimiter(opts: { name?: string; limit: number; windowMs: number; now?: () => number }) {
	const hits = new Map<string, { count: number; resetAt: number }>();
	const clock = opts.now ?? Date.now;
	return {
		/** Counts one attempt where the store keeps its limits (shared across servers on PostgreSQL). */
		take(key: string): Promise<LimitCheck> {
			if (shared && opts.name) return shared.hit(`${opts.name}:${key}`, opts.limit, opts.windowMs);
			return Promise.resolve(this.hit(key));
		},
		/** Counts one attempt; returns the seconds to wait when the key is over its limit. */
		hit(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
			const now = clock();
			if (hits.size > 10_000) for (const [k, v] of hits) if (v.resetAt <= now) hits.delete(k);
			const entry = hits.get(key);
			if (!entry || entry.resetAt <= now) {
				hits.set(key, { count: 1, resetAt: now + opts.windowMs });
				return { allowed: true };
			}
			entry.count += 1;
			if (entry.count <= opts.limit) return { allowed: true };
			return { allowed: false, retryAfterSeconds: Math.ceil((entry.resetAt - now) / 1000) };
		},
	};
}

/** What a limiter answers before an attempt. */
export type LimitCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Exponential backoff per key, for attempts that can fail (passwords, reset tokens) or that cost someone else
 * something (reset emails): every `record` counts; from the `lockAfter`-th on, the key is locked for
 * `baseMs · 2^(count − lockAfter)`, at most `maxMs`. A key is forgotten `forgetAfterMs` after its last record, or at
 * once by `reset` (a successful login). In memory, per process, like `createRateLimiter`.
 */
export function createBackoffLimiter(opts: {
	lockAfter: number;
	baseMs: number;
	maxMs: number;
	forgetAfterMs: number;
	now?: () => number;
}) {
	const entries = new Map<string, { count: number; lockedUntil: number; last: number }>();
	const clock = opts.now ?? Date.now;
	const live = (key: string, now: number) => {
		const entry = entries.get(key);
		if (entry && entry.last + opts.forgetAfterMs <= now && entry.lockedUntil <= now) {
			entries.delete(key);
			return undefined;
		}
		return entry;
	};
	return {
		/** Whether an attempt may run now; does not count it. */
		check(key: string): LimitCheck {
			const now = clock();
			const entry = live(key, now);
			if (!entry || entry.lockedUntil <= now) return { allowed: true };
			return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((entry.lockedUntil - now) / 1000)) };
		},
		/** Counts one failure (or one costly request) and locks the key once it is over the free allowance. */
		record(key: string): void {
			const now = clock();
			if (entries.size > 10_000) for (const k of [...entries.keys()]) live(k, now);
			const entry = live(key, now) ?? { count: 0, lockedUntil: 0, last: now };
			entry.count += 1;
			entry.last = now;
			if (entry.count >= opts.lockAfter) {
				const exponent = Math.min(entry.count - opts.lockAfter, 30);
				entry.lockedUntil = now + Math.min(opts.maxMs, opts.baseMs * 2 ** exponent);
			}
			entries.set(key, entry);
		},
		/** Forgets a key (after a success that proves the attempts were legitimate). */
		reset(key: string): void {
			entries.delete(key);
		},
	};
}

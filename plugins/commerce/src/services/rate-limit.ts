/**
 * A fixed-window counter per key, in memory: enough for one server process (the Store API runs in one). Several
 * processes would move this to the database or a shared store; see system_design.md.
 */
export function createRateLimiter(opts: { limit: number; windowMs: number; now?: () => number }) {
	const hits = new Map<string, { count: number; resetAt: number }>();
	const clock = opts.now ?? Date.now;
	return {
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

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

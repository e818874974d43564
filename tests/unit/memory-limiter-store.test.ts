import { RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryLimiterStore } from '../../plugins/commerce/src/services/memory-limiter-store.ts';
import { createBackoffLimiter, createRateLimiter } from '../../plugins/commerce/src/services/rate-limit.ts';

// The per-process limiter store: rate-limiter-flexible's memory semantics without a timer per key (whose retained
// request contexts made every request slower as distinct client addresses piled up; npm run bench:limiter).

beforeEach(() => {
	vi.useFakeTimers({ now: new Date('2026-12-01T12:00:00Z') });
});
afterEach(() => {
	vi.useRealTimers();
});

describe('MemoryLimiterStore', () => {
	it('lets `points` through per key and window, then refuses with the time left; other keys are apart', async () => {
		const store = new MemoryLimiterStore({ keyPrefix: 't', points: 3, duration: 600 });
		for (let i = 0; i < 3; i++) await expect(store.consume('203.0.113.9')).resolves.toBeInstanceOf(RateLimiterRes);
		vi.advanceTimersByTime(60_000);
		const refused = await store.consume('203.0.113.9').catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(RateLimiterRes);
		expect(refused).toMatchObject({ consumedPoints: 4, remainingPoints: 0, msBeforeNext: 540_000 });
		await expect(store.consume('198.51.100.1')).resolves.toMatchObject({ consumedPoints: 1, remainingPoints: 2 });
		// The window is fixed from the first hit: after it, the key starts again.
		vi.advanceTimersByTime(540_000);
		expect(await store.get('203.0.113.9')).toBeNull();
		await expect(store.consume('203.0.113.9')).resolves.toMatchObject({ consumedPoints: 1, isFirstInDuration: true });
	});

	it('counts penalties without refusing, blocks for a given time, forgets on delete', async () => {
		const store = new MemoryLimiterStore({ keyPrefix: 't', points: 1, duration: 60 });
		await store.penalty('k');
		await expect(store.penalty('k')).resolves.toMatchObject({ consumedPoints: 2 });
		await store.block('k', 30);
		expect(await store.get('k')).toMatchObject({ consumedPoints: 2, msBeforeNext: 30_000 });
		vi.advanceTimersByTime(30_000);
		expect(await store.get('k')).toBeNull();
		await store.block('k', 30);
		expect(await store.delete('k')).toBe(true);
		expect(await store.get('k')).toBeNull();
	});

	it('keeps no timer per key and sweeps expired counters as new ones arrive', async () => {
		const store = new MemoryLimiterStore({ keyPrefix: 't', points: 10, duration: 600 });
		for (let i = 0; i < 1000; i++) await store.consume(`10.0.${i >> 8}.${i & 255}`);
		expect(vi.getTimerCount()).toBe(0);
		expect(store.size).toBe(1000);
		vi.advanceTimersByTime(600_000);
		for (let i = 0; i < 250; i++) await store.consume(`10.1.${i >> 8}.${i & 255}`);
		expect(store.size).toBe(250);
	});
});

describe('the limits on the memory store', () => {
	it('a rate limiter answers 429 seconds from its window, and a backoff limiter locks and resets', async () => {
		const limiter = createRateLimiter({ name: 'memory-store-test', limit: 2, windowMs: 10_000 });
		expect(await limiter.hit('a')).toEqual({ allowed: true });
		expect(await limiter.hit('a')).toEqual({ allowed: true });
		expect(await limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
		const backoff = createBackoffLimiter({
			name: 'memory-store-backoff',
			lockAfter: 2,
			baseMs: 30_000,
			maxMs: 120_000,
			forgetAfterMs: 600_000,
		});
		await backoff.record('b');
		expect(await backoff.check('b')).toEqual({ allowed: true });
		await backoff.record('b');
		expect(await backoff.check('b')).toEqual({ allowed: false, retryAfterSeconds: 30 });
		await backoff.record('b');
		expect(await backoff.check('b')).toEqual({ allowed: false, retryAfterSeconds: 60 });
		expect(await backoff.count('b')).toBe(3);
		await backoff.reset('b');
		expect(await backoff.check('b')).toEqual({ allowed: true });
		expect(await backoff.count('b')).toBe(0);
	});
});

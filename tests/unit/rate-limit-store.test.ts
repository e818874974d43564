import { RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import { postgresLimiterStore } from '../../plugins/commerce/src/db/shared-limiter-store.ts';
import {
	createBackoffLimiter,
	createRateLimiter,
	memoryLimiterStore,
	useLimiterStore,
} from '../../plugins/commerce/src/services/rate-limit.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// Limits shared by several servers through their one PostgreSQL database (rate-limiter-flexible's PostgreSQL store):
// two connection pools stand for two instances. PostgreSQL only (vitest.config.ts: POSTGRES_ONLY_UNIT_TESTS).

let testDb: TestDatabase;
let second: CommerceDb;

beforeEach(async () => {
	testDb = await createTestDatabase('ratelimit');
	second = testDb.open();
});
afterEach(async () => {
	useLimiterStore(memoryLimiterStore);
	await second.destroy();
	await testDb.destroy();
});

describe('shared limiter store', () => {
	it('lets exactly the limit through when hits race in from two servers', async () => {
		const spec = { keyPrefix: 'fb:race', points: 10, duration: 600 };
		const a = postgresLimiterStore(testDb.db)(spec);
		const b = postgresLimiterStore(second)(spec);
		const results = await Promise.allSettled(
			Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).consume('203.0.113.9')),
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
		const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(refused.reason).toBeInstanceOf(RateLimiterRes);
		// Another client has its own allowance.
		await expect(a.consume('198.51.100.1')).resolves.toBeInstanceOf(RateLimiterRes);
	});

	it('holds a sign-in lockout recorded on one server on the other, and a reset on either clears it', async () => {
		const limiter = createBackoffLimiter({
			name: 'test-lockout',
			lockAfter: 3,
			baseMs: 30_000,
			maxMs: 60_000,
			forgetAfterMs: 600_000,
		});
		useLimiterStore(postgresLimiterStore(testDb.db));
		for (let i = 0; i < 3; i++) await limiter.record('ann@example.com|203.0.113.9');
		expect(await limiter.check('ann@example.com|203.0.113.9')).toEqual({ allowed: false, retryAfterSeconds: 30 });
		// "The other instance": a store on its own pool sees the same count and lock.
		useLimiterStore(postgresLimiterStore(second));
		expect(await limiter.count('ann@example.com|203.0.113.9')).toBe(3);
		expect((await limiter.check('ann@example.com|203.0.113.9')).allowed).toBe(false);
		expect((await limiter.check('ann@example.com|198.51.100.1')).allowed).toBe(true);
		await limiter.reset('ann@example.com|203.0.113.9');
		useLimiterStore(postgresLimiterStore(testDb.db));
		expect(await limiter.check('ann@example.com|203.0.113.9')).toEqual({ allowed: true });
		expect(await limiter.count('ann@example.com|203.0.113.9')).toBe(0);
	});

	it('is what named limiters use once the runtime sets it, and memory otherwise', async () => {
		const limiter = createRateLimiter({ name: 'test', limit: 1, windowMs: 60_000 });
		expect((await limiter.hit('x')).allowed).toBe(true);
		expect((await limiter.hit('x')).allowed).toBe(false);
		useLimiterStore(postgresLimiterStore(second));
		// The shared store has not seen `x` yet; its count is a row in the database.
		expect((await limiter.hit('x')).allowed).toBe(true);
		expect(await limiter.hit('x')).toEqual({ allowed: false, retryAfterSeconds: 60 });
		const rows = await testDb.db.selectFrom('rate_limiter_flexible').selectAll().execute();
		expect(rows).toEqual([expect.objectContaining({ key: 'fb:test:x', points: 2 })]);
	});
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import {
	createRateLimiter,
	databaseRateLimitStore,
	useSharedRateLimitStore,
} from '../../plugins/commerce/src/services/rate-limit.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// Limits shared by several servers through their one database: two connection pools stand for two instances.

let testDb: TestDatabase;
let second: CommerceDb;

beforeEach(async () => {
	testDb = await createTestDatabase('ratelimit');
	second = testDb.open();
});
afterEach(async () => {
	useSharedRateLimitStore(null);
	await second.destroy();
	await testDb.destroy();
});

describe('database rate-limit store', () => {
	it('lets exactly the limit through when hits race in from two servers', async () => {
		const now = () => Date.parse('2026-12-01T12:03:00Z');
		const a = databaseRateLimitStore(testDb.db, now);
		const b = databaseRateLimitStore(second, now);
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).hit('lookup:203.0.113.9', 10, 10 * 60_000)),
		);
		expect(results.filter((r) => r.allowed)).toHaveLength(10);
		// The window opened with the first hit and lasts 10 minutes.
		expect(results.find((r) => !r.allowed)).toEqual({ allowed: false, retryAfterSeconds: 600 });
		// Another client has its own allowance.
		expect(await a.hit('lookup:198.51.100.1', 10, 10 * 60_000)).toEqual({ allowed: true });
	});

	it('opens a window at the first hit and starts counting again after it', async () => {
		let t = Date.parse('2026-12-01T12:09:59Z');
		const store = databaseRateLimitStore(testDb.db, () => t);
		expect(await store.hit('k', 2, 60_000)).toEqual({ allowed: true });
		t += 1000;
		expect(await store.hit('k', 2, 60_000)).toEqual({ allowed: true });
		t += 58_000;
		expect(await store.hit('k', 2, 60_000)).toEqual({ allowed: false, retryAfterSeconds: 1 });
		t += 1000;
		expect(await store.hit('k', 2, 60_000)).toEqual({ allowed: true });
	});

	it('is what named limiters use once the runtime sets it, and memory otherwise', async () => {
		const limiter = createRateLimiter({ name: 'test', limit: 1, windowMs: 60_000 });
		expect((await limiter.take('x')).allowed).toBe(true);
		expect((await limiter.take('x')).allowed).toBe(false);
		useSharedRateLimitStore(databaseRateLimitStore(second));
		// The shared store has not seen `x` yet; each hit is a row in the database.
		expect((await limiter.take('x')).allowed).toBe(true);
		expect((await limiter.take('x')).allowed).toBe(false);
		const rows = await testDb.db.selectFrom('rate_limit_counter').selectAll().execute();
		expect(rows).toEqual([expect.objectContaining({ key: 'test:x', hits: 2 })]);
	});
});

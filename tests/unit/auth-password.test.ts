import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	CUSTOMER_PASSWORD_MIN_LENGTH,
	hashPassword,
	needsRehash,
	passwordProblem,
	verifyPassword,
} from '../../plugins/commerce/src/auth/password.ts';
import { createBackoffLimiter } from '../../plugins/commerce/src/services/rate-limit.ts';

// Each scrypt call is deliberately slow (64 MiB, ~0.1 s idle); the first case runs four, which took 3.9 s of the
// default 5 s while the whole suite shared two cores with other runs. The assertions stay; only the wait is realistic.
describe('password hashing (scrypt N=2^15, r=8, p=1)', { timeout: 30_000 }, () => {
	it('stores the parameters with a salted hash and verifies only the right password', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
		expect(hash).not.toContain('correct horse');
		expect(await hashPassword('correct horse battery')).not.toBe(hash); // fresh salt each time
		expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
		expect(needsRehash(hash)).toBe(false);
	});

	it('normalizes Unicode (NFKC) before hashing', async () => {
		const hash = await hashPassword('ﬁancé password');
		expect(await verifyPassword(hash, 'fiancé password')).toBe(true);
	});

	it('treats malformed or absurd stored parameters as a mismatch instead of running them', async () => {
		const hash = await hashPassword('correct horse battery');
		const [, , r, p, salt, key] = hash.split('$');
		expect(await verifyPassword(`scrypt$${2 ** 30}$${r}$${p}$${salt}$${key}`, 'correct horse battery')).toBe(false);
		expect(await verifyPassword(`scrypt$1000$${r}$${p}$${salt}$${key}`, 'correct horse battery')).toBe(false);
		expect(await verifyPassword('not-a-hash', 'correct horse battery')).toBe(false);
		expect(await verifyPassword(`bcrypt$32768$${r}$${p}$${salt}$${key}`, 'correct horse battery')).toBe(false);
		expect(needsRehash(`scrypt$16384$8$1$${salt}$${key}`)).toBe(true);
	});

	it('asks for 12 to 256 characters', () => {
		expect(passwordProblem('elevenchars')).toMatch(/at least 12/);
		// Customers: NIST's minimum of 8, as Medusa storefronts register with.
		expect(passwordProblem('sevench', CUSTOMER_PASSWORD_MIN_LENGTH)).toMatch(/at least 8/);
		expect(passwordProblem('password', CUSTOMER_PASSWORD_MIN_LENGTH)).toBeNull();
		expect(passwordProblem('twelve chars')).toBeNull();
		expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
		// Characters, not bytes: 12 emoji are enough.
		expect(passwordProblem('🙂'.repeat(12))).toBeNull();
	});
});

describe('backoff limiter', () => {
	afterEach(() => vi.useRealTimers());

	it('locks after the free attempts with a doubling delay, forgets on reset and after quiet time', async () => {
		vi.useFakeTimers({ now: 0 });
		const limiter = createBackoffLimiter({
			name: 'unit-backoff',
			lockAfter: 3,
			baseMs: 1000,
			maxMs: 5000,
			forgetAfterMs: 60_000,
		});
		await limiter.record('k');
		await limiter.record('k');
		expect(await limiter.check('k')).toEqual({ allowed: true });
		await limiter.record('k');
		expect(await limiter.check('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
		vi.advanceTimersByTime(1000);
		expect((await limiter.check('k')).allowed).toBe(true);
		await limiter.record('k');
		expect(await limiter.check('k')).toEqual({ allowed: false, retryAfterSeconds: 2 });
		vi.advanceTimersByTime(2000);
		await limiter.record('k');
		expect(await limiter.check('k')).toEqual({ allowed: false, retryAfterSeconds: 4 });
		vi.advanceTimersByTime(4000);
		await limiter.record('k');
		expect(await limiter.check('k')).toEqual({ allowed: false, retryAfterSeconds: 5 }); // capped
		expect((await limiter.check('other')).allowed).toBe(true);
		await limiter.reset('k');
		expect((await limiter.check('k')).allowed).toBe(true);
		await limiter.record('k');
		vi.advanceTimersByTime(61_000);
		await limiter.record('k');
		await limiter.record('k');
		expect((await limiter.check('k')).allowed).toBe(true); // the first failure was forgotten
	});
});

import { rateLimited } from '../core/errors.ts';
import { createBackoffLimiter, createRateLimiter, type LimitCheck } from '../services/rate-limit.ts';

// Abuse limits of the account endpoints. Password failures lock a (account, client address) pair, not the account:
// five wrong passwords from an attacker's address must not lock the owner out everywhere (the probe renewed such a lock
// forever with a few requests an hour). Per account there is a global slow-down instead, and per client address a
// lock across accounts (password spraying). The account key is the email as typed, lower-cased, so an unknown address
// is limited exactly like a registered one. The client address is what the server reports (only a trusted proxy may
// set X-Forwarded-For). Built on services/rate-limit.ts (memory by default, a shared store when configured).

const MINUTE = 60_000;

/** Wrong passwords for one account from one client address: 5, then 30 s, 60 s, … up to 15 min. */
const passwordByAccountAndAddress = createBackoffLimiter({
	name: 'password-account-address',
	lockAfter: 5,
	baseMs: 30_000,
	maxMs: 15 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
/** Wrong passwords per client address, across accounts: 20, then the same backoff. */
const passwordByAddress = createBackoffLimiter({
	name: 'password-address',
	lockAfter: 20,
	baseMs: 30_000,
	maxMs: 15 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
/**
 * Wrong passwords for one account from anywhere (counted, never locking): past `SLOW_DOWN_AFTER` in an hour, every
 * attempt on that account waits before it is checked, 250 ms more per failure up to 3 s. The owner still gets in;
 * a distributed guesser (5 tries per address before its pair locks) is slowed on every try.
 */
const passwordByAccount = createBackoffLimiter({
	name: 'password-account',
	lockAfter: Number.MAX_SAFE_INTEGER,
	baseMs: 0,
	maxMs: 60 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
export const SLOW_DOWN_AFTER = 10;
const slowDownMs = (failures: number) => Math.min(3000, Math.max(0, failures - SLOW_DOWN_AFTER) * 250);

/** Reset emails asked for one address: 5, then 1 min, 2 min, … up to 1 h (every request counts, found or not). */
const resetMailByAccount = createBackoffLimiter({
	name: 'reset-mail-account',
	lockAfter: 5,
	baseMs: MINUTE,
	maxMs: 60 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
/** Reset emails asked for from one client address: 20, then the same backoff. */
const resetMailByAddress = createBackoffLimiter({
	name: 'reset-mail-address',
	lockAfter: 20,
	baseMs: MINUTE,
	maxMs: 60 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
/** Invalid reset tokens per client address: 10, then 30 s, 60 s, … up to 15 min. */
const resetTokenByAddress = createBackoffLimiter({
	name: 'reset-token-address',
	lockAfter: 10,
	baseMs: 30_000,
	maxMs: 15 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
/** Registrations per client address (each costs a password hash): 30 per 10 minutes. */
const registrations = createRateLimiter({ name: 'registrations', limit: 30, windowMs: 10 * MINUTE });

const addressKey = (clientAddress: string | undefined) => clientAddress ?? 'unknown';
const accountKey = (email: string) => email.trim().toLowerCase();
const pairKey = (clientAddress: string | undefined, email: string) =>
	`${accountKey(email)}|${addressKey(clientAddress)}`;

function enforce(checks: LimitCheck[], what: string): void {
	const waits = checks.flatMap((c) => (c.allowed ? [] : [c.retryAfterSeconds]));
	if (waits.length) {
		const seconds = Math.max(...waits);
		throw rateLimited(`Too many ${what}. Try again in ${seconds} seconds.`, seconds);
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Password attempts for one account from one client: refuse while the pair or the address is locked. */
export const passwordAttempts = {
	async assertAllowed(clientAddress: string | undefined, email: string): Promise<void> {
		enforce(
			await Promise.all([
				passwordByAccountAndAddress.check(pairKey(clientAddress, email)),
				passwordByAddress.check(addressKey(clientAddress)),
			]),
			'sign-in attempts',
		);
		const delay = slowDownMs(await passwordByAccount.count(accountKey(email)));
		if (delay) await sleep(delay);
	},
	async failed(clientAddress: string | undefined, email: string): Promise<void> {
		await Promise.all([
			passwordByAccountAndAddress.record(pairKey(clientAddress, email)),
			passwordByAddress.record(addressKey(clientAddress)),
			passwordByAccount.record(accountKey(email)),
		]);
	},
	/** A correct password (or a completed reset) proves the earlier failures from this client were the owner's typos. */
	async succeeded(clientAddress: string | undefined, email: string): Promise<void> {
		await passwordByAccountAndAddress.reset(pairKey(clientAddress, email));
	},
};

/** Password-reset emails: counted per request, not per failure, so one inbox cannot be flooded. */
export const resetMailRequests = {
	async take(clientAddress: string | undefined, email: string): Promise<void> {
		enforce(
			await Promise.all([
				resetMailByAccount.check(accountKey(email)),
				resetMailByAddress.check(addressKey(clientAddress)),
			]),
			'password reset requests',
		);
		await Promise.all([
			resetMailByAccount.record(accountKey(email)),
			resetMailByAddress.record(addressKey(clientAddress)),
		]);
	},
};

/** Reset-token submissions: invalid tokens are counted per client address. */
export const resetTokenAttempts = {
	async assertAllowed(clientAddress: string | undefined): Promise<void> {
		enforce([await resetTokenByAddress.check(addressKey(clientAddress))], 'password reset attempts');
	},
	async failed(clientAddress: string | undefined): Promise<void> {
		await resetTokenByAddress.record(addressKey(clientAddress));
	},
};

/** Registrations per client address. */
export async function takeRegistration(clientAddress: string | undefined): Promise<void> {
	const result = await registrations.hit(addressKey(clientAddress));
	if (!result.allowed)
		throw rateLimited(
			`Too many new accounts from this address. Try again in ${result.retryAfterSeconds} seconds.`,
			result.retryAfterSeconds,
		);
}

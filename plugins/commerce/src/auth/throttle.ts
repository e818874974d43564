import { rateLimited } from '../core/errors.ts';
import { createBackoffLimiter, createRateLimiter, type LimitCheck } from '../services/rate-limit.ts';

// Abuse limits of the account endpoints, per client address and per account (the email as typed, lower-cased, so an
// unknown address is limited exactly like a registered one and the limit tells nothing). In memory, per process.
// The client address is what the server reports (Astro honours X-Forwarded-For), so the per-account limits are the
// ones a spoofed address cannot escape.

const MINUTE = 60_000;

/** Wrong passwords (login, token, current-password checks): 5 per account, then 30 s, 60 s, … up to 15 min. */
const passwordByAccount = createBackoffLimiter({
	lockAfter: 5,
	baseMs: 30_000,
	maxMs: 15 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
/** Wrong passwords per client address: 20, then the same backoff. */
const passwordByAddress = createBackoffLimiter({
	lockAfter: 20,
	baseMs: 30_000,
	maxMs: 15 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
/** Reset emails asked for one address: 5, then 1 min, 2 min, … up to 1 h (every request counts, found or not). */
const resetMailByAccount = createBackoffLimiter({
	lockAfter: 5,
	baseMs: MINUTE,
	maxMs: 60 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
/** Reset emails asked for from one client address: 20, then the same backoff. */
const resetMailByAddress = createBackoffLimiter({
	lockAfter: 20,
	baseMs: MINUTE,
	maxMs: 60 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
/** Invalid reset tokens per client address: 10, then 30 s, 60 s, … up to 15 min. */
const resetTokenByAddress = createBackoffLimiter({
	lockAfter: 10,
	baseMs: 30_000,
	maxMs: 15 * MINUTE,
	forgetAfterMs: 60 * MINUTE,
});
/** Registrations per client address (each costs a password hash): 30 per 10 minutes. */
const registrations = createRateLimiter({ limit: 30, windowMs: 10 * MINUTE });

const addressKey = (clientAddress: string | undefined) => clientAddress ?? 'unknown';
const accountKey = (email: string) => email.trim().toLowerCase();

function enforce(checks: LimitCheck[], what: string): void {
	const waits = checks.flatMap((c) => (c.allowed ? [] : [c.retryAfterSeconds]));
	if (waits.length) {
		const seconds = Math.max(...waits);
		throw rateLimited(`Too many ${what}. Try again in ${seconds} seconds.`, seconds);
	}
}

/** Password attempts for one account from one client: refuse while either is locked; count failures; forget on success. */
export const passwordAttempts = {
	assertAllowed(clientAddress: string | undefined, email: string): void {
		enforce(
			[passwordByAccount.check(accountKey(email)), passwordByAddress.check(addressKey(clientAddress))],
			'sign-in attempts',
		);
	},
	failed(clientAddress: string | undefined, email: string): void {
		passwordByAccount.record(accountKey(email));
		passwordByAddress.record(addressKey(clientAddress));
	},
	/** A correct password (or a completed reset) proves the earlier failures were the owner's typos. */
	succeeded(email: string): void {
		passwordByAccount.reset(accountKey(email));
	},
};

/** Password-reset emails: counted per request, not per failure, so one inbox cannot be flooded. */
export const resetMailRequests = {
	take(clientAddress: string | undefined, email: string): void {
		enforce(
			[resetMailByAccount.check(accountKey(email)), resetMailByAddress.check(addressKey(clientAddress))],
			'password reset requests',
		);
		resetMailByAccount.record(accountKey(email));
		resetMailByAddress.record(addressKey(clientAddress));
	},
};

/** Reset-token submissions: invalid tokens are counted per client address. */
export const resetTokenAttempts = {
	assertAllowed(clientAddress: string | undefined): void {
		enforce([resetTokenByAddress.check(addressKey(clientAddress))], 'password reset attempts');
	},
	failed(clientAddress: string | undefined): void {
		resetTokenByAddress.record(addressKey(clientAddress));
	},
};

/** Registrations per client address. */
export function takeRegistration(clientAddress: string | undefined): void {
	const result = registrations.hit(addressKey(clientAddress));
	if (!result.allowed)
		throw rateLimited(
			`Too many new accounts from this address. Try again in ${result.retryAfterSeconds} seconds.`,
			result.retryAfterSeconds,
		);
}

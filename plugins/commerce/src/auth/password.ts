import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** Shortest accepted staff password, in characters (Unicode code points after NFKC normalization). */
export const PASSWORD_MIN_LENGTH = 12;
/**
 * Shortest accepted customer password: NIST SP 800-63B's minimum of 8. Existing Medusa storefronts (the v1 starter's
 * own tests register with 8 characters) must keep working; hashing is slow (scrypt) and sign-ins are rate-limited.
 * Our own register form still suggests 12.
 */
export const CUSTOMER_PASSWORD_MIN_LENGTH = 8;
/** Longest accepted password; bounds the work one login can cause. */
export const PASSWORD_MAX_LENGTH = 256;

// scrypt with a real work factor (OWASP: N=2^15, r=8, p=1 ≈ 32 MiB and tens of milliseconds per hash). The
// parameters are stored with every hash, so raising them later only affects new hashes (see needsRehash).
const CURRENT = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

interface ParsedHash {
	N: number;
	r: number;
	p: number;
	salt: Buffer;
	key: Buffer;
}

function derive(
	password: string,
	salt: Buffer,
	params: { N: number; r: number; p: number },
	keyLength: number,
): Promise<Buffer> {
	// scrypt needs about 128·N·r·p bytes; Node's default ceiling (32 MiB) is exactly what N=2^15, r=8 uses, so leave room.
	const options: ScryptOptions = {
		N: params.N,
		r: params.r,
		p: params.p,
		maxmem: 256 * params.N * params.r * params.p,
	};
	return new Promise((resolve, reject) => {
		scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
			error ? reject(error) : resolve(key),
		);
	});
}

/** Hashes a password as `scrypt$32768$8$1$<salt base64>$<hash base64>` (fresh 16-byte salt, 32-byte key). */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(SALT_BYTES);
	const key = await derive(password, salt, CURRENT, KEY_BYTES);
	return ['scrypt', CURRENT.N, CURRENT.r, CURRENT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * True when `password` matches `stored`. The comparison is constant-time; a malformed hash or parameters outside sane
 * bounds (a tampered row must not make the server allocate gigabytes) count as a mismatch.
 */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
	const parsed = parseHash(stored);
	if (!parsed) return false;
	const key = await derive(password, parsed.salt, parsed, parsed.key.length);
	return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True when a stored hash uses weaker parameters than new hashes do (re-hash it after a successful login). */
export function needsRehash(stored: string): boolean {
	const parsed = parseHash(stored);
	return (
		!parsed || parsed.N < CURRENT.N || parsed.r < CURRENT.r || parsed.p < CURRENT.p || parsed.key.length < KEY_BYTES
	);
}

function parseHash(stored: string): ParsedHash | null {
	const parts = stored.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
	const [N, r, p] = parts.slice(1, 4).map((n) => (/^\d{1,8}$/.test(n) ? Number(n) : NaN));
	if (!(N >= 2 ** 14 && N <= 2 ** 20 && (N & (N - 1)) === 0) || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16))
		return null;
	const salt = Buffer.from(parts[4], 'base64');
	const key = Buffer.from(parts[5], 'base64');
	if (salt.length < 8 || key.length < 16 || key.length > 64) return null;
	return { N, r, p, salt, key };
}

/** What is wrong with a new password, or null when it is acceptable. */
export function passwordProblem(password: string, minLength = PASSWORD_MIN_LENGTH): string | null {
	const length = [...password.normalize('NFKC')].length;
	if (length < minLength) return `password must be at least ${minLength} characters`;
	if (length > PASSWORD_MAX_LENGTH) return `password must be at most ${PASSWORD_MAX_LENGTH} characters`;
	return null;
}

let timingHash: Promise<string> | undefined;

/**
 * Spends the same work as a real verification when there is no account to check against, so the response time of a
 * login does not tell whether the email is registered.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
	timingHash ??= hashPassword(randomBytes(18).toString('base64'));
	await verifyPassword(await timingHash, password);
	return false;
}

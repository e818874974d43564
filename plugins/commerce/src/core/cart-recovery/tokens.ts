import { createHmac, timingSafeEqual } from 'node:crypto';

// Links in abandoned-cart emails. Each is `<payload>.<signature>`: the payload (base64url JSON) says what the link
// is for, the HMAC-SHA256 signature (with the store's secret) that the store wrote it. Nothing is stored per link, so
// the email can be rendered again on a retry and the link still works on any device.

export type RecoveryLink =
	/** Reopens a cart until `exp` (seconds since the epoch). */
	| { kind: 'restore'; cartId: string; exp: number }
	/** Stops reminder emails to an address; never expires (an unsubscribe link must keep working). */
	| { kind: 'unsubscribe'; email: string };

const sign = (payload: string, secret: string) =>
	createHmac('sha256', `cart-recovery:${secret}`).update(payload).digest('base64url');

/** A signed link token for `link`. */
export function signRecoveryToken(link: RecoveryLink, secret: string): string {
	const payload = Buffer.from(JSON.stringify(link)).toString('base64url');
	return `${payload}.${sign(payload, secret)}`;
}

export type VerifiedToken<K extends RecoveryLink['kind']> =
	| { ok: true; link: Extract<RecoveryLink, { kind: K }> }
	| { ok: false; reason: 'invalid' | 'expired' };

/** Checks the signature, the kind and (restore links) the expiry as of `now`. */
export function verifyRecoveryToken<K extends RecoveryLink['kind']>(
	token: string,
	kind: K,
	secret: string,
	now = new Date(),
): VerifiedToken<K> {
	const [payload, signature, extra] = token.split('.');
	if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'invalid' };
	const expected = Buffer.from(sign(payload, secret));
	const given = Buffer.from(signature);
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
	let link: RecoveryLink;
	try {
		link = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as RecoveryLink;
	} catch {
		return { ok: false, reason: 'invalid' };
	}
	if (link?.kind !== kind) return { ok: false, reason: 'invalid' };
	if (link.kind === 'restore' && !(link.exp * 1000 > now.getTime())) return { ok: false, reason: 'expired' };
	return { ok: true, link: link as Extract<RecoveryLink, { kind: K }> };
}

/**
 * The window of carts a recovery pass looks at: untouched for at least `afterMs` (the shopper left) and for at most
 * `afterMs + lookbackMs` (a cart abandoned weeks ago, or before the feature was turned on, is not worth an email).
 */
export function abandonedWindow(now: Date, afterMs: number, lookbackMs: number): { from: string; to: string } {
	return {
		from: new Date(now.getTime() - afterMs - lookbackMs).toISOString(),
		to: new Date(now.getTime() - afterMs).toISOString(),
	};
}

/** Share of emailed carts that became orders, as a fraction (0 when none was emailed). */
export const recoveryRate = (sent: number, recovered: number): number => (sent > 0 ? recovered / sent : 0);

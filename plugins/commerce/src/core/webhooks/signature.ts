import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is `<webhook-id>.<webhook-timestamp>.<body>`,
// HMAC-SHA256 with the secret's bytes (base64 after `whsec_`), sent as `v1,<base64 signature>`; several signatures are
// separated by spaces (a rotation signs with both secrets). Written on node:crypto rather than the `standardwebhooks`
// package, whose pure-JS SHA-256 is slower and which adds two dependencies; the tests verify our headers with that package.

const PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
	return PREFIX + randomBytes(32).toString('base64');
}

function secretBytes(secret: string): Buffer {
	return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

/** `v1,<signature>` of one message with one secret. */
export function signWebhook(secret: string, messageId: string, timestampSeconds: number, body: string): string {
	const mac = createHmac('sha256', secretBytes(secret))
		.update(`${messageId}.${timestampSeconds}.${body}`)
		.digest('base64');
	return `v1,${mac}`;
}

/** The three headers of a delivery; every secret given signs (the current one first). */
export function webhookHeaders(
	secrets: string[],
	messageId: string,
	timestampSeconds: number,
	body: string,
): Record<string, string> {
	return {
		'webhook-id': messageId,
		'webhook-timestamp': String(timestampSeconds),
		'webhook-signature': secrets.map((s) => signWebhook(s, messageId, timestampSeconds, body)).join(' '),
	};
}

/**
 * Checks a `webhook-signature` header against one secret (for receivers written with this package and for tests);
 * rejects timestamps more than `toleranceSeconds` away from now.
 */
export function verifyWebhook(
	secret: string,
	headers: { id: string; timestamp: string; signature: string },
	body: string,
	nowSeconds = Math.floor(Date.now() / 1000),
	toleranceSeconds = 300,
): boolean {
	const ts = Number(headers.timestamp);
	if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
	const expected = Buffer.from(signWebhook(secret, headers.id, ts, body));
	return headers.signature.split(' ').some((candidate) => {
		const given = Buffer.from(candidate);
		return given.length === expected.length && timingSafeEqual(given, expected);
	});
}

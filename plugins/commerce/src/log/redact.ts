import { passesLuhn } from '../payments/test-provider.ts';

// What never reaches a log line: card numbers, passwords and other secrets, full email addresses. The first line of
// defence is design (request bodies, query strings, cookies and authorization headers are never logged); these
// functions are the second: key-based redaction for structured fields and a scrub of every finished line.

/** Field names whose values are replaced by `[redacted]` wherever they appear in a logged object (pino redact paths). */
const SECRET_KEYS = [
	'password',
	'new_password',
	'old_password',
	'token',
	'access_token',
	'secret',
	'authorization',
	'cookie',
	'card_number',
	'cvc',
	'cvv',
	'email',
];

/** pino `redact.paths`: each secret key at the top level and up to three levels deep (`req.headers.cookie`). */
export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

// 13–19 digits, optionally grouped by single spaces or dashes: every card number format in use. Not right after `:`,
// `,` or `[`: in a finished JSON line that is a number value (a size, a timestamp), and text there would break the JSON.
const CARD_CANDIDATE = /(?<![\w.:,[])\d(?:[ -]?\d){12,18}(?![\w.])/g;
// An address (`@` also when percent-encoded in a path).
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@|%40)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

/** Addresses logged on purpose: the demo admin the demo seeds itself (a fixed, documented address, not a person). */
const PUBLIC_ADDRESSES = new Set(['admin@frostbuy.local']);

/** `sam.bobcat@example.com` → `s***@example.com`: enough to tell customers apart in a log, not enough to mail them. */
export function maskEmail(address: string): string {
	return address.replace(EMAIL, (whole, first: string, at: string, domain: string) =>
		PUBLIC_ADDRESSES.has(whole.toLowerCase()) ? whole : `${first}***${at}${domain}`,
	);
}

/** Replaces card numbers (Luhn-valid digit runs) and masks email addresses anywhere in a text. */
export function scrubText(text: string): string {
	const cards = text.replace(CARD_CANDIDATE, (run) => {
		const digits = run.replace(/[ -]/g, '');
		return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits) ? '[card number]' : run;
	});
	return maskEmail(cards);
}

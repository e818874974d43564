import { createHash, randomBytes } from 'node:crypto';

/** A secret for a link or a session: 32 random bytes, base64url (43 characters). */
export function newSecretToken(): string {
	return randomBytes(32).toString('base64url');
}

/**
 * What the database stores instead of a secret token (sessions, reset and claim tokens): its SHA-256 in hex. A token
 * has 256 bits of entropy, so an unsalted fast hash is enough; a leaked table hands out nothing usable.
 */
export function hashToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

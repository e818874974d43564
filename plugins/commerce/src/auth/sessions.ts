import type { Kysely } from 'kysely';
import { Cookie, Lucia, TimeSpan } from 'lucia';
import type { Customer } from '../db/repositories/customer-repository.ts';
import type { AuthSessionKind, Database } from '../db/types.ts';
import { SessionAdapter } from './session-adapter.ts';
import { hashToken, newSecretToken } from './tokens.ts';

// The only module (with the adapter) that knows Lucia. Lucia v3 is no longer developed; everything else calls the
// functions below, so replacing it with its own session recipe touches this folder only.

/** Name of the session cookie (HttpOnly, SameSite=Lax, Path=/, Secure on https). */
export const SESSION_COOKIE = 'commerce_session';
/** Cookie sessions live this long and slide: used in the second half of their life, they are extended. */
export const COOKIE_SESSION_DAYS = 14;
/** Bearer tokens (`POST /auth/token`) live this long from issue, without sliding. */
export const BEARER_TOKEN_HOURS = 24;

type SessionAttributes = { kind: AuthSessionKind };
type UserAttributes = { customer: Customer };
type CommerceLucia = Lucia<SessionAttributes, UserAttributes>;

declare module 'lucia' {
	interface Register {
		Lucia: CommerceLucia;
		DatabaseSessionAttributes: SessionAttributes;
		DatabaseUserAttributes: UserAttributes;
	}
}

/** A validated session: who, which kind, until when. `id` is the stored id (the token's hash), never the token. */
export interface ValidSession {
	customer: Customer;
	session: { id: string; kind: AuthSessionKind; expiresAt: Date };
	/** True when the expiry was just extended: the cookie must be sent again. */
	extended: boolean;
}

interface Managers {
	cookie: CommerceLucia;
	bearer: CommerceLucia;
}

const byDatabase = new WeakMap<Kysely<Database>, Managers>();

function managers(db: Kysely<Database>): Managers {
	let found = byDatabase.get(db);
	if (!found) {
		const adapter = new SessionAdapter(db);
		const common = {
			getSessionAttributes: (attributes: SessionAttributes) => attributes,
			getUserAttributes: (attributes: UserAttributes) => attributes,
		};
		found = {
			// Secure is decided per request (https or not), so the base attributes leave it off; see sessionCookie.
			cookie: new Lucia(adapter, {
				...common,
				sessionExpiresIn: new TimeSpan(COOKIE_SESSION_DAYS, 'd'),
				sessionCookie: { name: SESSION_COOKIE, attributes: { sameSite: 'lax', path: '/', secure: false } },
			}),
			bearer: new Lucia(adapter, { ...common, sessionExpiresIn: new TimeSpan(BEARER_TOKEN_HOURS, 'h') }),
		};
		byDatabase.set(db, found);
	}
	return found;
}

/**
 * Starts a session for a registered customer and returns the token for the client (cookie value or bearer token).
 * The database keeps only the token's SHA-256 as the session id.
 */
export async function createSession(
	db: Kysely<Database>,
	customerId: string,
	kind: AuthSessionKind,
): Promise<{ token: string; expiresAt: Date }> {
	const token = newSecretToken();
	// Housekeeping on the rare write path rather than on every read: expired rows are useless.
	await managers(db)[kind].deleteExpiredSessions();
	const session = await managers(db)[kind].createSession(customerId, { kind }, { sessionId: hashToken(token) });
	return { token, expiresAt: session.expiresAt };
}

/** The session a token names, if it exists, has not expired, is of `kind` and belongs to a registered customer. */
export async function validateSession(
	db: Kysely<Database>,
	token: string,
	kind: AuthSessionKind,
): Promise<ValidSession | null> {
	if (!/^[A-Za-z0-9_-]{20,128}$/.test(token)) return null;
	const { session, user } = await managers(db)[kind].validateSession(hashToken(token));
	if (!session || !user || session.kind !== kind) return null;
	return {
		customer: user.customer,
		session: { id: session.id, kind: session.kind, expiresAt: session.expiresAt },
		extended: session.fresh,
	};
}

/** Ends one session by its token (logout). Unknown tokens are ignored. */
export async function invalidateToken(db: Kysely<Database>, token: string): Promise<void> {
	await managers(db).cookie.invalidateSession(hashToken(token));
}

/**
 * Ends every session of a customer (password reset), or every one but `keepSessionId` (email or password change from
 * a session that stays signed in).
 */
export async function invalidateCustomerSessions(
	db: Kysely<Database>,
	customerId: string,
	keepSessionId?: string,
): Promise<void> {
	const lucia = managers(db).cookie;
	if (!keepSessionId) return lucia.invalidateUserSessions(customerId);
	// getUserSessions skips expired rows; those are deleted with the rest of the expired ones below.
	for (const session of await lucia.getUserSessions(customerId)) {
		if (session.id !== keepSessionId) await lucia.invalidateSession(session.id);
	}
	await lucia.deleteExpiredSessions();
}

/**
 * The session token in a Cookie header, if any. Parsed here rather than by Lucia, whose parser throws on a malformed
 * %-escape in any cookie of the header; tokens are base64url and need no decoding.
 */
export function readSessionCookie(cookieHeader: string | null): string | null {
	for (const part of (cookieHeader ?? '').split(';')) {
		const index = part.indexOf('=');
		if (index > 0 && part.slice(0, index).trim() === SESSION_COOKIE) return part.slice(index + 1).trim() || null;
	}
	return null;
}

/** `Set-Cookie` value carrying a session token; `secure` when the request came over https. */
export function sessionCookie(db: Kysely<Database>, token: string, secure: boolean): string {
	const cookie = managers(db).cookie.createSessionCookie(token);
	return new Cookie(cookie.name, cookie.value, { ...cookie.attributes, secure }).serialize();
}

/** `Set-Cookie` value that removes the session cookie. */
export function blankSessionCookie(db: Kysely<Database>, secure: boolean): string {
	const cookie = managers(db).cookie.createBlankSessionCookie();
	return new Cookie(cookie.name, cookie.value, { ...cookie.attributes, secure }).serialize();
}

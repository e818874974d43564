import type { Kysely } from 'kysely';
import { unauthorized } from '../core/errors.ts';
import type { Customer } from '../db/repositories/customer-repository.ts';
import type { AuthSessionKind, Database } from '../db/types.ts';
import type { CommerceRuntime } from '../runtime/commerce-runtime.ts';
import {
	blankSessionCookie,
	createSession,
	invalidateCustomerSessions,
	invalidateToken,
	readSessionCookie,
	sessionCookie,
	validateSession,
} from './sessions.ts';
import { hashToken } from './tokens.ts';

/** Who is calling: a registered customer and the session they came with. */
export interface CustomerAuth {
	customer: Customer;
	session: { id: string; kind: AuthSessionKind; expiresAt: Date };
}

/** What authentication needs of a request (a route's context has it; admin pages build one). */
export interface AuthContext {
	request: Request;
	url: URL;
	runtime: Pick<CommerceRuntime, 'db'>;
	/** Adds a `Set-Cookie` to the response (sliding sessions, cleared cookies). */
	setCookie: (cookie: string) => void;
}

// One resolution per request, however many guards ask (cart guard, route, order check).
const resolved = new WeakMap<Request, Promise<CustomerAuth | null>>();

const secure = (ctx: AuthContext) => ctx.url.protocol === 'https:';
const bearerToken = (request: Request) => /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];

/**
 * The caller, if any: the session cookie first, then `Authorization: Bearer`. A cookie session used in the second
 * half of its life is extended and its cookie re-sent; a cookie naming no valid session is cleared.
 */
export function resolveAuth(ctx: AuthContext): Promise<CustomerAuth | null> {
	let pending = resolved.get(ctx.request);
	if (!pending) {
		pending = lookup(ctx);
		resolved.set(ctx.request, pending);
	}
	return pending;
}

async function lookup(ctx: AuthContext): Promise<CustomerAuth | null> {
	const db = ctx.runtime.db;
	const cookieToken = readSessionCookie(ctx.request.headers.get('cookie'));
	if (cookieToken) {
		const valid = await validateSession(db, cookieToken, 'cookie');
		if (valid) {
			if (valid.extended) ctx.setCookie(sessionCookie(db, cookieToken, secure(ctx)));
			return { customer: valid.customer, session: valid.session };
		}
		ctx.setCookie(blankSessionCookie(db, secure(ctx)));
	}
	const token = bearerToken(ctx.request);
	if (token) {
		const valid = await validateSession(db, token, 'bearer');
		if (valid) return { customer: valid.customer, session: valid.session };
	}
	return null;
}

/** True when the request's `Authorization: Bearer` names a live bearer session (not merely has the header). */
export async function hasValidBearer(db: Kysely<Database>, request: Request): Promise<boolean> {
	const token = bearerToken(request);
	return Boolean(token && (await validateSession(db, token, 'bearer')));
}

/** The logged-in customer, or null for an anonymous caller. */
export const optionalCustomer = (ctx: AuthContext): Promise<CustomerAuth | null> => resolveAuth(ctx);

/** The logged-in customer; anonymous callers get 401 `{ type: 'unauthorized', message }`. */
export async function requireCustomer(ctx: AuthContext): Promise<CustomerAuth> {
	const auth = await resolveAuth(ctx);
	if (!auth) throw unauthorized('You are not logged in, or your session has expired. Log in and try again.');
	return auth;
}

/**
 * Starts a new cookie session (login, registration) and ends the one the request came with, whoever it belonged to:
 * the session id always changes when the identity does (no session fixation).
 */
export async function signIn(ctx: AuthContext, customer: Customer): Promise<CustomerAuth> {
	const db = ctx.runtime.db;
	const presented = readSessionCookie(ctx.request.headers.get('cookie'));
	if (presented) await invalidateToken(db, presented);
	const { token, expiresAt } = await createSession(db, customer.id, 'cookie');
	ctx.setCookie(sessionCookie(db, token, secure(ctx)));
	const auth: CustomerAuth = { customer, session: { id: hashToken(token), kind: 'cookie', expiresAt } };
	resolved.set(ctx.request, Promise.resolve(auth));
	return auth;
}

/** A bearer token for `Authorization: Bearer` (24 h, revoked by logout with it and by any credential change). */
export async function issueBearerToken(db: Kysely<Database>, customerId: string): Promise<string> {
	return (await createSession(db, customerId, 'bearer')).token;
}

/** Logout: ends the cookie session and the bearer session the request carries, and clears the cookie. */
export async function signOut(ctx: AuthContext): Promise<void> {
	const db = ctx.runtime.db;
	const cookieToken = readSessionCookie(ctx.request.headers.get('cookie'));
	if (cookieToken) await invalidateToken(db, cookieToken);
	const token = bearerToken(ctx.request);
	if (token) await invalidateToken(db, token);
	ctx.setCookie(blankSessionCookie(db, secure(ctx)));
	resolved.set(ctx.request, Promise.resolve(null));
}

/**
 * Ends every session of a customer (password reset), or every one but `keepSessionId` (an email or password change
 * made with a bearer token keeps that token; a cookie caller is signed in again with `signIn` afterwards). Accepts a
 * transaction, so the credential change and the revocation commit together.
 */
export async function endAllSessions(db: Kysely<Database>, customerId: string, keepSessionId?: string): Promise<void> {
	await invalidateCustomerSessions(db, customerId, keepSessionId);
}

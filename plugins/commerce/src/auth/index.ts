/**
 * Customer authentication: sessions (Lucia v3 behind this folder, with our Kysely adapter), password hashing, CSRF
 * and abuse limits. Nothing outside `auth/` imports `lucia`; routes use the functions exported here.
 */

export { isCrossOriginCookieRequest } from './csrf.ts';
export {
	CUSTOMER_PASSWORD_MIN_LENGTH,
	hashPassword,
	needsRehash,
	PASSWORD_MAX_LENGTH,
	PASSWORD_MIN_LENGTH,
	passwordProblem,
	verifyAgainstNothing,
	verifyPassword,
} from './password.ts';
export type { AuthContext, CustomerAuth } from './request-auth.ts';
export {
	endAllSessions,
	issueBearerToken,
	optionalCustomer,
	requireCustomer,
	resolveAuth,
	signIn,
	signOut,
} from './request-auth.ts';
export { BEARER_TOKEN_HOURS, COOKIE_SESSION_DAYS, SESSION_COOKIE } from './sessions.ts';
export { passwordAttempts, resetMailRequests, resetTokenAttempts, takeRegistration } from './throttle.ts';
export { hashToken, newSecretToken } from './tokens.ts';

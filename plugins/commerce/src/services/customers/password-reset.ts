import {
	CUSTOMER_PASSWORD_MIN_LENGTH,
	endAllSessions,
	hashPassword,
	hashToken,
	newSecretToken,
	passwordProblem,
} from '../../auth/index.ts';
import { invalid } from '../../core/errors.ts';
import {
	type Customer,
	consumeResetToken,
	deleteUnusedResetTokens,
	findCustomerByEmail,
	findCustomerById,
	findResetToken,
	insertResetToken,
	updateCustomer,
} from '../../db/repositories/customer-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { resetLink, sendPasswordResetLink, sendSecurityNotice } from './account-emails.ts';
import type { AccountDeps } from './account-service.ts';

/** How long an emailed reset link works. */
export const RESET_TOKEN_MINUTES = 30;

/**
 * Emails a reset link when `email` belongs to an account; does nothing otherwise, and the caller answers 204 either
 * way. The token (32 random bytes) is stored only as its SHA-256, works once, expires after 30 minutes, and replaces any
 * earlier unused link of the account.
 */
export async function requestPasswordReset(deps: AccountDeps, email: string, origin: string): Promise<void> {
	const customer = await findCustomerByEmail(deps.db, email);
	if (!customer?.hasAccount) return;
	const token = newSecretToken();
	const now = deps.now?.() ?? new Date();
	await writeTransaction(deps.db, async (trx) => {
		await deleteUnusedResetTokens(trx, customer.id);
		await insertResetToken(trx, {
			tokenHash: hashToken(token),
			customerId: customer.id,
			expiresAt: new Date(now.getTime() + RESET_TOKEN_MINUTES * 60_000).toISOString(),
			createdAt: now.toISOString(),
		});
	});
	sendPasswordResetLink(deps, {
		to: customer.email,
		firstName: customer.firstName,
		link: resetLink(origin, deps.options.paths, token, customer.email),
		expiresInMinutes: RESET_TOKEN_MINUTES,
	});
}

/**
 * Sets a new password with an emailed token. Returns null — one answer for every cause — when the token is unknown,
 * used, expired or was issued for another email. On success the token is spent, every session of the customer ends
 * (in the same transaction) and the account is told by email. Does not sign in (Medusa semantics).
 */
export async function resetPassword(
	deps: AccountDeps,
	input: { email: string; token: string; password: string },
	origin: string,
): Promise<Customer | null> {
	const problem = passwordProblem(input.password, CUSTOMER_PASSWORD_MIN_LENGTH);
	if (problem) throw invalid(problem, 'weak_password');
	const tokenHash = hashToken(input.token);
	const found = await findResetToken(deps.db, tokenHash);
	const now = deps.now?.() ?? new Date();
	const at = now.toISOString();
	if (!found || found.usedAt || found.expiresAt <= at) return null;
	const customer = await findCustomerById(deps.db, found.customerId);
	if (!customer?.hasAccount || customer.email !== input.email.trim().toLowerCase()) return null;
	const passwordHash = await hashPassword(input.password);
	const done = await writeTransaction(deps.db, async (trx) => {
		// Conditional: of two concurrent submissions of one token, exactly one wins.
		if (!(await consumeResetToken(trx, tokenHash, at))) return false;
		await updateCustomer(trx, customer.id, { passwordHash }, at);
		await deleteUnusedResetTokens(trx, customer.id);
		await endAllSessions(trx, customer.id);
		return true;
	});
	if (!done) return null;
	sendSecurityNotice(deps, { to: customer.email, firstName: customer.firstName, change: 'password', origin });
	return { ...customer, updatedAt: at };
}

import { hashToken, newSecretToken } from '../../auth/index.ts';
import { invalid, rateLimited, unavailable } from '../../core/errors.ts';
import {
	attachGuestOrders,
	consumeClaimToken,
	deleteStaleClaimTokens,
	insertClaimToken,
} from '../../db/repositories/order-claim-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { orderClaimEmail } from '../../email/index.ts';
import { logger } from '../../log/logger.ts';
import { emailShopOf } from '../email-shop.ts';
import { createRateLimiter } from '../rate-limit.ts';
import type { OrderDeps } from './order-deps.ts';

/** How long an emailed claim link works. */
export const CLAIM_TOKEN_MINUTES = 30;

// Each request sends an email: 5 per customer per 15 minutes is plenty for a person and useless for flooding.
const claimMails = createRateLimiter({ name: 'claim-mail', limit: 5, windowMs: 15 * 60 * 1000 });

/**
 * Emails the logged-in customer a one-time link (random token, only its SHA-256 stored, 30 minutes) that attaches
 * every guest order placed with their email address. Receiving the link proves the address, which registering does
 * not. The answer is the same whether or not such orders exist, so it reveals nothing about the address's history.
 */
export async function requestOrderClaim(
	deps: OrderDeps,
	customer: { id: string; email: string },
	origin: string,
): Promise<void> {
	const limited = await claimMails.hit(customer.id);
	if (!limited.allowed)
		throw rateLimited(
			`Too many claim emails. Try again in ${limited.retryAfterSeconds} seconds.`,
			limited.retryAfterSeconds,
		);
	const token = newSecretToken();
	const now = new Date();
	const at = now.toISOString();
	const email = customer.email.toLowerCase();
	await writeTransaction(deps.db, async (trx) => {
		await deleteStaleClaimTokens(trx, customer.id, at);
		await insertClaimToken(trx, {
			token_hash: hashToken(token),
			customer_id: customer.id,
			email,
			order_ids: null,
			expires_at: new Date(now.getTime() + CLAIM_TOKEN_MINUTES * 60 * 1000).toISOString(),
			used_at: null,
			created_at: at,
		});
	});
	const link = new URL(deps.options.paths.claim, origin);
	link.searchParams.set('token', token);
	const message = orderClaimEmail({
		email,
		claimUrl: link.href,
		validMinutes: CLAIM_TOKEN_MINUTES,
		shopName: deps.options.storeName,
		shop: emailShopOf(deps.options, origin),
	});
	try {
		await deps.mailer.send({ to: email, ...message });
	} catch (error) {
		logger().error({ err: error }, `[commerce] the order claim email to customer ${customer.id} could not be sent`);
		// Sent directly, not through the outbox: the link is a secret that must not rest in the database.
		throw unavailable('The email with your link could not be sent. Try again in a few minutes.', 'email_failed');
	}
}

/**
 * Redeems a claim token for the logged-in customer who asked for it: single use, unexpired; every guest order placed
 * with the proven address (or only the ones the token names) is attached to the customer. Returns the ids attached.
 */
export async function confirmOrderClaim(
	deps: Pick<OrderDeps, 'db'>,
	customerId: string,
	token: string,
): Promise<string[]> {
	return writeTransaction(deps.db, async (trx) => {
		const at = new Date().toISOString();
		const claim = await consumeClaimToken(trx, hashToken(token), customerId, at);
		if (!claim) {
			throw invalid(
				'This link is invalid, was already used or has expired. Ask for a new one from your order history while signed in.',
				'invalid_claim_token',
			);
		}
		const orderIds = claim.order_ids ? (JSON.parse(claim.order_ids) as string[]) : null;
		return attachGuestOrders(trx, customerId, claim.email, orderIds, at);
	});
}

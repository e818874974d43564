import { findPaymentByReference } from '../../db/repositories/order-repository.ts';
import {
	findPaymentSessionByReference,
	markUnauthorizedSessions,
} from '../../db/repositories/payment-session-repository.ts';
import { claimWebhookEvent, hasWebhookEvent } from '../../db/repositories/webhook-event-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { logger } from '../../log/logger.ts';
import { countWebhookFailure } from '../../metrics/registry.ts';
import { type ProviderWebhookEvent, WebhookSignatureError } from '../../payments/provider.ts';
import { recordProviderRefund } from '../orders/provider-refund.ts';
import type { CheckoutDeps } from './checkout-deps.ts';
import { completeCart } from './complete-cart.ts';

export interface WebhookOutcome {
	status: number;
	body: { received: boolean; duplicate?: boolean; message?: string };
}

/**
 * Handles a provider webhook: verify the signature on the raw body, ignore an event id seen before, apply the effect
 * and record the id in one transaction. Safe under duplicates and any order of arrival: a refund for a payment we do
 * not know yet answers 409 so the provider retries later; a success for a cart whose browser never came back completes
 * that cart (completion is idempotent by cart, so a racing browser and webhook make one order, and its confirmation
 * email links to `origin`). Order and payment rows change only through `services/orders`. We never capture here.
 */
export async function handlePaymentWebhook(
	deps: CheckoutDeps,
	providerId: string,
	rawBody: string,
	headers: Headers,
	origin: string,
): Promise<WebhookOutcome> {
	const provider = deps.payments.get(providerId);
	if (!provider || provider.id !== providerId)
		return { status: 404, body: { received: false, message: `${providerId} payments are not configured.` } };
	let event: ProviderWebhookEvent;
	try {
		event = provider.parseWebhook(rawBody, headers);
	} catch (error) {
		if (error instanceof WebhookSignatureError)
			return { status: 400, body: { received: false, message: error.message } };
		throw error;
	}
	if (await hasWebhookEvent(deps.db, providerId, event.id))
		return { status: 200, body: { received: true, duplicate: true } };
	const reference = event.paymentReference;
	const seen = { providerId, eventId: event.id, type: event.rawType };

	switch (event.type) {
		case 'payment_succeeded': {
			const payment = reference ? await findPaymentByReference(deps.db, providerId, reference) : null;
			if (!payment && reference) {
				const session = await findPaymentSessionByReference(deps.db, providerId, reference);
				const cartId = session?.cart_id ?? event.cartId;
				if (cartId) {
					try {
						await completeCart(deps, cartId, origin);
					} catch (error) {
						// The money is taken but the order cannot be made (e.g. sold out meanwhile): completeCart voided or
						// refunded it. Recorded so the merchant sees it; the shopper's cart is still there.
						countWebhookFailure(providerId, 'completion_failed');
						logger().error(
							{ err: error },
							`[commerce] ${providerId} payment ${reference} succeeded but cart ${cartId} could not be completed`,
						);
					}
				}
			}
			break;
		}
		case 'payment_refunded': {
			if (!reference) break;
			const payment = await findPaymentByReference(deps.db, providerId, reference);
			if (!payment) return { status: 409, body: { received: false, message: 'Unknown payment; retry later.' } };
			const outcome = await writeTransaction(deps.db, async (trx) => {
				if (!(await claimWebhookEvent(trx, seen, new Date().toISOString()))) return 'duplicate';
				// A refund made outside the store (e.g. in the Stripe dashboard): bring order and payment in line.
				await recordProviderRefund(trx, {
					orderId: payment.orderId,
					providerId,
					refundedTotal: event.amountRefunded ?? 0,
				});
				return 'applied';
			});
			return { status: 200, body: { received: true, duplicate: outcome === 'duplicate' } };
		}
		case 'payment_failed':
		case 'payment_canceled': {
			if (!reference) break;
			const status = event.type === 'payment_failed' ? 'error' : 'canceled';
			await writeTransaction(deps.db, async (trx) => {
				const at = new Date().toISOString();
				if (!(await claimWebhookEvent(trx, seen, at))) return;
				await markUnauthorizedSessions(trx, providerId, reference, status, at);
			});
			return { status: 200, body: { received: true } };
		}
		case 'ignored':
			break;
	}
	await writeTransaction(deps.db, (trx) => claimWebhookEvent(trx, seen, new Date().toISOString()));
	return { status: 200, body: { received: true } };
}

import type { Kysely } from 'kysely';
import { type OrderState, transition } from '../../core/orders/index.ts';
import { findPaymentByReference, insertOrderEvent } from '../../db/repositories/order-repository.ts';
import { findPaymentSessionByReference } from '../../db/repositories/payment-session-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { Database, Order, Payment } from '../../db/types.ts';
import { logger } from '../../log/logger.ts';
import { countWebhookFailure } from '../../metrics/registry.ts';
import { type ProviderWebhookEvent, WebhookSignatureError } from '../../payments/provider.ts';
import type { CheckoutDeps } from './checkout-deps.ts';
import { completeCart } from './complete-cart.ts';

export interface WebhookOutcome {
	status: number;
	body: { received: boolean; duplicate?: boolean; message?: string };
}

const alreadyProcessed = async (db: Kysely<Database>, providerId: string, eventId: string) =>
	Boolean(
		await db
			.selectFrom('webhook_event')
			.select('event_id')
			.where('provider_id', '=', providerId)
			.where('event_id', '=', eventId)
			.executeTakeFirst(),
	);

/** Records the event id; the primary key makes a concurrent duplicate fail this transaction instead of repeating the effect. */
const markProcessed = (db: Kysely<Database>, providerId: string, event: ProviderWebhookEvent) =>
	db
		.insertInto('webhook_event')
		.values({
			provider_id: providerId,
			event_id: event.id,
			type: event.rawType,
			processed_at: new Date().toISOString(),
		})
		.execute();

function orderState(order: Order, payment: Payment): OrderState {
	return {
		status: order.status as OrderState['status'],
		paymentStatus: order.payment_status as OrderState['paymentStatus'],
		fulfillmentStatus: order.fulfillment_status as OrderState['fulfillmentStatus'],
		total: order.total,
		amountAuthorized: payment.amount_authorized,
		amountCaptured: payment.amount_captured,
		amountRefunded: payment.amount_refunded,
		captureCount: payment.amount_captured > 0 ? 1 : 0,
	};
}

/**
 * Handles a provider webhook: verify the signature on the raw body, ignore an event id seen before, apply the effect
 * and record the id in one transaction. Safe under duplicates and any order of arrival: a refund for a payment we do
 * not know yet answers 409 so the provider retries later; a success for a cart whose browser never came back completes
 * that cart (completion is idempotent by cart, so a racing browser and webhook make one order). We never capture here.
 */
export async function handlePaymentWebhook(
	deps: CheckoutDeps,
	providerId: string,
	rawBody: string,
	headers: Headers,
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
	if (await alreadyProcessed(deps.db, providerId, event.id))
		return { status: 200, body: { received: true, duplicate: true } };
	const reference = event.paymentReference;

	switch (event.type) {
		case 'payment_succeeded': {
			const payment = reference ? await findPaymentByReference(deps.db, providerId, reference) : undefined;
			if (!payment && reference) {
				const session = await findPaymentSessionByReference(deps.db, providerId, reference);
				const cartId = session?.cart_id ?? event.cartId;
				if (cartId) {
					try {
						await completeCart(deps, cartId);
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
			const refundedNow = Math.min(event.amountRefunded ?? 0, payment.amount_captured);
			const outcome = await writeTransaction(deps.db, async (trx) => {
				if (await alreadyProcessed(trx, providerId, event.id)) return 'duplicate';
				const fresh = await trx
					.selectFrom('payment')
					.selectAll()
					.where('id', '=', payment.id)
					.executeTakeFirstOrThrow();
				const extra = refundedNow - fresh.amount_refunded;
				if (extra > 0) {
					// A refund made outside the store (e.g. in the Stripe dashboard): bring order and payment in line.
					const order = await trx
						.selectFrom('orders')
						.selectAll()
						.where('id', '=', fresh.order_id)
						.executeTakeFirstOrThrow();
					const result = transition(orderState(order, fresh), { type: 'refund', amount: extra });
					if (result.ok) {
						const at = new Date().toISOString();
						await trx
							.updateTable('payment')
							.set({ amount_refunded: refundedNow, updated_at: at })
							.where('id', '=', fresh.id)
							.execute();
						await trx
							.updateTable('orders')
							.set({ payment_status: result.next.paymentStatus, updated_at: at })
							.where('id', '=', order.id)
							.execute();
						await insertOrderEvent(
							trx,
							order.id,
							result.event.type,
							{ ...result.event.data, source: providerId },
							providerId,
							at,
						);
					}
				}
				await markProcessed(trx, providerId, event);
				return 'applied';
			});
			return { status: 200, body: { received: true, duplicate: outcome === 'duplicate' } };
		}
		case 'payment_failed':
		case 'payment_canceled': {
			if (!reference) break;
			const status = event.type === 'payment_failed' ? 'error' : 'canceled';
			await writeTransaction(deps.db, async (trx) => {
				if (await alreadyProcessed(trx, providerId, event.id)) return;
				// Only sessions of carts still open change; a placed order keeps its history.
				await trx
					.updateTable('payment_session')
					.set({ status, updated_at: new Date().toISOString() })
					.where('provider_id', '=', providerId)
					.where('reference', '=', reference)
					.where('status', '!=', 'authorized')
					.execute();
				await markProcessed(trx, providerId, event);
			});
			return { status: 200, body: { received: true } };
		}
		case 'ignored':
			break;
	}
	await writeTransaction(deps.db, async (trx) => {
		if (!(await alreadyProcessed(trx, providerId, event.id))) await markProcessed(trx, providerId, event);
	});
	return { status: 200, body: { received: true } };
}

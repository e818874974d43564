import { conflict, unavailable } from '../../core/errors.ts';
import type { Order, OrderChangeAction, OrderState, Payment, PaymentEffect } from '../../core/orders/index.ts';
import { logger } from '../../log/logger.ts';
import { PaymentAmountError, type PaymentProvider, type ProviderData } from '../../payments/provider.ts';
import type { OrderDeps } from './order-deps.ts';

/** Past-tense words for messages: "the order was not <captured>". */
export const ACTION_WORDS: Record<OrderChangeAction['type'], string> = {
	capture: 'captured',
	mark_processing: 'marked as packed',
	ship: 'shipped',
	deliver: 'marked as delivered',
	cancel: 'canceled',
	refund: 'refunded',
	payment_failed: 'canceled',
	archive: 'archived',
};

/**
 * Runs a transition's payment effects (void, capture, refund) at the provider, in order, before anything is written
 * and outside any transaction. The idempotency key is derived from the order and the amounts it has already seen, so
 * a retry after a crash asks the provider for the same operation. Returns the provider's last data (what the payment
 * stores) or null when there was nothing to do. The provider refusing is a `conflict` (409 `payment_provider_refused`),
 * not answering is `unavailable` (`payment_provider_error`); either way nothing was changed.
 */
export async function runPaymentEffects(
	deps: Pick<OrderDeps, 'payments'>,
	order: Order,
	payment: Payment | null,
	state: OrderState,
	effects: PaymentEffect[],
	action: OrderChangeAction,
): Promise<ProviderData | null> {
	if (!effects.length) return null;
	const done = ACTION_WORDS[action.type];
	if (!payment) throw conflict(`Order #${order.displayId} has no payment to ${effects[0].type}.`, 'payment_missing');
	const provider: PaymentProvider | undefined = deps.payments.get(payment.providerId);
	if (!provider) {
		throw unavailable(
			`The ${payment.providerId} payment provider is not configured on this server, so the order was not ${done}. Nothing was changed.`,
			'payment_provider_unavailable',
		);
	}
	let data: ProviderData = payment.data;
	for (const effect of effects) {
		const key = `order_${order.id}_${effect.type}_${'amount' in effect ? effect.amount : 0}_${state.amountCaptured}_${state.amountRefunded}`;
		try {
			if (effect.type === 'void') data = (await provider.cancel({ data, idempotencyKey: key })).data;
			else if (effect.type === 'refund')
				data = (await provider.refund({ data, amount: effect.amount, idempotencyKey: key })).data;
			else data = (await provider.capture({ data, amount: effect.amount, idempotencyKey: key })).data;
		} catch (error) {
			logger().error(
				{ err: error },
				`[commerce] ${provider.id} could not ${effect.type} the payment of order #${order.displayId} (${payment.reference ?? payment.id})`,
			);
			if (error instanceof PaymentAmountError) {
				throw conflict(
					`The payment provider refused: ${error.message} The order was not ${done}; nothing was changed.`,
					'payment_provider_refused',
				);
			}
			throw unavailable(
				`The payment provider could not be reached, so the order was not ${done}. Nothing was changed; try again in a few minutes.`,
				'payment_provider_error',
			);
		}
	}
	return data;
}

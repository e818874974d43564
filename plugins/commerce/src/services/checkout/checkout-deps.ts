import { invalid } from '../../core/errors.ts';
import type { PaymentProvider } from '../../payments/provider.ts';
import type { CartDeps } from '../cart/cart-service.ts';
import type { OutboxNotifier } from '../orders/order-deps.ts';

/** What checkout use cases need beyond carts: payment providers, the outbox and the signing secret. */
export interface CheckoutDeps extends CartDeps {
	payments: Map<string, PaymentProvider>;
	/** Order emails are queued in the order's transaction; this sends them right after the commit. */
	outbox: OutboxNotifier;
	secret: string;
}

/** `manual` is Medusa's name for an offline provider; it is our `test` provider. */
export const canonicalProviderId = (id: string) => (id === 'manual' ? 'test' : id);

export function providerFor(deps: Pick<CheckoutDeps, 'payments'>, providerId: string): PaymentProvider {
	const provider = deps.payments.get(canonicalProviderId(providerId));
	if (!provider) {
		const available = [...new Set([...deps.payments.values()].map((p) => p.id))].join(', ');
		throw invalid(
			`Payment provider ${providerId} is not available. Use one of: ${available}.`,
			'unknown_payment_provider',
		);
	}
	return provider;
}

/** Distinct providers (the `manual` alias points at the `test` provider object). */
export const distinctProviders = (deps: Pick<CheckoutDeps, 'payments'>): PaymentProvider[] => [
	...new Set(deps.payments.values()),
];

import { invalid } from '../../core/errors.ts';
import type { RegionOptions } from '../../options.ts';
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

/**
 * The providers a region offers (its `paymentProviders` option, default all), limited to those this server has: a
 * region listing `stripe` offers it only where the Stripe keys are set.
 */
export function regionProviders(payments: Map<string, PaymentProvider>, region: RegionOptions): PaymentProvider[] {
	const ids = region.paymentProviders ?? [...payments.keys()];
	return ids.flatMap((id) => payments.get(id) ?? []);
}

/** The region's provider with this id; anything else is a 400 that lists what the region offers. */
export function providerFor(
	deps: Pick<CheckoutDeps, 'payments'>,
	region: RegionOptions,
	providerId: string,
): PaymentProvider {
	const offered = regionProviders(deps.payments, region);
	const provider = offered.find((p) => p.id === providerId);
	if (!provider) {
		throw invalid(
			`Payment provider ${providerId} is not available in this region. Use one of: ${offered.map((p) => p.id).join(', ')}.`,
			'unknown_payment_provider',
		);
	}
	return provider;
}

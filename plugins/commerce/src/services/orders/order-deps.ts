import type { Mailer } from '../../email/index.ts';
import type { CheckoutDeps } from '../checkout/checkout-deps.ts';

/** Wakes the outbox drainer after a commit that queued something, so it goes out now rather than at the next poll. */
export interface OutboxNotifier {
	wake(): void;
}

/**
 * What order use cases need: database, payment providers, the outbox (order emails), options (shop name in emails) and
 * the mailer, for the one email sent directly (the claim link: a secret that must not rest in the outbox table).
 */
export type OrderDeps = Pick<CheckoutDeps, 'db' | 'options' | 'payments' | 'outbox'> & { mailer: Mailer };

/** The order dependencies of a runtime (or a handler context's `runtime`). */
export const orderDeps = (runtime: OrderDeps): OrderDeps => ({
	db: runtime.db,
	options: runtime.options,
	payments: runtime.payments,
	mailer: runtime.mailer,
	outbox: runtime.outbox,
});

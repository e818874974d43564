import type { CheckoutDeps } from '../checkout/checkout-deps.ts';

/** What order use cases need: database, payment providers, mailer and options (shop name in emails). */
export type OrderDeps = Pick<CheckoutDeps, 'db' | 'options' | 'payments' | 'mailer'>;

/** The order dependencies of a runtime (or a handler context's `runtime`). */
export const orderDeps = (runtime: OrderDeps): OrderDeps => ({
	db: runtime.db,
	options: runtime.options,
	payments: runtime.payments,
	mailer: runtime.mailer,
});

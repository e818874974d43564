import { randomUUID } from 'node:crypto';
import { invalid, notAllowed } from '../../core/errors.ts';
import {
	listPaymentSessions,
	selectPaymentSession as markSelected,
	deletePaymentSession as removeSession,
	upsertPaymentSession,
} from '../../db/repositories/payment-session-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { PaymentSession } from '../../db/types.ts';
import type { ProviderData, SessionResult } from '../../payments/provider.ts';
import { getCart } from '../cart/cart-service.ts';
import type { CartView } from '../cart/cart-view.ts';
import { type CheckoutDeps, providerFor, regionProviders } from './checkout-deps.ts';

const parse = (session: PaymentSession): ProviderData => JSON.parse(session.data) as ProviderData;
const reference = (data: ProviderData) => (typeof data.id === 'string' ? data.id : null);

function assertOpen(view: CartView): void {
	if (view.cart.completed_at)
		throw notAllowed('This cart has been completed. Start a new cart to keep shopping.', 'cart_completed');
	if (!view.lines.length) throw notAllowed('Add something to the cart before choosing how to pay.', 'cart_empty');
}

/** Saves a provider answer for the cart (network calls happen before, never inside, this transaction). */
async function store(
	deps: CheckoutDeps,
	view: CartView,
	providerId: string,
	result: SessionResult,
	amount: number,
): Promise<void> {
	await writeTransaction(deps.db, (trx) =>
		upsertPaymentSession(
			trx,
			view.cart.id,
			providerId,
			{
				status: result.status,
				amount,
				currency_code: view.cart.currency_code,
				data: JSON.stringify(result.data),
				reference: reference(result.data),
			},
			new Date().toISOString(),
		),
	);
}

/**
 * Starts a session with every provider of the cart's region for the cart's current total (Stripe: a PaymentIntent), or
 * brings an existing session to the current total. The selected session stays selected (storefronts call this on every
 * render of the checkout); with a single provider it is selected at once, as Medusa does.
 */
export async function createPaymentSessions(deps: CheckoutDeps, cartId: string): Promise<CartView> {
	const view = await getCart(deps, cartId);
	assertOpen(view);
	// Nothing to pay: completion places the order without a payment.
	if (view.totals.total === 0) return view;
	const existing = await listPaymentSessions(deps.db, cartId);
	const providers = regionProviders(deps.payments, view.region);
	for (const provider of providers) {
		const session = existing.find((s) => s.provider_id === provider.id);
		const amount = view.totals.total;
		// A voided session (its order failed) cannot be reused: start a new one.
		const result =
			session && session.status !== 'canceled'
				? await provider.update({ data: parse(session), amount, currency: view.cart.currency_code })
				: // One key per call: the SDK reuses it for its own network retries; a later re-creation gets a fresh intent.
					await provider.initiate({
						amount,
						currency: view.cart.currency_code,
						cartId,
						email: view.cart.email,
						idempotencyKey: `init_${cartId}_${provider.id}_${amount}_${randomUUID()}`,
					});
		await store(deps, view, provider.id, result, amount);
	}
	if (providers.length === 1) await selectPaymentSession(deps, cartId, providers[0].id);
	return getCart(deps, cartId);
}

/**
 * Chooses the provider the shopper pays with, one of the region's. Its session is created first when the cart has
 * none for it yet (a storefront may select before creating sessions).
 */
export async function selectPaymentSession(deps: CheckoutDeps, cartId: string, providerId: string): Promise<CartView> {
	const view = await getCart(deps, cartId);
	const id = providerFor(deps, view.region, providerId).id;
	let sessions = await listPaymentSessions(deps.db, cartId);
	if (!sessions.some((s) => s.provider_id === id)) {
		await createPaymentSessions(deps, cartId);
		sessions = await listPaymentSessions(deps.db, cartId);
		if (!sessions.some((s) => s.provider_id === id))
			throw notAllowed('This cart has nothing to pay, so it needs no payment session.', 'payment_not_needed');
	}
	await writeTransaction(deps.db, (trx) => markSelected(trx, cartId, id, new Date().toISOString()));
	return getCart(deps, cartId);
}

/**
 * Passes data from the shopper's browser to the provider (test provider: card details, or the confirmation of the
 * simulated 3-D Secure step). Only what the provider returns is stored; a refused card is a 400 with its message.
 */
export async function updatePaymentSession(
	deps: CheckoutDeps,
	cartId: string,
	providerId: string,
	input: ProviderData,
): Promise<CartView> {
	const view = await getCart(deps, cartId);
	const provider = providerFor(deps, view.region, providerId);
	assertOpen(view);
	const session = (await listPaymentSessions(deps.db, cartId)).find((s) => s.provider_id === provider.id);
	if (!session)
		throw invalid(
			`There is no ${provider.id} payment session on this cart. Create payment sessions first.`,
			'payment_session_missing',
		);
	const result = await provider.update({
		data: parse(session),
		amount: view.totals.total,
		currency: view.cart.currency_code,
		input,
	});
	await store(deps, view, provider.id, result, view.totals.total);
	if (result.status === 'error' && result.failure) throw invalid(result.failure.message, result.failure.code);
	return getCart(deps, cartId);
}

export async function deletePaymentSession(deps: CheckoutDeps, cartId: string, providerId: string): Promise<CartView> {
	const id = providerId;
	await getCart(deps, cartId);
	await writeTransaction(deps.db, async (trx) => {
		if (!(await removeSession(trx, cartId, id)))
			throw invalid(`There is no ${id} payment session on this cart.`, 'payment_session_missing');
	});
	return getCart(deps, cartId);
}

/**
 * After a cart change, brings existing sessions to the new total (contract §4.5), so a Stripe PaymentIntent never asks
 * the shopper for an amount the order will not have.
 */
export async function refreshPaymentSessions(deps: CheckoutDeps, view: CartView): Promise<CartView> {
	if (view.cart.completed_at) return view;
	const stale = (await listPaymentSessions(deps.db, view.cart.id)).filter(
		(s) => s.amount !== view.totals.total && s.status !== 'authorized',
	);
	if (!stale.length) return view;
	for (const session of stale) {
		const provider = deps.payments.get(session.provider_id);
		if (!provider) continue;
		const result = await provider.update({
			data: parse(session),
			amount: view.totals.total,
			currency: view.cart.currency_code,
		});
		await store(deps, view, session.provider_id, result, view.totals.total);
	}
	return getCart(deps, view.cart.id);
}

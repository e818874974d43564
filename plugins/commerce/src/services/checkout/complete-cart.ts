import type { Kysely } from 'kysely';
import { initialOrderState } from '../../core/orders/index.ts';
import { newId } from '../../db/ids.ts';
import { findCart, updateCartRow } from '../../db/repositories/cart-repository.ts';
import { consumeDiscountUsage } from '../../db/repositories/discount-repository.ts';
import {
	decrementStock,
	findOrderIdByCart,
	insertOrder,
	insertOrderEvent,
	nextDisplayId,
} from '../../db/repositories/order-repository.ts';
import { listPaymentSessions, upsertPaymentSession } from '../../db/repositories/payment-session-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { Database, PaymentSession } from '../../db/types.ts';
import { notAllowed, StoreError } from '../../http/store-error.ts';
import { logger } from '../../log/logger.ts';
import { countOrderPlaced, countPaymentFailure } from '../../metrics/registry.ts';
import type { AuthorizeResult, PaymentProvider, ProviderData } from '../../payments/provider.ts';
import { recordPurchase } from '../analytics/record-events.ts';
import { getCart } from '../cart/cart-service.ts';
import { type CartView, customerKey, loadCartView } from '../cart/cart-view.ts';
import type { CheckoutDeps } from './checkout-deps.ts';

export type CompletionResult =
	| { type: 'order'; orderId: string; placedNow: boolean }
	| { type: 'cart'; view: CartView };

const REQUIRED_ADDRESS = ['first_name', 'last_name', 'address_1', 'city', 'postal_code', 'country_code'] as const;

/** What a cart needs before anyone is charged; each message says what to add. */
function assertReady(view: CartView): void {
	if (!view.lines.length) throw notAllowed('The cart is empty. Add something before checking out.', 'cart_empty');
	if (!view.cart.email) throw notAllowed('Add an email address so we can send the confirmation.', 'email_missing');
	const address = view.shippingAddress;
	const missing = REQUIRED_ADDRESS.filter((field) => !address?.[field]);
	if (missing.length)
		throw notAllowed(`The shipping address needs: ${missing.join(', ')}.`, 'shipping_address_incomplete');
	if (!view.region.countries.includes(address!.country_code!))
		throw notAllowed('Shipping country not in region', 'country_not_in_region');
	if (!view.shipping) throw notAllowed('Choose a shipping option before placing the order.', 'shipping_method_missing');
}

const sessionData = (session: PaymentSession): ProviderData => JSON.parse(session.data) as ProviderData;

async function saveSession(
	deps: CheckoutDeps,
	view: CartView,
	session: PaymentSession,
	status: PaymentSession['status'],
	data: ProviderData,
	amount: number,
) {
	await writeTransaction(deps.db, (trx) =>
		upsertPaymentSession(
			trx,
			view.cart.id,
			session.provider_id,
			{
				status,
				amount,
				currency_code: view.cart.currency_code,
				data: JSON.stringify(data),
				reference: typeof data.id === 'string' ? data.id : session.reference,
			},
			new Date().toISOString(),
		),
	);
}

/**
 * Completes a cart (contract §4.8): idempotent by cart — a completed cart answers with its order. Payment is authorized
 * with the provider first (network, outside any transaction); then one short write transaction re-prices the cart,
 * re-validates its codes, takes stock with conditional updates, consumes coupon usage atomically and creates the order.
 * If that transaction fails after the payment was authorized, the payment is voided (or refunded when it was captured).
 * The placed order is then recorded as an analytics `purchase`, joined to `visitId` when the browser sent one.
 */
export async function completeCart(
	deps: CheckoutDeps,
	cartId: string,
	visitId: string | null = null,
): Promise<CompletionResult> {
	const done = await findOrderIdByCart(deps.db, cartId);
	if (done) return { type: 'order', orderId: done, placedNow: false };
	const view = await getCart(deps, cartId);
	assertReady(view);
	const total = view.totals.total;

	let provider: PaymentProvider | undefined;
	let session: PaymentSession | undefined;
	let auth: AuthorizeResult | undefined;
	if (total > 0) {
		session = (await listPaymentSessions(deps.db, cartId)).find((s) => s.is_selected === 1);
		if (!session) throw notAllowed('You cannot complete a cart without a payment session.', 'payment_session_missing');
		provider = deps.payments.get(session.provider_id);
		if (!provider)
			throw notAllowed(
				`The ${session.provider_id} payment provider is not configured on this server.`,
				'payment_provider_unavailable',
			);
		let data = sessionData(session);
		if (session.amount !== total) {
			// The cart changed after the session was created: the provider must ask for the new total.
			const updated = await provider.update({ data, amount: total, currency: view.cart.currency_code });
			data = updated.data;
		}
		auth = await provider.authorize({
			data,
			amount: total,
			currency: view.cart.currency_code,
			idempotencyKey: `auth_${cartId}_${total}`,
		});
		await saveSession(deps, view, session, auth.status, auth.data, total);
		if (auth.status === 'requires_more' || auth.status === 'pending')
			return { type: 'cart', view: await getCart(deps, cartId) };
		if (auth.status !== 'authorized') {
			countPaymentFailure(provider.id, auth.failure?.code);
			throw new StoreError(
				'payment_authorization_error',
				auth.failure?.message ?? 'The payment was not authorized. Try another payment method.',
				auth.failure?.code ?? 'payment_failed',
			);
		}
	}

	try {
		const orderId = await writeTransaction(deps.db, (trx) =>
			placeOrder(trx, deps, cartId, { provider, session, auth, total }),
		);
		countOrderPlaced(view.cart.currency_code, total);
		// Analytics, after the commit and only for the request that placed the order; never throws.
		await recordPurchase(deps.db, orderId, visitId);
		return { type: 'order', orderId, placedNow: true };
	} catch (error) {
		// A concurrent completion of the same cart (double click, webhook) already placed the order: that is success,
		// and its payment is this payment, so nothing may be voided.
		const other = await findOrderIdByCart(deps.db, cartId);
		if (other) return { type: 'order', orderId: other, placedNow: false };
		if (provider && auth?.status === 'authorized' && session)
			await compensate(deps, view, session, provider, auth, total);
		throw error;
	}
}

/** Releases a payment whose order could not be created, and records that on the session. */
async function compensate(
	deps: CheckoutDeps,
	view: CartView,
	session: PaymentSession,
	provider: PaymentProvider,
	auth: AuthorizeResult,
	total: number,
) {
	try {
		const key = `void_${view.cart.id}_${total}`;
		const result = auth.captured
			? await provider.refund({ data: auth.data, amount: auth.amountAuthorized, idempotencyKey: key })
			: await provider.cancel({ data: auth.data, idempotencyKey: key });
		await saveSession(deps, view, session, 'canceled', result.data, total);
	} catch (error) {
		// Left for the merchant: the payment exists without an order. Logged loudly with the reference to find it.
		logger().error(
			{ err: error },
			`[commerce] could not void the payment of cart ${view.cart.id} (${String(auth.data.id ?? '')})`,
		);
	}
}

interface PaidWith {
	provider?: PaymentProvider;
	session?: PaymentSession;
	auth?: AuthorizeResult;
	total: number;
}

async function placeOrder(trx: Kysely<Database>, deps: CheckoutDeps, cartId: string, paid: PaidWith): Promise<string> {
	const cart = await findCart(trx, cartId);
	if (!cart || cart.completed_at)
		throw new StoreError('conflict', 'This cart was completed by another request.', 'cart_completed', 409);
	const now = new Date();
	const at = now.toISOString();
	const view = await loadCartView(trx, deps.options, cartId, now);
	if (!view) throw new StoreError('not_found', `Cart with ${cartId} was not found`);
	if (view.stale.lineIds.length) {
		throw new StoreError(
			'conflict',
			'Some items in the cart are no longer sold. Review the cart and place the order again; you were not charged.',
			'cart_changed',
			409,
		);
	}
	if (view.stale.discountIds.length) {
		throw new StoreError(
			'conflict',
			'A discount code on the cart can no longer be used (its limit was reached or it expired). Review the cart and place the order again; you were not charged.',
			'discount_no_longer_valid',
			409,
		);
	}
	if (view.totals.total !== paid.total) {
		throw new StoreError(
			'conflict',
			'Prices changed while you were paying. Review the cart and place the order again; you were not charged.',
			'cart_changed',
			409,
		);
	}

	const orderId = newId('order');
	for (const discount of view.discounts) {
		if (!(await consumeDiscountUsage(trx, discount.id, at))) {
			throw new StoreError(
				'conflict',
				`The code ${discount.code} has just been used up. Remove it and place the order again; you were not charged.`,
				'discount_used_up',
				409,
			);
		}
		await trx
			.insertInto('discount_usage')
			.values({
				id: newId('dusg'),
				discount_id: discount.id,
				customer_key: customerKey(cart) ?? `email:${cart.email}`,
				order_id: orderId,
				created_at: at,
			})
			.execute();
	}
	for (const line of view.lines) {
		const after = await decrementStock(trx, line.variantId, line.quantity);
		if (after === null) {
			throw new StoreError(
				'conflict',
				`${line.productTitle} (${line.variantTitle}) sold out while you were checking out. Update the cart and try again; you were not charged.`,
				'insufficient_inventory',
				409,
			);
		}
		await trx
			.insertInto('inventory_ledger')
			.values({
				id: newId('invl'),
				variant_id: line.variantId,
				delta: -line.quantity,
				quantity_after: after,
				reason: 'order',
				reference_id: orderId,
				actor: 'checkout',
				note: null,
				created_at: at,
			})
			.execute();
	}

	const authorized = paid.auth?.amountAuthorized ?? 0;
	const placed = initialOrderState({
		type: 'place',
		total: view.totals.total,
		authorized,
		captured: paid.auth?.captured ? authorized : 0,
	});
	if (!placed.ok) throw new StoreError('conflict', placed.reason, placed.code, 409);
	const lineTotals = new Map(view.totals.lines.map((l) => [l.id, l]));
	await insertOrder(
		trx,
		{
			id: orderId,
			display_id: await nextDisplayId(trx),
			cart_id: cartId,
			customer_id: cart.customer_id,
			email: cart.email!.toLowerCase(),
			region_id: cart.region_id,
			currency_code: cart.currency_code,
			tax_rate: view.region.taxRate,
			status: placed.next.status,
			payment_status: placed.next.paymentStatus,
			fulfillment_status: placed.next.fulfillmentStatus,
			subtotal: view.totals.subtotal,
			discount_total: view.totals.discountTotal,
			shipping_total: view.totals.shippingTotal,
			shipping_tax_total: view.totals.shippingTaxTotal,
			item_tax_total: view.totals.itemTaxTotal,
			tax_total: view.totals.taxTotal,
			total: view.totals.total,
			shipping_option_id: view.shipping?.id ?? null,
			shipping_method_name: view.shipping?.option.name ?? null,
			shipping_address_id: cart.shipping_address_id,
			billing_address_id: cart.billing_address_id ?? cart.shipping_address_id,
			carrier: null,
			tracking_number: null,
			canceled_at: null,
			created_at: at,
			updated_at: at,
		},
		view.lines.map((line) => {
			const totals = lineTotals.get(line.id)!;
			return {
				variant_id: line.variantId,
				product_id: line.productId,
				sku: line.sku,
				title: line.productTitle,
				variant_title: line.variantTitle,
				thumbnail: line.thumbnail,
				unit_price: line.unitPrice,
				quantity: line.quantity,
				subtotal: totals.subtotal,
				discount_total: totals.discountTotal,
				tax_total: totals.taxTotal,
				total: totals.total,
			};
		}),
	);
	if (view.discounts.length) {
		await trx
			.insertInto('order_discount')
			.values(view.discounts.map((d) => ({ order_id: orderId, discount_id: d.id, code: d.code })))
			.execute();
	}
	if (paid.auth && paid.provider) {
		const data = paid.auth.data;
		await trx
			.insertInto('payment')
			.values({
				id: newId('pay'),
				order_id: orderId,
				provider_id: paid.provider.id,
				reference: typeof data.id === 'string' ? data.id : null,
				currency_code: cart.currency_code,
				amount: view.totals.total,
				amount_authorized: authorized,
				amount_captured: placed.next.amountCaptured,
				amount_refunded: 0,
				card_brand: typeof data.brand === 'string' ? data.brand : null,
				card_last4: typeof data.last4 === 'string' ? data.last4 : null,
				data: JSON.stringify(data),
				captured_at: placed.next.amountCaptured > 0 ? at : null,
				canceled_at: null,
				created_at: at,
				updated_at: at,
			})
			.execute();
	}
	await insertOrderEvent(trx, orderId, placed.event.type, placed.event.data, 'checkout', at);
	await updateCartRow(trx, cartId, { completed_at: at }, at);
	return orderId;
}

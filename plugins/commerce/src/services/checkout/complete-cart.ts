import type { Kysely } from 'kysely';
import { CommerceError, conflict, notAllowed, notFound } from '../../core/errors.ts';
import type { OrderDetail } from '../../core/orders/index.ts';
import { findCartForUpdate, markCartCompleted } from '../../db/repositories/cart-repository.ts';
import {
	consumeDiscountUsage,
	insertDiscountUsage,
	lockCartDiscounts,
} from '../../db/repositories/discount-repository.ts';
import { findOrderIdByCart, toOrderAddress } from '../../db/repositories/order-repository.ts';
import { upsertPaymentSession } from '../../db/repositories/payment-session-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { Database, PaymentSession } from '../../db/types.ts';
import { logger } from '../../log/logger.ts';
import { countOrderPlaced, countPaymentFailure } from '../../metrics/registry.ts';
import type { AuthorizeResult, PaymentProvider, ProviderData } from '../../payments/provider.ts';
import { recordPurchaseInOrder } from '../analytics/record-events.ts';
import { rollCart } from '../analytics/rollups.ts';
import { getCart } from '../cart/cart-service.ts';
import { type CartView, customerKey, loadCartView } from '../cart/cart-view.ts';
import { emailShopOf } from '../email-shop.ts';
import { drawGiftCardsForOrder } from '../gift-cards.ts';
import { placeOrder } from '../orders/place-order.ts';
import type { CheckoutDeps } from './checkout-deps.ts';

export type CompletionResult =
	/** `detail` is the order as this request wrote it (placedNow only): the answer needs no read of it. */
	{ type: 'order'; orderId: string; placedNow: boolean; detail?: OrderDetail } | { type: 'cart'; view: CartView };

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
 * re-validates its codes, consumes coupon usage atomically, records the authorized payment session and places the order (`services/orders`: stock, order rows,
 * the confirmation email queued in the outbox). If that transaction fails after the payment was authorized, the payment
 * is voided (or refunded when it was captured). The order is recorded as an analytics `purchase` in the same commit,
 * joined to `visitId` when the browser sent one (under a savepoint: analytics never fails the order). After the commit
 * the outbox sends the confirmation. `origin` is the shop's origin as
 * the shopper reached it, for the links in the email.
 */
export async function completeCart(
	deps: CheckoutDeps,
	cartId: string,
	origin: string,
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
		session = view.paymentSessions.find((s) => s.is_selected === 1);
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
		// An authorized session is saved inside the order's transaction below (one commit per completion).
		if (auth.status !== 'authorized') await saveSession(deps, view, session, auth.status, auth.data, total);
		if (auth.status === 'requires_more' || auth.status === 'pending')
			return { type: 'cart', view: await getCart(deps, cartId) };
		if (auth.status !== 'authorized') {
			countPaymentFailure(provider.id, auth.failure?.code);
			throw new CommerceError(
				'payment_declined',
				auth.failure?.message ?? 'The payment was not authorized. Try another payment method.',
				auth.failure?.code ?? 'payment_failed',
			);
		}
	}

	try {
		const detail = await writeTransaction(deps.db, async (trx) => {
			const placed = await placeFromCart(trx, deps, cartId, { provider, auth, session, total }, origin);
			const { order } = placed;
			// Analytics in the order's commit, under a savepoint: its failure is logged and undone, never the order's.
			await recordPurchaseInOrder(
				trx,
				{ orderId: order.id, cartId, total: order.total, currency: order.currencyCode, placedAt: order.createdAt },
				visitId,
			);
			return placed;
		});
		const { order } = detail;
		deps.outbox.wake();
		countOrderPlaced(view.cart.currency_code, total);
		return { type: 'order', orderId: order.id, placedNow: true, detail };
	} catch (error) {
		// A concurrent completion of the same cart (double click, webhook) already placed the order: that is success,
		// and its payment is this payment, so nothing may be voided.
		const other = await findOrderIdByCart(deps.db, cartId);
		if (other) return { type: 'order', orderId: other, placedNow: false };
		if (provider && auth?.status === 'authorized' && session) {
			// The rolled-back transaction took the session's authorized state with it: record it before voiding.
			await saveSession(deps, view, session, auth.status, auth.data, total);
			await compensate(deps, view, session, provider, auth, total);
		}
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
	auth?: AuthorizeResult;
	session?: PaymentSession;
	total: number;
}

/**
 * Inside the completion transaction: re-price the cart and refuse if anything changed since the shopper paid, consume
 * each code's usage (a conditional UPDATE: never past its limit), place the order and mark the cart completed.
 */
async function placeFromCart(
	trx: Kysely<Database>,
	deps: CheckoutDeps,
	cartId: string,
	paid: PaidWith,
	origin: string,
): Promise<OrderDetail> {
	const cart = await findCartForUpdate(trx, cartId);
	if (!cart || cart.completed_at) throw conflict('This cart was completed by another request.', 'cart_completed');
	// Before pricing: the per-customer limits must count the orders that other servers placed with the same codes.
	await lockCartDiscounts(trx, cartId);
	const now = new Date();
	const at = now.toISOString();
	// The locked row, not a second read of it.
	const view = await loadCartView(trx, deps.options, cartId, now, cart);
	if (!view) throw notFound(`Cart with ${cartId} was not found`);
	if (view.stale.lineIds.length) {
		throw conflict(
			'Some items in the cart are no longer sold. Review the cart and place the order again; you were not charged.',
			'cart_changed',
		);
	}
	if (view.stale.giftCardIds.length) {
		throw conflict(
			'A gift card on the cart can no longer be used (it was spent, disabled or expired). Review the cart and place the order again; you were not charged.',
			'gift_card_no_longer_valid',
		);
	}
	if (view.stale.discountIds.length) {
		throw conflict(
			'A discount code on the cart can no longer be used (its limit was reached or it expired). Review the cart and place the order again; you were not charged.',
			'discount_no_longer_valid',
		);
	}
	if (view.totals.total !== paid.total) {
		throw conflict(
			'Prices changed while you were paying. Review the cart and place the order again; you were not charged.',
			'cart_changed',
		);
	}
	for (const discount of view.discounts) {
		if (!(await consumeDiscountUsage(trx, discount.id, at))) {
			throw conflict(
				`The code ${discount.code} has just been used up. Remove it and place the order again; you were not charged.`,
				'discount_used_up',
			);
		}
	}

	const lineTotals = new Map(view.totals.lines.map((l) => [l.id, l]));
	const shippingAddress = view.shippingAddress ? toOrderAddress(view.shippingAddress) : null;
	const placed = await placeOrder(
		trx,
		{
			cartId,
			customerId: cart.customer_id,
			email: cart.email!,
			regionId: cart.region_id,
			currencyCode: cart.currency_code,
			taxRate: view.region.taxRate,
			totals: {
				subtotal: view.totals.subtotal,
				discountTotal: view.totals.discountTotal,
				shippingTotal: view.totals.shippingTotal,
				shippingTaxTotal: view.totals.shippingTaxTotal,
				itemTaxTotal: view.totals.itemTaxTotal,
				taxTotal: view.totals.taxTotal,
				giftCardTotal: view.totals.giftCardTotal,
				total: view.totals.total,
			},
			shipping: view.shipping ? { optionId: view.shipping.id, methodName: view.shipping.option.name } : null,
			shippingAddress,
			billingAddressId: cart.billing_address_id,
			lines: view.lines.map((line) => {
				const totals = lineTotals.get(line.id)!;
				return {
					variantId: line.variantId,
					productId: line.productId,
					sku: line.sku,
					title: line.productTitle,
					variantTitle: line.variantTitle,
					thumbnail: line.thumbnail,
					unitPrice: line.unitPrice,
					quantity: line.quantity,
					subtotal: totals.subtotal,
					discountTotal: totals.discountTotal,
					taxTotal: totals.taxTotal,
					total: totals.total,
					metadata: line.metadata,
				};
			}),
			discounts: view.discounts.map((d) => ({ discountId: d.id, code: d.code })),
			payment:
				paid.auth && paid.provider
					? {
							providerId: paid.provider.id,
							amountAuthorized: paid.auth.amountAuthorized,
							captured: paid.auth.captured,
							data: paid.auth.data,
						}
					: null,
		},
		{
			origin,
			paths: deps.options.paths,
			shopName: deps.options.storeName,
			at,
			shop: emailShopOf(deps.options, origin),
		},
	);
	const { order } = placed;
	await drawGiftCardsForOrder(trx, order.id, view.totals.giftCardDraws, at);
	for (const discount of view.discounts) {
		await insertDiscountUsage(
			trx,
			{ discountId: discount.id, customerKey: customerKey(cart) ?? `email:${cart.email}`, orderId: order.id },
			at,
		);
	}
	if (paid.session && paid.auth) {
		await upsertPaymentSession(
			trx,
			cartId,
			paid.session.provider_id,
			{
				status: paid.auth.status,
				amount: paid.total,
				currency_code: cart.currency_code,
				data: JSON.stringify(paid.auth.data),
				reference: typeof paid.auth.data.id === 'string' ? paid.auth.data.id : paid.session.reference,
			},
			at,
		);
	}
	await markCartCompleted(trx, cartId, at);
	await rollCart(trx, cartId);
	// The order as `findOrderDetail` would read it back after the commit (tests/api/checkout-flow compares the two).
	const giftCardProducts = new Set(view.lines.filter((l) => l.isGiftcard).map((l) => l.productId));
	// The order's billing address is the cart's, or its shipping address when the cart has none.
	const billingAddress =
		order.billingAddressId === shippingAddress?.id
			? shippingAddress
			: view.billingAddress
				? toOrderAddress(view.billingAddress)
				: null;
	return {
		order,
		lines: placed.lines.map((line) => ({ ...line, isGiftcard: giftCardProducts.has(line.productId) })),
		payment: placed.payment,
		discounts: view.discounts.map((d) => ({ discountId: d.id, code: d.code })),
		events: [placed.event],
		shippingAddress,
		billingAddress: order.billingAddressId ? billingAddress : null,
	};
}

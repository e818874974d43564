import type { Kysely } from 'kysely';
import { conflict } from '../../core/errors.ts';
import {
	initialOrderState,
	type Order,
	type OrderAddress,
	type OrderEvent,
	type OrderLine,
	type Payment,
} from '../../core/orders/index.ts';
import { newId } from '../../db/ids.ts';
import { insertOrder, nextDisplayId } from '../../db/repositories/order-repository.ts';
import type { Database } from '../../db/types.ts';
import { rollOrderChange, rollupOrderOf } from '../analytics/rollups.ts';
import { issuePurchasedGiftCards } from '../gift-card-purchases.ts';
import { moveStock } from '../inventory/move-stock.ts';
import { orderWebhookData, queueWebhookEvents } from '../webhooks/webhook-events.ts';
import { type OrderMailContext, queueOrderConfirmation } from './order-emails.ts';

/** One line of an order about to be placed, priced by the server (minor units). */
export type DraftLine = Omit<OrderLine, 'id' | 'orderId' | 'returnedQuantity' | 'metadata'> & {
	metadata?: string | null;
};

/** Everything an order is made of, as checkout priced it inside its transaction. */
export interface OrderDraft {
	cartId: string;
	customerId: string | null;
	email: string;
	regionId: string;
	currencyCode: string;
	taxRate: number;
	totals: Pick<
		Order,
		'subtotal' | 'discountTotal' | 'shippingTotal' | 'shippingTaxTotal' | 'itemTaxTotal' | 'taxTotal' | 'total'
	> & { giftCardTotal?: number };
	shipping: { optionId: string; methodName: string } | null;
	shippingAddress: OrderAddress | null;
	billingAddressId: string | null;
	lines: DraftLine[];
	discounts: { discountId: string; code: string }[];
	/** The authorized payment; null when nothing was owed (total 0). */
	payment: { providerId: string; amountAuthorized: number; captured: boolean; data: Record<string, unknown> } | null;
}

/** What `placeOrder` wrote: the caller answers with it instead of reading the order back. */
export interface PlacedOrder {
	order: Order;
	/** In id order, as the order's reads list them. */
	lines: OrderLine[];
	payment: Payment | null;
	event: OrderEvent;
}

/**
 * Places an order inside the caller's transaction (checkout's, which also consumed the coupon usage and will mark the
 * cart completed): takes stock for every line through `moveStock` (a line that sold out meanwhile refuses the whole
 * order with 409 `insufficient_inventory`), writes the order with its snapshot lines, discount links, payment and
 * `order_placed` event and its analytics rollups, and queues the confirmation email in the same transaction.
 */
export async function placeOrder(
	trx: Kysely<Database>,
	draft: OrderDraft,
	mail: OrderMailContext,
): Promise<PlacedOrder> {
	const at = mail.at;
	const orderId = newId('order');
	// In variant order: two checkouts sharing variants lock their stock rows in the same order and never deadlock.
	for (const line of [...draft.lines].sort((a, b) => a.variantId.localeCompare(b.variantId))) {
		const taken = await moveStock(
			trx,
			{ variantId: line.variantId, delta: -line.quantity, reason: 'order', ref: orderId, actor: 'checkout' },
			at,
		);
		if (!taken.ok) {
			throw conflict(
				`${line.title} (${line.variantTitle}) sold out while you were checking out. Update the cart and try again; you were not charged.`,
				'insufficient_inventory',
			);
		}
	}

	const authorized = draft.payment?.amountAuthorized ?? 0;
	const placed = initialOrderState({
		type: 'place',
		total: draft.totals.total,
		authorized,
		captured: draft.payment?.captured ? authorized : 0,
	});
	if (!placed.ok) throw conflict(placed.reason, placed.code);
	const order: Order = {
		id: orderId,
		displayId: await nextDisplayId(trx),
		cartId: draft.cartId,
		customerId: draft.customerId,
		email: draft.email.toLowerCase(),
		regionId: draft.regionId,
		currencyCode: draft.currencyCode,
		taxRate: draft.taxRate,
		status: placed.next.status,
		paymentStatus: placed.next.paymentStatus,
		fulfillmentStatus: placed.next.fulfillmentStatus,
		...draft.totals,
		giftCardTotal: draft.totals.giftCardTotal ?? 0,
		shippingOptionId: draft.shipping?.optionId ?? null,
		shippingMethodName: draft.shipping?.methodName ?? null,
		shippingAddressId: draft.shippingAddress?.id ?? null,
		billingAddressId: draft.billingAddressId ?? draft.shippingAddress?.id ?? null,
		carrier: null,
		trackingNumber: null,
		canceledAt: null,
		createdAt: at,
		updatedAt: at,
		version: 0,
	};
	const lines: OrderLine[] = draft.lines.map((line) => ({
		...line,
		id: newId('item'),
		orderId,
		returnedQuantity: 0,
		metadata: line.metadata ?? null,
	}));
	const data = draft.payment?.data;
	const payment: Payment | null = draft.payment
		? {
				id: newId('pay'),
				orderId,
				providerId: draft.payment.providerId,
				reference: typeof data?.id === 'string' ? data.id : null,
				currencyCode: draft.currencyCode,
				amount: draft.totals.total,
				amountAuthorized: authorized,
				amountCaptured: placed.next.amountCaptured,
				amountRefunded: 0,
				cardBrand: typeof data?.brand === 'string' ? data.brand : null,
				cardLast4: typeof data?.last4 === 'string' ? data.last4 : null,
				data: draft.payment.data,
				capturedAt: placed.next.amountCaptured > 0 ? at : null,
				canceledAt: null,
				createdAt: at,
				updatedAt: at,
			}
		: null;
	const event: OrderEvent = {
		id: newId('oev'),
		orderId,
		type: placed.event.type,
		data: placed.event.data,
		actor: 'checkout',
		createdAt: at,
	};
	await insertOrder(trx, { order, lines, payment, discounts: draft.discounts, event });
	// The dashboard's rollups change with the order, in its transaction.
	await rollOrderChange(trx, orderId, null, rollupOrderOf(order, payment, lines));
	await queueOrderConfirmation(trx, { order, lines, shippingAddress: draft.shippingAddress }, mail);
	// Gift cards bought with it exist once it is paid: now when placement captured (or nothing was owed).
	if (order.paymentStatus === 'captured' || order.total === 0) await issuePurchasedGiftCards(trx, order, lines, at);
	// The merchant's webhooks, in the same transaction: `order.placed`, and `order.paid` when placement captured.
	const webhookData = orderWebhookData(order, lines, payment);
	await queueWebhookEvents(
		trx,
		placed.next.amountCaptured > 0
			? [
					['order.placed', webhookData],
					['order.paid', { ...webhookData, change: { amount: placed.next.amountCaptured } }],
				]
			: [['order.placed', webhookData]],
		at,
	);
	const byId = [...lines].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return { order, lines: byId, payment, event };
}

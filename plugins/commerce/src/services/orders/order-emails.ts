import type { Kysely } from 'kysely';
import type { Order, OrderAddress, OrderEvent, OrderLine, Payment } from '../../core/orders/index.ts';
import type { Database } from '../../db/types.ts';
import {
	type EmailShop,
	emailImageUrl,
	orderCanceledEmail,
	orderConfirmationEmail,
	orderRefundedEmail,
	orderShippedEmail,
} from '../../email/index.ts';
import type { ShopPaths } from '../../storefront/paths.ts';
import { enqueueEmail } from '../outbox/outbox-email.ts';
import { orderPageUrl } from './order-link.ts';

// Every email an order sends, in one place. Each is rendered from the order as it stands in the transaction that
// changed it and queued in that same transaction (the outbox), so the message exists exactly when the change
// committed: a crash after the commit delays it, never loses it, and a rolled-back change sends nothing. One message
// per order and kind (the dedupe key), so a retried request never mails twice.

/** Where links in order emails point and whose name they carry. */
export interface OrderMailContext {
	/** The shop's origin as the shopper reached it, e.g. `https://shop.example`. */
	origin: string;
	/** The shop's pages (order detail, order lookup), Astro's `base` included. */
	paths: Pick<ShopPaths, 'orders' | 'orderLookup'>;
	shopName: string;
	at: string;
	/** Footer (address, support contact) and colour of every email (`emailShopOf`). */
	shop: EmailShop;
}

// Images are absolute on the shop's public origin (a mail client has no page to resolve `/images/…` against) and
// raster: an SVG is replaced by its PNG rendition from the build, or left out (`emailImageUrl`).
const items = (lines: OrderLine[], origin: string, shop: EmailShop) =>
	lines.map((l) => ({
		title: l.title,
		variantTitle: l.variantTitle,
		quantity: l.quantity,
		unitPrice: l.unitPrice,
		total: l.subtotal,
		imageUrl: emailImageUrl(l.thumbnail, origin, shop.images),
	}));

/** Queues "Order #N confirmed": items, totals, the shipping address and the order link. */
export async function queueOrderConfirmation(
	trx: Kysely<Database>,
	placed: { order: Order; lines: OrderLine[]; shippingAddress: OrderAddress | null },
	mail: OrderMailContext,
): Promise<void> {
	const { order, shippingAddress: address } = placed;
	const message = orderConfirmationEmail({
		displayId: order.displayId,
		email: order.email,
		currency: order.currencyCode,
		items: items(placed.lines, mail.origin, mail.shop),
		subtotal: order.subtotal,
		discountTotal: order.discountTotal,
		shippingTotal: order.shippingTotal,
		taxTotal: order.taxTotal,
		total: order.total,
		giftCardTotal: order.giftCardTotal,
		shippingMethod: order.shippingMethodName,
		shippingAddress: address
			? {
					firstName: address.firstName,
					lastName: address.lastName,
					company: address.company,
					address1: address.address1,
					address2: address.address2,
					city: address.city,
					province: address.province,
					postalCode: address.postalCode,
					countryCode: address.countryCode,
				}
			: null,
		orderUrl: orderPageUrl(order, mail.origin, mail.paths),
		shopName: mail.shopName,
		shop: mail.shop,
	});
	await enqueueEmail(trx, { to: order.email, ...message }, `order_confirmation:${order.id}`, mail.at);
}

/** Queues "Order #N shipped" with carrier, tracking number and what is in the parcel. */
export async function queueOrderShipped(
	trx: Kysely<Database>,
	shipped: { order: Order; lines: OrderLine[] },
	mail: OrderMailContext,
): Promise<void> {
	const { order } = shipped;
	const message = orderShippedEmail({
		displayId: order.displayId,
		email: order.email,
		carrier: order.carrier ?? '',
		trackingNumber: order.trackingNumber ?? '',
		items: shipped.lines.map((l) => ({ title: l.title, variantTitle: l.variantTitle, quantity: l.quantity })),
		orderUrl: orderPageUrl(order, mail.origin, mail.paths),
		shopName: mail.shopName,
		shop: mail.shop,
	});
	await enqueueEmail(trx, { to: order.email, ...message }, `order_shipped:${order.id}`, mail.at);
}

/** Queues "Order #N canceled", saying what happened to the money (refunded to the card, or released). */
export async function queueOrderCanceled(
	trx: Kysely<Database>,
	canceled: { order: Order; lines: OrderLine[]; payment: Payment | null; event: OrderEvent },
	mail: OrderMailContext,
): Promise<void> {
	const { order, payment, event } = canceled;
	const message = orderCanceledEmail({
		displayId: order.displayId,
		email: order.email,
		currency: order.currencyCode,
		items: items(canceled.lines, mail.origin, mail.shop),
		total: order.total,
		refunded: typeof event.data.refunded === 'number' ? event.data.refunded : 0,
		voided: event.data.voided === true,
		cardBrand: payment?.cardBrand,
		cardLast4: payment?.cardLast4,
		orderUrl: orderPageUrl(order, mail.origin, mail.paths),
		shopName: mail.shopName,
		shop: mail.shop,
	});
	await enqueueEmail(trx, { to: order.email, ...message }, `order_canceled:${order.id}`, mail.at);
}

/**
 * Queues "Refund of $X for order #N": what this refund gave back and what is refunded in all. One message per refund
 * event (a second partial refund is a second email).
 */
export async function queueOrderRefunded(
	trx: Kysely<Database>,
	refunded: { order: Order; payment: Payment; event: OrderEvent },
	mail: OrderMailContext,
): Promise<void> {
	const { order, payment, event } = refunded;
	const amount = typeof event.data.amount === 'number' ? event.data.amount : 0;
	if (amount <= 0) return;
	const message = orderRefundedEmail({
		displayId: order.displayId,
		email: order.email,
		currency: order.currencyCode,
		amount,
		refundedTotal: payment.amountRefunded,
		paid: payment.amountCaptured,
		cardBrand: payment.cardBrand,
		cardLast4: payment.cardLast4,
		orderUrl: orderPageUrl(order, mail.origin, mail.paths),
		shopName: mail.shopName,
		shop: mail.shop,
	});
	await enqueueEmail(trx, { to: order.email, ...message }, `order_refunded:${event.id}`, mail.at);
}

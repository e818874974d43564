import { type OrderAddress, type OrderDetail, orderTimeline } from '../../core/orders/index.ts';
import type { RegionOptions } from '../../options.ts';
import { toMedusaRegion } from './medusa-region.ts';
import { absoluteUrl, type Presentation } from './presentation.ts';

/** Medusa's `Address` of an order's copy. */
function toMedusaOrderAddress(address: OrderAddress | null) {
	if (!address) return null;
	return {
		id: address.id,
		customer_id: address.customerId,
		company: address.company,
		first_name: address.firstName,
		last_name: address.lastName,
		address_1: address.address1,
		address_2: address.address2,
		city: address.city,
		country_code: address.countryCode,
		province: address.province,
		postal_code: address.postalCode,
		phone: address.phone,
		metadata: null,
		created_at: address.createdAt,
		updated_at: address.updatedAt,
		deleted_at: null,
	};
}

/** The Medusa v1 `Order` (contract §2) from stored, snapshotted data: nothing here reads the live catalog. */
export function toMedusaOrder(record: OrderDetail, region: RegionOptions | undefined, p: Presentation) {
	const { order, payment } = record;
	const captured = payment?.amountCaptured ?? 0;
	const refunded = payment?.amountRefunded ?? 0;
	const events = record.events.map((e) => ({ type: e.type, data: e.data, created_at: e.createdAt }));
	return {
		id: order.id,
		object: 'order',
		display_id: order.displayId,
		status: order.status,
		payment_status: order.paymentStatus,
		fulfillment_status: order.fulfillmentStatus,
		cart_id: order.cartId,
		customer_id: order.customerId,
		email: order.email,
		region_id: order.regionId,
		region: region ? toMedusaRegion(region, p) : null,
		currency_code: order.currencyCode,
		tax_rate: order.taxRate,
		shipping_address: toMedusaOrderAddress(record.shippingAddress),
		billing_address: toMedusaOrderAddress(record.billingAddress),
		items: record.lines.map((line) => ({
			id: line.id,
			object: 'line_item',
			order_id: order.id,
			cart_id: order.cartId,
			title: line.title,
			description: line.variantTitle,
			thumbnail: absoluteUrl(p, line.thumbnail),
			variant_id: line.variantId,
			product_id: line.productId,
			variant: { id: line.variantId, sku: line.sku, title: line.variantTitle, product_id: line.productId },
			unit_price: line.unitPrice,
			quantity: line.quantity,
			fulfilled_quantity: order.fulfillmentStatus === 'shipped' ? line.quantity : 0,
			shipped_quantity: order.fulfillmentStatus === 'shipped' ? line.quantity : 0,
			returned_quantity: line.returnedQuantity,
			is_return: false,
			is_giftcard: line.isGiftcard === true,
			has_shipping: true,
			includes_tax: false,
			subtotal: line.subtotal,
			discount_total: line.discountTotal,
			tax_total: line.taxTotal,
			total: line.total,
			tax_lines: [{ rate: order.taxRate, name: region?.taxName ?? 'Tax', code: null, item_id: line.id }],
			adjustments: [],
			// The cart line's metadata, kept with the order (migration 0048).
			metadata: line.metadata ? JSON.parse(line.metadata) : {},
			// Order lines are created with the order (the v1 starter sorts items by this).
			created_at: order.createdAt,
			updated_at: order.createdAt,
		})),
		shipping_methods: order.shippingOptionId
			? [
					{
						id: `sm_${order.id}`,
						shipping_option_id: order.shippingOptionId,
						order_id: order.id,
						price: order.shippingTotal,
						shipping_option: { id: order.shippingOptionId, name: order.shippingMethodName },
						subtotal: order.shippingTotal,
						tax_total: order.shippingTaxTotal,
						total: order.shippingTotal + order.shippingTaxTotal,
					},
				]
			: [],
		discounts: record.discounts.map((d) => ({ id: d.discountId, code: d.code })),
		payments: payment
			? [
					{
						id: payment.id,
						order_id: order.id,
						provider_id: payment.providerId,
						amount: payment.amount,
						currency_code: payment.currencyCode,
						amount_refunded: payment.amountRefunded,
						// Brand and last 4 only: the full card never reaches us.
						data: { brand: payment.cardBrand, last4: payment.cardLast4 },
						captured_at: payment.capturedAt,
						canceled_at: payment.canceledAt,
						created_at: payment.createdAt,
						updated_at: payment.updatedAt,
					},
				]
			: [],
		fulfillments: order.trackingNumber
			? [
					{
						id: `ful_${order.id}`,
						tracking_numbers: [order.trackingNumber],
						tracking_links: [{ tracking_number: order.trackingNumber, url: null }],
						data: { carrier: order.carrier },
					},
				]
			: [],
		// Our extensions: the order's history, and the tracking steps derived from it (placed → … → delivered).
		events,
		timeline: orderTimeline(events),
		subtotal: order.subtotal,
		discount_total: order.discountTotal,
		shipping_total: order.shippingTotal,
		tax_total: order.taxTotal,
		gift_card_total: order.giftCardTotal,
		gift_card_tax_total: 0,
		gift_cards: [],
		refunded_total: refunded,
		paid_total: captured,
		refundable_amount: captured - refunded,
		total: order.total,
		canceled_at: order.canceledAt,
		metadata: null,
		created_at: order.createdAt,
		updated_at: order.updatedAt,
	};
}

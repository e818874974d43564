import { orderTimeline } from '../../core/orders/index.ts';
import type { OrderRecord } from '../../db/repositories/order-repository.ts';
import type { RegionOptions } from '../../options.ts';
import { toMedusaAddress } from './medusa-cart.ts';
import { toMedusaRegion } from './medusa-region.ts';

/** The Medusa v1 `Order` (contract §2) from stored, snapshotted data: nothing here reads the live catalog. */
export function toMedusaOrder(record: OrderRecord, region: RegionOptions | undefined) {
	const { order, payment } = record;
	const captured = payment?.amount_captured ?? 0;
	const refunded = payment?.amount_refunded ?? 0;
	const events = record.events.map((e) => ({
		type: e.type,
		data: JSON.parse(e.data) as Record<string, unknown>,
		created_at: e.created_at,
	}));
	return {
		id: order.id,
		object: 'order',
		display_id: order.display_id,
		status: order.status,
		payment_status: order.payment_status,
		fulfillment_status: order.fulfillment_status,
		cart_id: order.cart_id,
		customer_id: order.customer_id,
		email: order.email,
		region_id: order.region_id,
		region: region ? toMedusaRegion(region) : null,
		currency_code: order.currency_code,
		tax_rate: order.tax_rate,
		shipping_address: toMedusaAddress(record.shippingAddress),
		billing_address: toMedusaAddress(record.billingAddress),
		items: record.lines.map((line) => ({
			id: line.id,
			object: 'line_item',
			order_id: order.id,
			cart_id: order.cart_id,
			title: line.title,
			description: line.variant_title,
			thumbnail: line.thumbnail,
			variant_id: line.variant_id,
			product_id: line.product_id,
			variant: { id: line.variant_id, sku: line.sku, title: line.variant_title, product_id: line.product_id },
			unit_price: line.unit_price,
			quantity: line.quantity,
			fulfilled_quantity: order.fulfillment_status === 'shipped' ? line.quantity : 0,
			shipped_quantity: order.fulfillment_status === 'shipped' ? line.quantity : 0,
			returned_quantity: line.returned_quantity,
			is_return: false,
			is_giftcard: false,
			has_shipping: true,
			includes_tax: false,
			subtotal: line.subtotal,
			discount_total: line.discount_total,
			tax_total: line.tax_total,
			total: line.total,
			tax_lines: [{ rate: order.tax_rate, name: region?.taxName ?? 'Tax', code: null, item_id: line.id }],
			adjustments: [],
			metadata: {},
		})),
		shipping_methods: order.shipping_option_id
			? [
					{
						id: `sm_${order.id}`,
						shipping_option_id: order.shipping_option_id,
						order_id: order.id,
						price: order.shipping_total,
						shipping_option: { id: order.shipping_option_id, name: order.shipping_method_name },
						subtotal: order.shipping_total,
						tax_total: order.shipping_tax_total,
						total: order.shipping_total + order.shipping_tax_total,
					},
				]
			: [],
		discounts: record.discounts.map((d) => ({ id: d.discount_id, code: d.code })),
		payments: payment
			? [
					{
						id: payment.id,
						order_id: order.id,
						provider_id: payment.provider_id,
						amount: payment.amount,
						currency_code: payment.currency_code,
						amount_refunded: payment.amount_refunded,
						// Brand and last 4 only: the full card never reaches us.
						data: { brand: payment.card_brand, last4: payment.card_last4 },
						captured_at: payment.captured_at,
						canceled_at: payment.canceled_at,
						created_at: payment.created_at,
						updated_at: payment.updated_at,
					},
				]
			: [],
		fulfillments: order.tracking_number
			? [
					{
						id: `ful_${order.id}`,
						tracking_numbers: [order.tracking_number],
						tracking_links: [{ tracking_number: order.tracking_number, url: null }],
						data: { carrier: order.carrier },
					},
				]
			: [],
		// Our extensions: the order's history, and the tracking steps derived from it (placed → … → delivered).
		events,
		timeline: orderTimeline(events),
		subtotal: order.subtotal,
		discount_total: order.discount_total,
		shipping_total: order.shipping_total,
		tax_total: order.tax_total,
		gift_card_total: 0,
		gift_card_tax_total: 0,
		refunded_total: refunded,
		paid_total: captured,
		refundable_amount: captured - refunded,
		total: order.total,
		canceled_at: order.canceled_at,
		metadata: null,
		created_at: order.created_at,
		updated_at: order.updated_at,
	};
}

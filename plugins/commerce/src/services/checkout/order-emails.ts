import { loadOrder } from '../../db/repositories/order-repository.ts';
import { orderConfirmationEmail } from '../../email/index.ts';
import { logger } from '../../log/logger.ts';
import { orderPageUrl } from '../orders/order-link.ts';
import type { CheckoutDeps } from './checkout-deps.ts';

/**
 * Sends the order confirmation after the order's transaction committed. A mail failure never undoes an order: it is
 * logged for the merchant, and the order page still shows everything.
 */
export async function sendOrderConfirmation(deps: CheckoutDeps, orderId: string, origin: string): Promise<void> {
	const record = await loadOrder(deps.db, orderId);
	if (!record) return;
	const { order, lines, shippingAddress } = record;
	const message = orderConfirmationEmail({
		displayId: order.display_id,
		email: order.email,
		currency: order.currency_code,
		items: lines.map((l) => ({
			title: l.title,
			variantTitle: l.variant_title,
			quantity: l.quantity,
			unitPrice: l.unit_price,
			total: l.subtotal,
		})),
		subtotal: order.subtotal,
		discountTotal: order.discount_total,
		shippingTotal: order.shipping_total,
		taxTotal: order.tax_total,
		total: order.total,
		shippingAddress: shippingAddress
			? {
					firstName: shippingAddress.first_name,
					lastName: shippingAddress.last_name,
					address1: shippingAddress.address_1,
					city: shippingAddress.city,
					postalCode: shippingAddress.postal_code,
					countryCode: shippingAddress.country_code,
				}
			: null,
		orderUrl: orderPageUrl(order, origin),
		shopName: deps.options.storeName,
	});
	try {
		await deps.mailer.send({ to: order.email, ...message });
	} catch (error) {
		logger().error({ err: error }, `[commerce] the confirmation email of order #${order.display_id} could not be sent`);
	}
}

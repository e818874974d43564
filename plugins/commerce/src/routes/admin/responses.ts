import type { LedgerEntry } from '../../core/inventory/stock.ts';
import type { Order, OrderAddress, OrderDetail, OrderLine, Payment } from '../../core/orders/index.ts';
import type { ContactMessage } from '../../db/repositories/contact-repository.ts';
import type { Customer } from '../../db/repositories/customer-repository.ts';
import type { DiscountWithUsage } from '../../db/repositories/discount-repository.ts';
import type { GiftCard, GiftCardUse } from '../../db/repositories/gift-card-repository.ts';

// The admin API's answer shapes: domain objects (camelCase) → the JSON the admin API has always sent (snake_case
// columns, 0/1 flags). Fields are listed one by one, so nothing added to a domain object leaks into an answer.

/** A discount as `GET /discounts` (and the `/coupons` alias) lists it. */
export function toAdminDiscount(d: DiscountWithUsage) {
	return {
		id: d.id,
		code: d.code,
		description: d.description,
		type: d.type,
		value: d.value,
		currency_code: d.currencyCode,
		min_subtotal: d.minSubtotal,
		max_discount_amount: d.maxDiscountAmount,
		starts_at: d.startsAt,
		ends_at: d.endsAt,
		usage_limit: d.usageLimit,
		usage_count: d.usageCount,
		per_customer_limit: d.perCustomerLimit,
		is_disabled: d.isDisabled ? 1 : 0,
		created_at: d.createdAt,
		updated_at: d.updatedAt,
		productIds: d.productIds ?? [],
		categoryIds: d.categoryIds ?? [],
		usedBy: d.usedBy,
	};
}

/** A customer as the admin sees it: never the password hash (the domain object has none), with the order count. */
export function toAdminCustomer(c: Customer, orderCount: number) {
	return {
		id: c.id,
		email: c.email,
		first_name: c.firstName,
		last_name: c.lastName,
		phone: c.phone,
		has_account: c.hasAccount ? 1 : 0,
		role: c.role,
		billing_address_id: c.billingAddressId,
		created_at: c.createdAt,
		updated_at: c.updatedAt,
		orderCount,
	};
}

/** A contact-form message. */
export function toAdminMessage(m: ContactMessage) {
	return {
		id: m.id,
		name: m.name,
		email: m.email,
		subject: m.subject,
		message: m.message,
		customer_id: m.customerId,
		read_at: m.readAt,
		created_at: m.createdAt,
	};
}

/** An order without its lines, as the order list and the `order` of an order's detail show it. */
export const toAdminOrderSummary = (o: Order) => ({
	id: o.id,
	display_id: o.displayId,
	cart_id: o.cartId,
	customer_id: o.customerId,
	email: o.email,
	region_id: o.regionId,
	currency_code: o.currencyCode,
	tax_rate: o.taxRate,
	status: o.status,
	payment_status: o.paymentStatus,
	fulfillment_status: o.fulfillmentStatus,
	subtotal: o.subtotal,
	discount_total: o.discountTotal,
	shipping_total: o.shippingTotal,
	shipping_tax_total: o.shippingTaxTotal,
	item_tax_total: o.itemTaxTotal,
	tax_total: o.taxTotal,
	gift_card_total: o.giftCardTotal,
	total: o.total,
	shipping_option_id: o.shippingOptionId,
	shipping_method_name: o.shippingMethodName,
	shipping_address_id: o.shippingAddressId,
	billing_address_id: o.billingAddressId,
	carrier: o.carrier,
	tracking_number: o.trackingNumber,
	canceled_at: o.canceledAt,
	created_at: o.createdAt,
	updated_at: o.updatedAt,
});

const toAdminLine = (l: OrderLine) => ({
	id: l.id,
	order_id: l.orderId,
	variant_id: l.variantId,
	product_id: l.productId,
	sku: l.sku,
	title: l.title,
	variant_title: l.variantTitle,
	thumbnail: l.thumbnail,
	unit_price: l.unitPrice,
	quantity: l.quantity,
	subtotal: l.subtotal,
	discount_total: l.discountTotal,
	tax_total: l.taxTotal,
	total: l.total,
	returned_quantity: l.returnedQuantity,
});

const toAdminPayment = (p: Payment) => ({
	id: p.id,
	order_id: p.orderId,
	provider_id: p.providerId,
	reference: p.reference,
	currency_code: p.currencyCode,
	amount: p.amount,
	amount_authorized: p.amountAuthorized,
	amount_captured: p.amountCaptured,
	amount_refunded: p.amountRefunded,
	card_brand: p.cardBrand,
	card_last4: p.cardLast4,
	data: p.data,
	captured_at: p.capturedAt,
	canceled_at: p.canceledAt,
	created_at: p.createdAt,
	updated_at: p.updatedAt,
});

const toAdminAddress = (a: OrderAddress | null) =>
	a && {
		id: a.id,
		customer_id: a.customerId,
		company: a.company,
		first_name: a.firstName,
		last_name: a.lastName,
		address_1: a.address1,
		address_2: a.address2,
		city: a.city,
		country_code: a.countryCode,
		province: a.province,
		postal_code: a.postalCode,
		phone: a.phone,
		created_at: a.createdAt,
		updated_at: a.updatedAt,
	};

/** `{ order, lines, payment, discounts, events, shippingAddress, billingAddress }`. */
export const toAdminOrder = (d: OrderDetail) => ({
	order: toAdminOrderSummary(d.order),
	lines: d.lines.map(toAdminLine),
	payment: d.payment && toAdminPayment(d.payment),
	discounts: d.discounts.map((x) => ({ discount_id: x.discountId, code: x.code })),
	events: d.events.map((e) => ({ id: e.id, type: e.type, data: e.data, actor: e.actor, created_at: e.createdAt })),
	shippingAddress: toAdminAddress(d.shippingAddress),
	billingAddress: toAdminAddress(d.billingAddress),
});

/** A stock ledger row (a movement with the quantity it left). */
export const toAdminLedgerEntry = (e: LedgerEntry) => ({
	id: e.id,
	variant_id: e.variantId,
	delta: e.delta,
	quantity_after: e.quantityAfter,
	reason: e.reason,
	reference_id: e.referenceId,
	actor: e.actor,
	note: e.note,
	created_at: e.createdAt,
});

/** A gift card with what it has paid for: balance = value − Σ draws + Σ restores. */
export const toAdminGiftCard = (card: GiftCard, uses?: GiftCardUse[]) => ({
	id: card.id,
	code: card.code,
	value: card.value,
	balance: card.balance,
	currency_code: card.currencyCode,
	is_disabled: card.isDisabled,
	ends_at: card.endsAt,
	note: card.note,
	created_by: card.createdBy,
	/** The order that bought it (a gift-card product); null when issued in the admin. */
	order_id: card.orderId,
	created_at: card.createdAt,
	updated_at: card.updatedAt,
	...(uses
		? {
				usage: uses.map((u) => ({
					order_id: u.orderId,
					display_id: u.displayId,
					amount: u.amount,
					created_at: u.createdAt,
				})),
			}
		: {}),
});

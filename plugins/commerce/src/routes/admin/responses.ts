import type { ContactMessage } from '../../db/repositories/contact-repository.ts';
import type { Customer } from '../../db/repositories/customer-repository.ts';
import type { DiscountWithUsage } from '../../db/repositories/discount-repository.ts';

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

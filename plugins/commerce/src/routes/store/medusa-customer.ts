import type { CustomerView } from '../../services/customers/account-service.ts';
import { toMedusaAddress } from './medusa-cart.ts';

/**
 * The Medusa v1 `Customer` (contract §2): profile, `billing_address`, `shipping_addresses` (the saved addresses) and,
 * on auth answers, `orders`. Fields are listed one by one, so the password hash (or any column added later) cannot
 * slip into a response.
 */
export function toMedusaCustomer(view: CustomerView, orders?: unknown[]) {
	const { customer } = view;
	return {
		id: customer.id,
		email: customer.email,
		first_name: customer.firstName,
		last_name: customer.lastName,
		phone: customer.phone,
		has_account: customer.hasAccount,
		billing_address_id: customer.billingAddressId,
		billing_address: toMedusaAddress(view.billingAddress),
		shipping_addresses: view.shippingAddresses.map((a) => toMedusaAddress(a)),
		metadata: null,
		created_at: customer.createdAt,
		updated_at: customer.updatedAt,
		deleted_at: null,
		...(orders ? { orders } : {}),
	};
}

import { notAllowed, notFound, unauthorized } from '../../core/errors.ts';
import type { OrderAddress } from '../../core/orders/index.ts';
import type { CommerceDb } from '../../db/client.ts';
import {
	type Customer,
	findCustomerById,
	listCustomerAddresses,
	listOrdersOfCustomer,
} from '../../db/repositories/customer-repository.ts';
import { findOrderDetail } from '../../db/repositories/order-repository.ts';
import { type ErasureCounts, eraseCustomerRows, listMessagesOf } from '../../db/repositories/privacy-repository.ts';
import { listCustomerSessions } from '../../db/repositories/session-repository.ts';
import { listWishlist } from '../../db/repositories/wishlist-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { accountErasedEmail, type Mailer } from '../../email/index.ts';
import { logger } from '../../log/logger.ts';
import type { ResolvedOptions } from '../../options.ts';
import { emailShopOf } from '../email-shop.ts';
import { anonymiseOrders } from '../orders/anonymise-orders.ts';
import { orderWebhookData } from '../webhooks/webhook-events.ts';
import { authenticate } from './account-service.ts';

// GDPR: a customer's data as one JSON document (right of access, Art. 15/20), and erasure (Art. 17) of the account
// with anonymisation of the orders that accounting law requires us to keep. Shoppers do both from their account
// (erasure needs the current password); admins do both on request from the admin API.

const address = (a: OrderAddress | null) =>
	a && {
		first_name: a.firstName,
		last_name: a.lastName,
		company: a.company,
		address_1: a.address1,
		address_2: a.address2,
		city: a.city,
		province: a.province,
		postal_code: a.postalCode,
		country_code: a.countryCode,
		phone: a.phone,
	};

/** Everything stored about the customer, as JSON with Medusa's field names. */
export async function exportCustomerData(db: CommerceDb, customerId: string): Promise<Record<string, unknown>> {
	const customer = await findCustomerById(db, customerId);
	if (!customer) throw notFound(`Customer with id ${customerId} was not found`);
	const [addresses, orders, wishlist, messages, sessions] = await Promise.all([
		listCustomerAddresses(db, customer.id),
		listOrdersOfCustomer(db, customer),
		listWishlist(db, customer.id),
		listMessagesOf(db, customer),
		listCustomerSessions(db, customer.id),
	]);
	const details = (await Promise.all(orders.map((o) => findOrderDetail(db, o.id)))).flatMap((d) => (d ? [d] : []));
	return {
		exported_at: new Date().toISOString(),
		format: 'frostbuy-customer-export/1',
		customer: {
			id: customer.id,
			email: customer.email,
			first_name: customer.firstName,
			last_name: customer.lastName,
			phone: customer.phone,
			has_account: customer.hasAccount,
			created_at: customer.createdAt,
			updated_at: customer.updatedAt,
		},
		addresses: addresses.map((a) => ({
			id: a.id,
			first_name: a.first_name,
			last_name: a.last_name,
			company: a.company,
			address_1: a.address_1,
			address_2: a.address_2,
			city: a.city,
			province: a.province,
			postal_code: a.postal_code,
			country_code: a.country_code,
			phone: a.phone,
			created_at: a.created_at,
		})),
		orders: details.map((d) => ({
			...orderWebhookData(d.order, d.lines, d.payment),
			shipping_address: address(d.shippingAddress),
			billing_address: address(d.billingAddress),
			discounts: d.discounts.map((x) => x.code),
			payment: d.payment && {
				provider_id: d.payment.providerId,
				amount: d.payment.amount,
				card_brand: d.payment.cardBrand,
				card_last4: d.payment.cardLast4,
				created_at: d.payment.createdAt,
			},
			history: d.events.map((e) => ({ type: e.type, created_at: e.createdAt })),
		})),
		wishlist: wishlist.map((w) => ({
			variant_id: w.variant_id,
			product_handle: w.handle,
			title: w.title,
			variant_title: w.variant_title,
			added_at: w.created_at,
		})),
		messages: messages.map((m) => ({
			id: m.id,
			name: m.name,
			email: m.email,
			subject: m.subject,
			message: m.message,
			created_at: m.createdAt,
		})),
		sessions: sessions.map((s) => ({ kind: s.kind, expires_at: s.expiresAt })),
		// What the shop records about consent: no marketing list exists, and analytics events carry no personal data
		// (a random per-visit id, no IP, no email), honouring DNT and Sec-GPC.
		consent: {
			marketing_emails: false,
			transactional_emails: 'sent for orders and account security (contract)',
			analytics: 'anonymous, no personal data; Do-Not-Track and Global Privacy Control honoured',
		},
	};
}

export interface ErasureDeps {
	db: CommerceDb;
	mailer: Mailer;
	options: ResolvedOptions;
}

/**
 * Erases a customer (see `eraseCustomerRows`) in one transaction and emails the confirmation to the address that was
 * erased (sent directly, never stored: the address must not outlive the account in the outbox). Staff and admin
 * accounts are refused: demote them first, so the admin is never left without an owner by accident.
 */
export async function eraseCustomer(deps: ErasureDeps, customerId: string): Promise<ErasureCounts> {
	const customer = await findCustomerById(deps.db, customerId);
	if (!customer) throw notFound(`Customer with id ${customerId} was not found`);
	return eraseFound(deps, customer);
}

/** The shopper's own erasure: their current password proves it is them (a stolen session alone cannot erase). */
export async function eraseOwnAccount(deps: ErasureDeps, customer: Customer, password: string): Promise<ErasureCounts> {
	const checked = await authenticate(deps.db, customer.email, password);
	if (!checked || checked.id !== customer.id)
		throw unauthorized(
			'The password is not correct. Enter your current password to delete your account.',
			'invalid_password',
		);
	return eraseFound(deps, customer);
}

async function eraseFound(deps: ErasureDeps, customer: Customer): Promise<ErasureCounts> {
	if (customer.role !== 'customer')
		throw notAllowed(
			'Staff and admin accounts cannot be erased this way. Change the role to customer first (commerce admin:create manages staff).',
			'staff_account',
		);
	const at = new Date().toISOString();
	const counts = await writeTransaction(deps.db, async (trx) => {
		const erased = await eraseCustomerRows(trx, customer, at);
		await anonymiseOrders(trx, erased.orderIds, at);
		return erased;
	});
	logger().info(
		`[commerce] customer ${customer.id} erased: ${counts.ordersAnonymised} orders anonymised, ${counts.addressesErased} addresses, ${counts.messagesDeleted} messages, ${counts.sessionsEnded} sessions`,
	);
	const message = accountErasedEmail({
		shopName: deps.options.storeName,
		shop: emailShopOf(deps.options),
		firstName: customer.firstName,
		ordersKept: counts.ordersAnonymised,
	});
	deps.mailer
		.send({ to: customer.email, ...message })
		.catch((error: unknown) =>
			logger().error({ err: error }, '[commerce] the account deletion email could not be sent'),
		);
	return counts;
}

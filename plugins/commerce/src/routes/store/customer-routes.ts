import {
	passwordAttempts,
	requireCustomer,
	resetMailRequests,
	resetTokenAttempts,
	signIn,
	signOut,
	takeRegistration,
} from '../../auth/index.ts';
import { unauthorized } from '../../core/errors.ts';
import { defineRoute, type Route } from '../../http/router.ts';
import { logger } from '../../log/logger.ts';
import {
	addAddress,
	deleteAddress,
	listOwnOrderIds,
	registerCustomer,
	updateAddress,
	updateProfile,
} from '../../services/customers/account-service.ts';
import { adoptGuestCart } from '../../services/customers/cart-merge.ts';
import { requestPasswordReset, resetPassword } from '../../services/customers/password-reset.ts';
import { eraseOwnAccount, exportCustomerData } from '../../services/customers/privacy.ts';
import { addressFields } from './cart-validators.ts';
import { accountDeps, customerBody, medusaOrders } from './customer-responses.ts';
import {
	addressCreateBody,
	addressUpdateBody,
	deleteAccountBody,
	listOrdersQuery,
	passwordResetBody,
	passwordTokenBody,
	registerBody,
	updateCustomerBody,
} from './customer-validators.ts';

/**
 * Customers (contract §3.8). Every `/customers/me…` route acts on the caller's own customer only (the id comes from the
 * session, never from the request): `requireCustomer` is their `before` step, so an anonymous caller gets 401 before
 * anything is validated. None is idempotent-replayed: answers belong to one session.
 */
export const customerRoutes: Route[] = [
	defineRoute({
		method: 'POST',
		path: '/customers',
		idempotent: false,
		sameOrigin: true,
		body: registerBody,
		// Register: logs in (new session id) and merges the guest cart like a login; `cart_id` is our extension.
		handler: async (ctx) => {
			const body = ctx.body;
			await takeRegistration(ctx.clientAddress);
			const customer = await registerCustomer(accountDeps(ctx), {
				email: body.email,
				password: body.password,
				firstName: body.first_name,
				lastName: body.last_name,
				phone: body.phone,
			});
			await signIn(ctx, customer);
			const cartId = await adoptGuestCart({ db: ctx.runtime.db, options: ctx.runtime.options }, customer, body.cart_id);
			return { customer: await customerBody(ctx, customer.id, true), cart_id: cartId };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/customers/me',
		idempotent: false,
		before: requireCustomer,
		handler: async (ctx) => ({ customer: await customerBody(ctx, ctx.auth.customer.id) }),
	}),
	defineRoute({
		method: 'GET',
		path: '/customers/me/export',
		idempotent: false,
		before: requireCustomer,
		// GDPR access/portability: everything stored about the caller as one JSON document (a download).
		handler: async (ctx) =>
			new Response(JSON.stringify(await exportCustomerData(ctx.runtime.db, ctx.auth.customer.id), null, 2), {
				headers: {
					'Content-Type': 'application/json; charset=utf-8',
					'Content-Disposition': 'attachment; filename="my-data.json"',
					'Cache-Control': 'no-store',
				},
			}),
	}),
	defineRoute({
		method: 'DELETE',
		path: '/customers/me',
		idempotent: false,
		before: requireCustomer,
		body: deleteAccountBody,
		// GDPR erasure: the current password is required; orders are kept anonymised, every session ends.
		handler: async (ctx) => {
			const erased = await eraseOwnAccount(accountDeps(ctx), ctx.auth.customer, ctx.body.password);
			await signOut(ctx);
			return {
				id: ctx.auth.customer.id,
				object: 'customer',
				deleted: true,
				orders_anonymized: erased.ordersAnonymised,
			};
		},
	}),
	defineRoute({
		method: 'POST',
		path: '/customers/me',
		idempotent: false,
		before: requireCustomer,
		body: updateCustomerBody,
		// Profile; `email`/`password` need `old_password` and end every other session (a cookie caller gets a new id).
		handler: async (ctx) => {
			const { auth, body } = ctx;
			const { customer, credentialsChanged } = await updateProfile(
				accountDeps(ctx),
				auth,
				{
					firstName: body.first_name,
					lastName: body.last_name,
					phone: body.phone,
					email: body.email,
					password: body.password,
					oldPassword: body.old_password,
					billingAddress:
						typeof body.billing_address === 'string' ? body.billing_address : addressFields(body.billing_address),
				},
				{ clientAddress: ctx.clientAddress, origin: ctx.shopOrigin },
			);
			if (credentialsChanged && auth.session.kind === 'cookie') await signIn(ctx, customer);
			return { customer: await customerBody(ctx, customer.id) };
		},
	}),
	defineRoute({
		method: 'POST',
		path: '/customers/me/addresses',
		idempotent: false,
		before: requireCustomer,
		body: addressCreateBody,
		handler: async (ctx) => {
			const id = ctx.auth.customer.id;
			await addAddress(accountDeps(ctx), id, addressFields(ctx.body.address) ?? {});
			return { customer: await customerBody(ctx, id) };
		},
	}),
	defineRoute({
		method: 'POST',
		path: '/customers/me/addresses/:address_id',
		idempotent: false,
		before: requireCustomer,
		body: addressUpdateBody,
		handler: async (ctx) => {
			const id = ctx.auth.customer.id;
			await updateAddress(accountDeps(ctx), id, ctx.params.address_id, addressFields(ctx.body) ?? {});
			return { customer: await customerBody(ctx, id) };
		},
	}),
	defineRoute({
		method: 'DELETE',
		path: '/customers/me/addresses/:address_id',
		idempotent: false,
		before: requireCustomer,
		handler: async (ctx) => {
			const id = ctx.auth.customer.id;
			await deleteAddress(accountDeps(ctx), id, ctx.params.address_id);
			return { customer: await customerBody(ctx, id) };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/customers/me/orders',
		idempotent: false,
		before: requireCustomer,
		query: listOrdersQuery,
		// Always filtered to the caller's customer id; newest first.
		handler: async (ctx) => {
			const { query } = ctx;
			const { ids, count } = await listOwnOrderIds(ctx.runtime.db, ctx.auth.customer.id, {
				limit: query.limit,
				offset: query.offset,
				status: query.status,
				paymentStatus: query.payment_status,
				fulfillmentStatus: query.fulfillment_status,
			});
			return { orders: await medusaOrders(ctx, ids), count, offset: query.offset, limit: query.limit };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/customers/me/payment-methods',
		idempotent: false,
		before: requireCustomer,
		// No saved cards: payment details never stay with us.
		handler: async () => ({ payment_methods: [] }),
	}),
	defineRoute({
		method: 'POST',
		path: '/customers/password-token',
		idempotent: false,
		body: passwordTokenBody,
		// Always 204 (unknown emails are silently ignored); the work and the email happen after the answer, so its
		// timing is the same for every address. Limited per address and per client (429 + Retry-After).
		handler: async (ctx) => {
			await resetMailRequests.take(ctx.clientAddress, ctx.body.email);
			requestPasswordReset(accountDeps(ctx), ctx.body.email, ctx.shopOrigin).catch((error: unknown) =>
				logger().error({ err: error }, '[commerce] a password reset request failed'),
			);
			return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
		},
	}),
	defineRoute({
		method: 'POST',
		path: '/customers/password-reset',
		idempotent: false,
		body: passwordResetBody,
		// Does not log in (Medusa semantics); every session of the customer ends, and the account is told by email.
		handler: async (ctx) => {
			await resetTokenAttempts.assertAllowed(ctx.clientAddress);
			const customer = await resetPassword(accountDeps(ctx), ctx.body, ctx.shopOrigin);
			if (!customer) {
				await resetTokenAttempts.failed(ctx.clientAddress);
				throw unauthorized('Invalid or expired password reset token');
			}
			// Proving the mailbox clears the sign-in lock of the account.
			await passwordAttempts.succeeded(ctx.clientAddress, customer.email);
			return { customer: await customerBody(ctx, customer.id) };
		},
	}),
];

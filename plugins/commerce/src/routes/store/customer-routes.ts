import {
	passwordAttempts,
	requireCustomer,
	resetMailRequests,
	resetTokenAttempts,
	signIn,
	takeRegistration,
} from '../../auth/index.ts';
import { listCustomerOrderIds } from '../../db/repositories/customer-repository.ts';
import { parseInput } from '../../http/request.ts';
import type { Route } from '../../http/router.ts';
import { StoreError } from '../../http/store-error.ts';
import { logger } from '../../log/logger.ts';
import {
	addAddress,
	deleteAddress,
	registerCustomer,
	updateAddress,
	updateProfile,
} from '../../services/customers/account-service.ts';
import { adoptGuestCart } from '../../services/customers/cart-merge.ts';
import { requestPasswordReset, resetPassword } from '../../services/customers/password-reset.ts';
import { addressFields } from './cart-validators.ts';
import { accountDeps, customerBody, medusaOrders } from './customer-responses.ts';
import {
	addressCreateBody,
	addressUpdateBody,
	listOrdersQuery,
	passwordResetBody,
	passwordTokenBody,
	registerBody,
	updateCustomerBody,
} from './customer-validators.ts';

/**
 * Customers (contract §3.8). Every `/customers/me…` route acts on the caller's own customer only (the id comes from the
 * session, never from the request). None is idempotent-replayed: answers belong to one session.
 */
export const customerRoutes: Route[] = [
	{
		method: 'POST',
		path: '/customers',
		idempotent: false,
		sameOrigin: true,
		// Register: logs in (new session id) and merges the guest cart like a login; `cart_id` is our extension.
		handler: async (ctx) => {
			const body = parseInput(registerBody, await ctx.body());
			takeRegistration(ctx.clientAddress);
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
	},
	{
		method: 'GET',
		path: '/customers/me',
		idempotent: false,
		handler: async (ctx) => ({ customer: await customerBody(ctx, (await requireCustomer(ctx)).customer.id) }),
	},
	{
		method: 'POST',
		path: '/customers/me',
		idempotent: false,
		// Profile; `email`/`password` need `old_password` and end every other session (a cookie caller gets a new id).
		handler: async (ctx) => {
			const auth = await requireCustomer(ctx);
			const body = parseInput(updateCustomerBody, await ctx.body());
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
				{ clientAddress: ctx.clientAddress, origin: ctx.url.origin },
			);
			if (credentialsChanged && auth.session.kind === 'cookie') await signIn(ctx, customer);
			return { customer: await customerBody(ctx, customer.id) };
		},
	},
	{
		method: 'POST',
		path: '/customers/me/addresses',
		idempotent: false,
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			const body = parseInput(addressCreateBody, await ctx.body());
			await addAddress(accountDeps(ctx), customer.id, addressFields(body.address)!);
			return { customer: await customerBody(ctx, customer.id) };
		},
	},
	{
		method: 'POST',
		path: '/customers/me/addresses/:address_id',
		idempotent: false,
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			const body = parseInput(addressUpdateBody, await ctx.body());
			await updateAddress(accountDeps(ctx), customer.id, ctx.params.address_id, addressFields(body) ?? {});
			return { customer: await customerBody(ctx, customer.id) };
		},
	},
	{
		method: 'DELETE',
		path: '/customers/me/addresses/:address_id',
		idempotent: false,
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			await deleteAddress(accountDeps(ctx), customer.id, ctx.params.address_id);
			return { customer: await customerBody(ctx, customer.id) };
		},
	},
	{
		method: 'GET',
		path: '/customers/me/orders',
		idempotent: false,
		// Always filtered to the caller's customer id; newest first.
		handler: async (ctx) => {
			const { customer } = await requireCustomer(ctx);
			const query = parseInput(listOrdersQuery, ctx.query);
			const { ids, count } = await listCustomerOrderIds(ctx.runtime.db, customer.id, {
				limit: query.limit,
				offset: query.offset,
				status: query.status,
				paymentStatus: query.payment_status,
				fulfillmentStatus: query.fulfillment_status,
			});
			return { orders: await medusaOrders(ctx, ids), count, offset: query.offset, limit: query.limit };
		},
	},
	{
		method: 'GET',
		path: '/customers/me/payment-methods',
		idempotent: false,
		// No saved cards: payment details never stay with us.
		handler: async (ctx) => {
			await requireCustomer(ctx);
			return { payment_methods: [] };
		},
	},
	{
		method: 'POST',
		path: '/customers/password-token',
		idempotent: false,
		// Always 204 (unknown emails are silently ignored); the work and the email happen after the answer, so its
		// timing is the same for every address. Limited per address and per client (429 + Retry-After).
		handler: async (ctx) => {
			const body = parseInput(passwordTokenBody, await ctx.body());
			resetMailRequests.take(ctx.clientAddress, body.email);
			requestPasswordReset(accountDeps(ctx), body.email, ctx.url.origin).catch((error: unknown) =>
				logger().error({ err: error }, '[commerce] a password reset request failed'),
			);
			return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
		},
	},
	{
		method: 'POST',
		path: '/customers/password-reset',
		idempotent: false,
		// Does not log in (Medusa semantics); every session of the customer ends, and the account is told by email.
		handler: async (ctx) => {
			const body = parseInput(passwordResetBody, await ctx.body());
			resetTokenAttempts.assertAllowed(ctx.clientAddress);
			const customer = await resetPassword(accountDeps(ctx), body, ctx.url.origin);
			if (!customer) {
				resetTokenAttempts.failed(ctx.clientAddress);
				throw new StoreError('unauthorized', 'Invalid or expired password reset token');
			}
			// Proving the mailbox clears the sign-in lock of the account.
			passwordAttempts.succeeded(customer.email);
			return { customer: await customerBody(ctx, customer.id) };
		},
	},
];

import { issueBearerToken, passwordAttempts, requireCustomer, signIn, signOut } from '../../auth/index.ts';
import { unauthorized } from '../../core/errors.ts';
import type { Customer } from '../../db/repositories/customer-repository.ts';
import { defineRoute, type RequestContext, type Route } from '../../http/router.ts';
import { authenticate, notePasswordProof } from '../../services/customers/account-service.ts';
import { adoptGuestCart } from '../../services/customers/cart-merge.ts';
import { customerBody } from './customer-responses.ts';
import { credentialsBody } from './customer-validators.ts';

/** The one answer for every failed login: it never says which part was wrong or whether the account exists. */
export const LOGIN_FAILED = 'Email or password is incorrect.';

/**
 * Checks email and password under the sign-in limits (per account and per client address, exponential backoff,
 * 429 + Retry-After), counting failures and forgetting them on success.
 */
async function checkCredentials(ctx: RequestContext, email: string, password: string): Promise<Customer> {
	await passwordAttempts.assertAllowed(ctx.clientAddress, email);
	const customer = await authenticate(ctx.runtime.db, email, password);
	if (!customer) {
		await passwordAttempts.failed(ctx.clientAddress, email);
		throw unauthorized(LOGIN_FAILED);
	}
	await passwordAttempts.succeeded(ctx.clientAddress, email);
	// A storefront may now change the password with `{ password }` alone for a few minutes (account-service).
	await notePasswordProof({ db: ctx.runtime.db }, customer.id, ctx.clientAddress);
	return customer;
}

/** Auth (contract §3.7). Never idempotent-replayed: each answer belongs to the session it creates or reads. */
export const authRoutes: Route[] = [
	defineRoute({
		method: 'POST',
		path: '/auth',
		idempotent: false,
		sameOrigin: true,
		body: credentialsBody,
		// Login: a new session id (the old cookie's session ends), the guest cart merged; `cart_id` is our extension.
		handler: async (ctx) => {
			const body = ctx.body;
			const customer = await checkCredentials(ctx, body.email, body.password);
			await signIn(ctx, customer);
			const cartId = await adoptGuestCart({ db: ctx.runtime.db, options: ctx.runtime.options }, customer, body.cart_id);
			return { customer: await customerBody(ctx, customer.id, true), cart_id: cartId };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/auth',
		idempotent: false,
		before: requireCustomer,
		handler: async (ctx) => ({ customer: await customerBody(ctx, ctx.auth.customer.id, true) }),
	}),
	defineRoute({
		method: 'DELETE',
		path: '/auth',
		idempotent: false,
		// Logout ends the cookie session and the bearer token the request carries; answering 200 with or without one.
		handler: async (ctx) => {
			await signOut(ctx);
			return {};
		},
	}),
	defineRoute({
		method: 'POST',
		path: '/auth/token',
		idempotent: false,
		sameOrigin: true,
		body: credentialsBody,
		// A revocable, server-side token (24 h), not Medusa's 30-day JWT: logout with it or a credential change ends it.
		handler: async (ctx) => {
			const customer = await checkCredentials(ctx, ctx.body.email, ctx.body.password);
			return { access_token: await issueBearerToken(ctx.runtime.db, customer.id) };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/auth/:email',
		// Contract §5: the answer is the same for every address, so it cannot be used to find accounts.
		handler: async () => ({ exists: false }),
	}),
];

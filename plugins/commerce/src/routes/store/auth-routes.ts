import {
	type CustomerRecord,
	issueBearerToken,
	passwordAttempts,
	requireCustomer,
	signIn,
	signOut,
} from '../../auth/index.ts';
import { parseInput } from '../../http/request.ts';
import type { HandlerContext, Route } from '../../http/router.ts';
import { StoreError } from '../../http/store-error.ts';
import { authenticate } from '../../services/customers/account-service.ts';
import { adoptGuestCart } from '../../services/customers/cart-merge.ts';
import { customerBody } from './customer-responses.ts';
import { credentialsBody } from './customer-validators.ts';

/** The one answer for every failed login: it never says which part was wrong or whether the account exists. */
export const LOGIN_FAILED = 'Email or password is incorrect.';

/**
 * Checks email and password under the sign-in limits (per account and per client address, exponential backoff,
 * 429 + Retry-After), counting failures and forgetting them on success.
 */
async function checkCredentials(ctx: HandlerContext, email: string, password: string): Promise<CustomerRecord> {
	passwordAttempts.assertAllowed(ctx.clientAddress, email);
	const customer = await authenticate(ctx.runtime.db, email, password);
	if (!customer) {
		passwordAttempts.failed(ctx.clientAddress, email);
		throw new StoreError('unauthorized', LOGIN_FAILED);
	}
	passwordAttempts.succeeded(email);
	return customer;
}

/** Auth (contract §3.7). Never idempotent-replayed: each answer belongs to the session it creates or reads. */
export const authRoutes: Route[] = [
	{
		method: 'POST',
		path: '/auth',
		idempotent: false,
		sameOrigin: true,
		// Login: a new session id (the old cookie's session ends), the guest cart merged; `cart_id` is our extension.
		handler: async (ctx) => {
			const body = parseInput(credentialsBody, await ctx.body());
			const customer = await checkCredentials(ctx, body.email, body.password);
			await signIn(ctx, customer);
			const cartId = await adoptGuestCart({ db: ctx.runtime.db, options: ctx.runtime.options }, customer, body.cart_id);
			return { customer: await customerBody(ctx, customer.id, true), cart_id: cartId };
		},
	},
	{
		method: 'GET',
		path: '/auth',
		idempotent: false,
		handler: async (ctx) => ({ customer: await customerBody(ctx, (await requireCustomer(ctx)).customer.id, true) }),
	},
	{
		method: 'DELETE',
		path: '/auth',
		idempotent: false,
		// Logout ends the cookie session and the bearer token the request carries; answering 200 with or without one.
		handler: async (ctx) => {
			await signOut(ctx);
			return {};
		},
	},
	{
		method: 'POST',
		path: '/auth/token',
		idempotent: false,
		sameOrigin: true,
		// A revocable, server-side token (24 h), not Medusa's 30-day JWT: logout with it or a credential change ends it.
		handler: async (ctx) => {
			const body = parseInput(credentialsBody, await ctx.body());
			const customer = await checkCredentials(ctx, body.email, body.password);
			return { access_token: await issueBearerToken(ctx.runtime.db, customer.id) };
		},
	},
	{
		method: 'GET',
		path: '/auth/:email',
		// Contract §5: the answer is the same for every address, so it cannot be used to find accounts.
		handler: async () => ({ exists: false }),
	},
];

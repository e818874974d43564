import { z } from 'zod';
import { visitIdFromRequest } from '../../core/analytics/events.ts';
import { json } from '../../http/respond.ts';
import { defineRoute, type RequestContext, type Route } from '../../http/router.ts';
import { stripePublishableKey } from '../../payments/index.ts';
import type { CheckoutDeps } from '../../services/checkout/checkout-deps.ts';
import { completeCart } from '../../services/checkout/complete-cart.ts';
import { grantOrderAccess, ORDER_ACCESS_COOKIE } from '../../services/checkout/order-access.ts';
import {
	createPaymentSessions,
	deletePaymentSession,
	refreshPaymentSessions,
	selectPaymentSession,
	updatePaymentSession,
} from '../../services/checkout/payment-sessions.ts';
import { getOrderDetail } from '../../services/orders/order-queries.ts';
import { findRegion } from '../../services/regions.ts';
import { readCookie } from './cookies.ts';
import { toMedusaCart } from './medusa-cart.ts';
import { toMedusaOrder } from './medusa-order.ts';
import { presentation } from './presentation.ts';

export const checkoutDeps = (ctx: RequestContext): CheckoutDeps => ({
	db: ctx.runtime.db,
	options: ctx.runtime.options,
	payments: ctx.runtime.payments,
	outbox: ctx.runtime.outbox,
	secret: ctx.runtime.secret,
});

const selectBody = z.object({ provider_id: z.string({ required_error: 'provider_id is required' }).min(1).max(40) });
// Card fields are passed to the provider and never stored; size-limited like every body field.
const updateSessionBody = z.object({
	data: z
		.record(z.unknown())
		.refine((d) => JSON.stringify(d).length <= 1024, 'data must be at most 1 KB')
		.default({}),
});

const TEST_CARDS = [
	{ number: '4242 4242 4242 4242', label: 'Succeeds' },
	{ number: '4000 0000 0000 9995', label: 'Declined: insufficient funds' },
	{ number: '4000 0000 0000 0002', label: 'Declined: generic decline' },
	{ number: '4000 0000 0000 0069', label: 'Declined: expired card' },
	{ number: '4000 0025 0000 3155', label: 'Asks for an extra confirmation step' },
];

/** Payment sessions and completion (contract §3.3, §4.7–4.9). */
export const checkoutRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/payment-config',
		// Our extension: what the checkout page needs to render payment (never a secret key).
		handler: async ({ runtime }) => ({
			providers: [...runtime.payments.values()].map((p) =>
				p.id === 'stripe'
					? { id: 'stripe', publishable_key: stripePublishableKey(process.env) }
					: p.id === 'test'
						? { id: p.id, test_mode: true, test_cards: TEST_CARDS }
						: { id: p.id },
			),
		}),
	}),
	defineRoute({
		method: 'POST',
		path: '/carts/:id/payment-sessions',
		handler: async (ctx) => ({
			cart: toMedusaCart(await createPaymentSessions(checkoutDeps(ctx), ctx.params.id), presentation(ctx)),
		}),
	}),
	defineRoute({
		method: 'POST',
		path: '/carts/:id/payment-session',
		body: selectBody,
		handler: async (ctx) => ({
			cart: toMedusaCart(
				await selectPaymentSession(checkoutDeps(ctx), ctx.params.id, ctx.body.provider_id),
				presentation(ctx),
			),
		}),
	}),
	defineRoute({
		method: 'POST',
		path: '/carts/:id/payment-sessions/:provider_id',
		body: updateSessionBody,
		handler: async (ctx) => ({
			cart: toMedusaCart(
				await updatePaymentSession(checkoutDeps(ctx), ctx.params.id, ctx.params.provider_id, ctx.body.data),
				presentation(ctx),
			),
		}),
	}),
	defineRoute({
		method: 'POST',
		path: '/carts/:id/payment-sessions/:provider_id/refresh',
		handler: async (ctx) => ({
			cart: toMedusaCart(await createPaymentSessions(checkoutDeps(ctx), ctx.params.id), presentation(ctx)),
		}),
	}),
	defineRoute({
		method: 'DELETE',
		path: '/carts/:id/payment-sessions/:provider_id',
		handler: async (ctx) => ({
			cart: toMedusaCart(
				await deletePaymentSession(checkoutDeps(ctx), ctx.params.id, ctx.params.provider_id),
				presentation(ctx),
			),
		}),
	}),
	defineRoute({
		method: 'POST',
		path: '/carts/:id/complete',
		handler: async (ctx) => {
			const deps = checkoutDeps(ctx);
			const result = await completeCart(deps, ctx.params.id, ctx.shopOrigin, visitIdFromRequest(ctx.request.headers));
			if (result.type === 'cart')
				return { type: 'cart', data: toMedusaCart(await refreshPaymentSessions(deps, result.view), presentation(ctx)) };
			// The confirmation email was queued with the order and is sent by the outbox after the commit. The order this
			// request placed is answered as written; one placed by another request is read.
			const record = result.detail ?? (await getOrderDetail(deps.db, result.orderId));
			const body = {
				type: 'order',
				data: toMedusaOrder(record!, findRegion(deps.options, record!.order.regionId), presentation(ctx)),
			};
			// The completing browser may read its order later than the confirmation window (signed, HttpOnly).
			const value = grantOrderAccess(deps.secret, readCookie(ctx.request, ORDER_ACCESS_COOKIE), result.orderId);
			const secure = ctx.url.protocol === 'https:' ? '; Secure' : '';
			return json(body, 200, {
				'Set-Cookie': `${ORDER_ACCESS_COOKIE}=${value}; Path=${ctx.runtime.options.storeBasePath}/orders; HttpOnly; SameSite=Lax; Max-Age=${60 * 60 * 24 * 90}${secure}`,
			});
		},
	}),
];

import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, store, variantId } from '../helpers/checkout.ts';
import { signWebhook, startFakeStripe } from '../helpers/fake-stripe.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// Stripe mode end to end: the real stripe SDK inside the built server talks to a Stripe-compatible fake on loopback;
// webhooks are signed with stripe.webhooks.generateTestHeaderString.

const SECRET = 'whsec_test_frostbuy_webhook_secret';
let server: TestServer;
let fake: Awaited<ReturnType<typeof startFakeStripe>>;

beforeAll(async () => {
	fake = await startFakeStripe();
	server = await startServer({
		env: {
			STRIPE_SECRET_KEY: 'sk_test_frostbuy',
			STRIPE_PUBLISHABLE_KEY: 'pk_test_frostbuy',
			STRIPE_WEBHOOK_SECRET: SECRET,
			STRIPE_API_BASE: fake.url,
		},
	});
});
afterAll(async () => {
	await server?.stop();
	await fake?.close();
});

const webhook = (body: string, signature?: string, srv: TestServer = server) =>
	fetch(`${srv.url}/webhooks/stripe`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
		body,
	});

/** A cart paid with Stripe: a PaymentIntent for the cart total, confirmed by "the browser". */
async function stripeCart(srv: TestServer = server): Promise<{ cartId: string; intentId: string; total: number }> {
	const created = await store(srv, 'POST', '/carts', {
		items: [{ variant_id: await variantId(srv, 'stadium-jacket'), quantity: 1 }],
	});
	const cartId = created.json.cart.id as string;
	await store(srv, 'POST', `/carts/${cartId}`, { email: 'stripe@example.com', shipping_address: ADDRESS });
	const options = await store(srv, 'GET', `/shipping-options/${cartId}`);
	await store(srv, 'POST', `/carts/${cartId}/shipping-methods`, { option_id: options.json.shipping_options[0].id });
	const sessions = await store(srv, 'POST', `/carts/${cartId}/payment-sessions`, {});
	expect(sessions.json.cart.payment_sessions.map((s: { provider_id: string }) => s.provider_id).sort()).toEqual([
		'manual',
		'stripe',
		'test',
	]);
	const selected = await store(srv, 'POST', `/carts/${cartId}/payment-session`, { provider_id: 'stripe' });
	const session = selected.json.cart.payment_session;
	expect(session.data.client_secret).toMatch(/^pi_.+_secret_/);
	const intent = fake.intents.get(session.data.id)!;
	// The server is the price authority: the intent asks exactly the cart total.
	expect(intent.amount).toBe(selected.json.cart.total);
	fake.confirm(session.data.id, 'pm_card_visa');
	return { cartId, intentId: session.data.id, total: selected.json.cart.total };
}

function event(type: string, object: Record<string, unknown>, id = `evt_${Math.random().toString(36).slice(2)}`) {
	return {
		id,
		object: 'event',
		type,
		api_version: '2024-06-20',
		created: Math.floor(Date.now() / 1000),
		livemode: false,
		pending_webhooks: 1,
		request: { id: null, idempotency_key: null },
		data: { object },
	};
}

describe('POST /webhooks/stripe', () => {
	it('refuses missing, forged and stale signatures with 400 and changes nothing', async () => {
		const payload = event('payment_intent.succeeded', {
			id: 'pi_unknown',
			object: 'payment_intent',
			amount: 100,
			metadata: {},
		});
		expect((await webhook(JSON.stringify(payload))).status).toBe(400);
		const signed = signWebhook(payload, SECRET);
		expect((await webhook(signed.body.replace('pi_unknown', 'pi_tampered'), signed.header)).status).toBe(400);
		const wrong = signWebhook(payload, 'whsec_wrong');
		expect((await webhook(wrong.body, wrong.header)).status).toBe(400);
		const stale = signWebhook(payload, SECRET, Math.floor(Date.now() / 1000) - 600);
		expect((await webhook(stale.body, stale.header)).status).toBe(400);
	});

	it('refuses correctly signed events of the wrong shape with 400 (null object, non-object bodies, non-string id/type)', async () => {
		const signRaw = (body: string) => Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
		const shapes: unknown[] = [
			event('payment_intent.succeeded', null as unknown as Record<string, unknown>),
			event('charge.refunded', null as unknown as Record<string, unknown>),
			{ ...event('payment_intent.succeeded', { id: 'pi_x', amount: 1 }), id: 42 },
			{ ...event('payment_intent.succeeded', { id: 'pi_x', amount: 1 }), type: ['payment_intent.succeeded'] },
			{ ...event('payment_intent.succeeded', { id: 'pi_x' }), data: 'x' },
			event('payment_intent.succeeded', { id: 7, amount: 1 }),
			event('payment_intent.succeeded', { id: 'pi_x', amount_received: 1e308 }),
			event('charge.refunded', { id: 'ch_x', payment_intent: 12 }),
			event('charge.refunded', { id: 'ch_x', payment_intent: 'pi_x', metadata: 'cart' }),
			null,
			[],
			'event',
			42,
		];
		for (const shape of shapes) {
			const body = JSON.stringify(shape);
			const res = await webhook(body, signRaw(body));
			expect(res.status, body).toBe(400);
			expect(((await res.json()) as { received: boolean }).received).toBe(false);
		}
	});

	it('completes a cart whose browser never came back, once, however often the event arrives', async () => {
		const { cartId, intentId, total } = await stripeCart();
		const payload = event('payment_intent.succeeded', { ...fake.intents.get(intentId), metadata: { cart_id: cartId } });
		const signed = signWebhook(payload, SECRET);
		const first = await webhook(signed.body, signed.header);
		expect(first.status).toBe(200);
		const order = await store(server, 'GET', `/orders/cart/${cartId}`);
		expect(order.status).toBe(200);
		expect(order.json.order).toMatchObject({ total, payment_status: 'captured' });
		const duplicate = await webhook(signed.body, signed.header);
		expect(await duplicate.json()).toMatchObject({ received: true, duplicate: true });
		// The browser returning late gets the same order, and nothing was captured twice.
		const complete = await store(server, 'POST', `/carts/${cartId}/complete`, {});
		expect(complete.json.data.id).toBe(order.json.order.id);
		expect(fake.intents.get(intentId)!.amount_received).toBe(total);
	});

	it('applies a refund made in Stripe once, and asks to retry a refund for a payment it does not know yet', async () => {
		const { cartId, intentId, total } = await stripeCart();
		const done = await store(server, 'POST', `/carts/${cartId}/complete`, {});
		expect(done.json.type).toBe('order');
		const charge = {
			id: `ch_${intentId}`,
			object: 'charge',
			payment_intent: intentId,
			amount: total,
			amount_captured: total,
			amount_refunded: 1000,
			refunded: false,
			metadata: { cart_id: cartId },
		};
		const refund = signWebhook(event('charge.refunded', charge), SECRET);
		expect((await webhook(refund.body, refund.header)).status).toBe(200);
		expect((await webhook(refund.body, refund.header)).status).toBe(200);
		const order = (await store(server, 'GET', `/orders/cart/${cartId}`)).json.order;
		expect(order).toMatchObject({ payment_status: 'partially_refunded', refunded_total: 1000 });
		expect(order.events.filter((e: { type: string }) => e.type === 'payment_refunded')).toHaveLength(1);

		const early = signWebhook(
			event('charge.refunded', { ...charge, id: 'ch_early', payment_intent: 'pi_not_yet_known' }),
			SECRET,
		);
		expect((await webhook(early.body, early.header)).status).toBe(409);
	});

	it('adds Stripe to the Content-Security-Policy of the checkout page only', async () => {
		const checkout = await fetch(`${server.url}/checkout/`);
		expect(checkout.headers.get('content-security-policy')).toContain('https://js.stripe.com');
		const product = await fetch(`${server.url}/products/classic-hoodie/`);
		expect(product.headers.get('content-security-policy')).not.toContain('stripe');
		const config = await store(server, 'GET', '/payment-config');
		expect(config.json.providers).toContainEqual({ id: 'stripe', publishable_key: 'pk_test_frostbuy' });
		expect(JSON.stringify(config.json)).not.toContain('sk_test');
	});
});

describe('manual capture completed by webhook', () => {
	let manual: TestServer;
	beforeAll(async () => {
		manual = await startServer({
			env: {
				STRIPE_SECRET_KEY: 'sk_test_frostbuy',
				STRIPE_PUBLISHABLE_KEY: 'pk_test_frostbuy',
				STRIPE_WEBHOOK_SECRET: SECRET,
				STRIPE_API_BASE: fake.url,
				COMMERCE_CAPTURE_METHOD: 'manual',
			},
		});
	});
	afterAll(async () => manual?.stop());

	it('turns payment_intent.amount_capturable_updated into an order awaiting capture when the shopper never returns', async () => {
		const { cartId, intentId, total } = await stripeCart(manual);
		const intent = fake.intents.get(intentId)!;
		expect(intent).toMatchObject({ capture_method: 'manual', status: 'requires_capture', amount_capturable: total });
		const payload = event('payment_intent.amount_capturable_updated', { ...intent, metadata: { cart_id: cartId } });
		const signed = signWebhook(payload, SECRET);
		expect((await webhook(signed.body, signed.header, manual)).status).toBe(200);
		const order = await store(manual, 'GET', `/orders/cart/${cartId}`);
		expect(order.status).toBe(200);
		expect(order.json.order).toMatchObject({ total, payment_status: 'awaiting' });
		// Nothing was captured by the webhook: the merchant captures.
		expect(fake.intents.get(intentId)!.amount_received).toBe(0);
		const again = await webhook(signed.body, signed.header, manual);
		expect(await again.json()).toMatchObject({ received: true, duplicate: true });
		// The shopper coming back late gets the same order.
		const complete = await store(manual, 'POST', `/carts/${cartId}/complete`, {});
		expect(complete.json.data.id).toBe(order.json.order.id);
	});
});

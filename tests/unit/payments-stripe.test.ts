import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentProviders, stripePublishableKey } from '../../plugins/commerce/src/payments/index.ts';
import { type PaymentProvider, WebhookSignatureError } from '../../plugins/commerce/src/payments/provider.ts';
import { createStripeProvider } from '../../plugins/commerce/src/payments/stripe-provider.ts';
import { type FakeStripe, signWebhook, startFakeStripe } from '../helpers/fake-stripe.ts';

const SECRET_KEY = 'sk_test_fake_51H0000000000';
const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';

let fake: FakeStripe;
let manual: PaymentProvider;
let automatic: PaymentProvider;
let seq = 0;

beforeAll(async () => {
	fake = await startFakeStripe();
	const api = { host: fake.host, port: fake.port, protocol: 'http' as const };
	manual = createStripeProvider({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, captureMethod: 'manual', api });
	automatic = createStripeProvider({
		secretKey: SECRET_KEY,
		webhookSecret: WEBHOOK_SECRET,
		captureMethod: 'automatic',
		api,
	});
});
afterAll(() => fake.close());

async function initiate(provider: PaymentProvider, amount = 2000, email: string | null = 'grace@example.com') {
	const cartId = `cart_${++seq}`;
	const session = await provider.initiate({
		amount,
		currency: 'usd',
		cartId,
		email,
		idempotencyKey: `init_${cartId}_${amount}`,
	});
	return { ...session, cartId, id: String(session.data.id) };
}

const requestsTo = (suffix: string) => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix));

describe('stripe provider: Payment Intents through the real SDK', () => {
	it('initiate creates the intent as specified and keeps only what the checkout needs', async () => {
		const session = await initiate(manual, 2000);
		const created = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents').at(-1);
		expect(created?.idempotencyKey).toBe(`init_${session.cartId}_2000`);
		expect(created?.params).toMatchObject({
			amount: '2000',
			currency: 'usd',
			capture_method: 'manual',
			automatic_payment_methods: { enabled: 'true' },
			metadata: { cart_id: session.cartId },
			receipt_email: 'grace@example.com',
		});
		expect(session.status).toBe('pending');
		expect(Object.keys(session.data).sort()).toEqual([
			'amount',
			'amount_capturable',
			'amount_received',
			'amount_refunded',
			'client_secret',
			'currency',
			'id',
			'status',
		]);
		expect(session.data).toMatchObject({ amount: 2000, currency: 'usd', status: 'requires_payment_method' });
		expect(String(session.data.client_secret)).toMatch(new RegExp(`^${session.id}_secret_`));
		const noEmail = await initiate(manual, 2000, null);
		expect(fake.intents.get(noEmail.id)?.receipt_email).toBeNull();
	});

	it('update with a new amount updates the intent; the same amount only reads it', async () => {
		const session = await initiate(manual, 2000);
		const same = await manual.update({ data: session.data, amount: 2000, currency: 'usd' });
		expect(same.status).toBe('pending');
		expect(requestsTo(`/v1/payment_intents/${session.id}`)).toHaveLength(0);
		const updated = await manual.update({ data: session.data, amount: 2750, currency: 'usd' });
		expect(requestsTo(`/v1/payment_intents/${session.id}`)).toHaveLength(1);
		expect(updated.data.amount).toBe(2750);
		expect(fake.intents.get(session.id)?.amount).toBe(2750);
	});

	it('update cannot change an authorized intent and says so', async () => {
		const session = await initiate(manual, 2000);
		fake.confirm(session.id, 'pm_card_visa');
		const result = await manual.update({ data: session.data, amount: 2500, currency: 'usd' });
		expect(result).toMatchObject({ status: 'authorized', failure: { code: 'payment_intent_unexpected_state' } });
		expect(fake.intents.get(session.id)?.amount).toBe(2000);
	});

	it('authorize before the shopper paid, or while 3-D Secure or processing is pending, requires more', async () => {
		const session = await initiate(manual, 2000);
		const auth = (data = session.data) =>
			manual.authorize({ data, amount: 2000, currency: 'usd', idempotencyKey: 'a' });
		expect(await auth()).toMatchObject({ status: 'requires_more', amountAuthorized: 0, captured: false });
		fake.confirm(session.id, 'pm_card_authenticationRequired');
		expect(fake.intents.get(session.id)?.status).toBe('requires_action');
		const action = await auth();
		expect(action).toMatchObject({ status: 'requires_more', data: { status: 'requires_action' } });
		expect(action.failure).toBeUndefined();
		fake.intents.get(session.id)!.status = 'processing';
		expect((await auth()).status).toBe('requires_more');
		fake.intents.get(session.id)!.status = 'requires_action';
		fake.confirm(session.id, 'pm_card_authenticationRequired');
		expect(await auth()).toMatchObject({ status: 'authorized', amountAuthorized: 2000, captured: false });
	});

	it('maps last_payment_error of a declined attempt to the failure', async () => {
		const session = await initiate(manual, 2000);
		fake.confirm(session.id, 'pm_card_chargeDeclinedInsufficientFunds');
		const auth = await manual.authorize({ data: session.data, amount: 2000, currency: 'usd', idempotencyKey: 'a' });
		expect(auth).toMatchObject({ status: 'error', amountAuthorized: 0 });
		expect(auth.failure).toEqual({
			code: 'card_declined',
			declineCode: 'insufficient_funds',
			message: 'Your card has insufficient funds.',
		});
		expect((await manual.retrieve({ data: session.data })).failure?.declineCode).toBe('insufficient_funds');
	});

	it('never authorizes when the intent’s amount differs from the order total, even if it succeeded', async () => {
		const session = await initiate(automatic, 2000);
		fake.confirm(session.id, 'pm_card_visa');
		fake.intents.get(session.id)!.amount = 1000;
		const auth = await automatic.authorize({ data: session.data, amount: 2000, currency: 'usd', idempotencyKey: 'a' });
		expect(auth).toMatchObject({
			status: 'error',
			amountAuthorized: 0,
			captured: false,
			failure: { code: 'amount_mismatch' },
		});
	});

	it('never captures an already captured intent', async () => {
		const session = await initiate(automatic, 2000);
		fake.confirm(session.id, 'pm_card_visa');
		const auth = await automatic.authorize({ data: session.data, amount: 2000, currency: 'usd', idempotencyKey: 'a' });
		expect(auth).toMatchObject({ status: 'authorized', captured: true });
		const capture = await automatic.capture({ data: auth.data, amount: 2000, idempotencyKey: 'cap_1' });
		expect(capture.total).toBe(2000);
		expect(requestsTo(`/v1/payment_intents/${session.id}/capture`)).toHaveLength(0);

		const held = await initiate(manual, 2000);
		fake.confirm(held.id, 'pm_card_visa');
		await manual.capture({ data: held.data, amount: 2000, idempotencyKey: 'cap_2' });
		await manual.capture({ data: held.data, amount: 2000, idempotencyKey: 'cap_3' });
		const captures = requestsTo(`/v1/payment_intents/${held.id}/capture`);
		expect(captures).toHaveLength(1);
		expect(captures[0]).toMatchObject({ idempotencyKey: 'cap_2', params: { amount_to_capture: '2000' } });
	});

	it('a refund retried with the same idempotency key refunds once', async () => {
		const session = await initiate(automatic, 2000);
		fake.confirm(session.id, 'pm_card_visa');
		const first = await automatic.refund({ data: session.data, amount: 500, idempotencyKey: 'refund_1' });
		const retry = await automatic.refund({ data: session.data, amount: 500, idempotencyKey: 'refund_1' });
		expect(first.total).toBe(500);
		expect(retry.total).toBe(500);
		expect([...fake.refunds.values()].filter((r) => r.payment_intent === session.id)).toHaveLength(1);
		expect(requestsTo('/v1/refunds').filter((r) => r.idempotencyKey === 'refund_1')).toHaveLength(2);
	});

	it('cancel voids the intent; a captured intent must be refunded instead', async () => {
		const session = await initiate(manual, 2000);
		fake.confirm(session.id, 'pm_card_visa');
		const canceled = await manual.cancel({ data: session.data, idempotencyKey: 'cancel_1' });
		expect(canceled.data.status).toBe('canceled');
		expect(fake.intents.get(session.id)).toMatchObject({ status: 'canceled', amount_capturable: 0 });
		const paid = await initiate(automatic, 2000);
		fake.confirm(paid.id, 'pm_card_visa');
		await expect(automatic.cancel({ data: paid.data, idempotencyKey: 'cancel_2' })).rejects.toThrow(/^Refund instead/);
		expect(requestsTo(`/v1/payment_intents/${paid.id}/cancel`)).toHaveLength(0);
	});

	it('surfaces Stripe errors from the SDK (unknown intent, bad data)', async () => {
		const error = await manual.retrieve({ data: { id: 'pi_missing' } }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
		expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
		await expect(manual.retrieve({ data: { id: 'testpay_1' } })).rejects.toThrow(/not created by the Stripe provider/);
	});

	it('the fake answers card errors as Stripe does (402, StripeCardError)', async () => {
		const sdk = new Stripe(SECRET_KEY, {
			host: fake.host,
			port: fake.port,
			protocol: 'http',
			maxNetworkRetries: 0,
			telemetry: false,
		});
		const session = await initiate(manual, 2000);
		const error = await sdk.paymentIntents
			.confirm(session.id, { payment_method: 'pm_card_chargeDeclined' })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
		expect(error).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
		const denied = await new Stripe('sk_test_other', {
			host: fake.host,
			port: fake.port,
			protocol: 'http',
			maxNetworkRetries: 0,
		}).paymentIntents
			.retrieve(session.id, {}, { apiKey: 'pk_test_wrong' })
			.catch((e: unknown) => e);
		expect(denied).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
	});
});

describe('stripe provider: webhooks', () => {
	const event = (type: string, object: object, created = Math.floor(Date.now() / 1000)) => ({
		id: `evt_${++seq}`,
		object: 'event',
		api_version: '2025-01-01',
		created,
		livemode: false,
		pending_webhooks: 1,
		request: { id: null, idempotency_key: null },
		type,
		data: { object },
	});
	const headers = (signature?: string) => new Headers(signature === undefined ? {} : { 'stripe-signature': signature });

	async function paidIntent() {
		const session = await initiate(automatic, 2000);
		return fake.confirm(session.id, 'pm_card_visa');
	}

	it('verifies and maps the four payment events', async () => {
		const pi = await paidIntent();
		const cartId = pi.metadata.cart_id;
		const cases = [
			['payment_intent.succeeded', pi, { type: 'payment_succeeded', amount: 2000 }],
			[
				'payment_intent.payment_failed',
				{ ...pi, status: 'requires_payment_method' },
				{ type: 'payment_failed', amount: 2000 },
			],
			['payment_intent.canceled', { ...pi, status: 'canceled' }, { type: 'payment_canceled', amount: 2000 }],
		] as const;
		for (const [type, object, expected] of cases) {
			const evt = event(type, object);
			const { body, header } = signWebhook(evt, WEBHOOK_SECRET);
			expect(automatic.parseWebhook(body, headers(header))).toEqual({
				id: evt.id,
				rawType: type,
				paymentReference: pi.id,
				cartId,
				amountRefunded: null,
				...expected,
			});
		}
		await automatic.refund({ data: { id: pi.id }, amount: 700, idempotencyKey: `r_${pi.id}` });
		const charge = fake.charges.get(String(pi.latest_charge))!;
		const refunded = event('charge.refunded', charge);
		const signed = signWebhook(refunded, WEBHOOK_SECRET);
		expect(automatic.parseWebhook(signed.body, headers(signed.header))).toEqual({
			id: refunded.id,
			type: 'payment_refunded',
			rawType: 'charge.refunded',
			paymentReference: pi.id,
			cartId,
			amount: 2000,
			amountRefunded: 700,
		});
	});

	it('ignores other event types', () => {
		const evt = event('customer.created', { id: 'cus_1', object: 'customer' });
		const { body, header } = signWebhook(evt, WEBHOOK_SECRET);
		expect(manual.parseWebhook(body, headers(header))).toMatchObject({
			id: evt.id,
			type: 'ignored',
			rawType: 'customer.created',
			paymentReference: null,
			cartId: null,
		});
	});

	it('refuses a tampered body, a wrong secret, a stale timestamp and a missing header', async () => {
		const pi = await paidIntent();
		const evt = event('payment_intent.succeeded', pi);
		const { body, header } = signWebhook(evt, WEBHOOK_SECRET);
		const refuse = (raw: string, h: Headers, message: RegExp) => {
			const error = (() => {
				try {
					manual.parseWebhook(raw, h);
				} catch (e) {
					return e;
				}
				return null;
			})();
			expect(error).toBeInstanceOf(WebhookSignatureError);
			expect((error as Error).message).toMatch(message);
		};
		refuse(
			body.replace('"amount":2000', '"amount":1'),
			headers(header),
			/No signatures found matching the expected signature/,
		);
		const forged = signWebhook(evt, 'whsec_not_ours');
		refuse(forged.body, headers(forged.header), /No signatures found matching the expected signature/);
		const stale = signWebhook(evt, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 301);
		refuse(stale.body, headers(stale.header), /Timestamp outside the tolerance zone/);
		refuse(body, headers(), /No stripe-signature header value was provided/);
		refuse(body, headers('garbage'), /Unable to extract timestamp and signatures/);
		const recent = signWebhook(evt, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 200);
		expect(manual.parseWebhook(recent.body, headers(recent.header)).type).toBe('payment_succeeded');
	});
});

describe('createPaymentProviders', () => {
	const stripeEnv = {
		STRIPE_SECRET_KEY: SECRET_KEY,
		STRIPE_PUBLISHABLE_KEY: 'pk_test_123',
		STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
	};

	it('always has the test provider, also under `manual`, and stripe only with all its keys', async () => {
		const offline = await createPaymentProviders({}, { captureMethod: 'automatic' });
		expect([...offline.keys()]).toEqual(['test', 'manual']);
		expect(offline.get('manual')?.id).toBe('manual');
		expect(offline.get('test')?.id).toBe('test');
		expect(offline.get('test')?.id).toBe('test');
		expect(stripePublishableKey({})).toBeNull();
		const online = await createPaymentProviders(stripeEnv, { captureMethod: 'manual' });
		expect(online.get('stripe')?.id).toBe('stripe');
		expect(stripePublishableKey(stripeEnv)).toBe('pk_test_123');
	});

	it('names the missing keys when Stripe is partly configured', async () => {
		await expect(
			createPaymentProviders({ STRIPE_SECRET_KEY: SECRET_KEY }, { captureMethod: 'automatic' }),
		).rejects.toThrow(/STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET are not set/);
		await expect(
			createPaymentProviders({ ...stripeEnv, STRIPE_WEBHOOK_SECRET: ' ' }, { captureMethod: 'automatic' }),
		).rejects.toThrow(/STRIPE_WEBHOOK_SECRET is not set/);
	});

	it('refuses swapped or malformed keys, so the secret key never reaches a browser', async () => {
		const swapped = { ...stripeEnv, STRIPE_SECRET_KEY: 'pk_test_123', STRIPE_PUBLISHABLE_KEY: SECRET_KEY };
		await expect(createPaymentProviders(swapped, { captureMethod: 'automatic' })).rejects.toThrow(
			/STRIPE_SECRET_KEY should start with sk_ or rk_/,
		);
		expect(() => stripePublishableKey({ ...stripeEnv, STRIPE_PUBLISHABLE_KEY: SECRET_KEY })).toThrow(
			/STRIPE_PUBLISHABLE_KEY should start with pk_/,
		);
		await expect(
			createPaymentProviders({ ...stripeEnv, STRIPE_API_BASE: 'ftp://x' }, { captureMethod: 'automatic' }),
		).rejects.toThrow(/STRIPE_API_BASE/);
		await expect(
			createPaymentProviders({ ...stripeEnv, STRIPE_API_BASE: 'not a url' }, { captureMethod: 'automatic' }),
		).rejects.toThrow(/STRIPE_API_BASE/);
	});

	it('STRIPE_API_BASE points the SDK at a local server', async () => {
		const providers = await createPaymentProviders(
			{ ...stripeEnv, STRIPE_API_BASE: fake.url },
			{ captureMethod: 'manual' },
		);
		const stripe = providers.get('stripe')!;
		const session = await stripe.initiate({
			amount: 990,
			currency: 'usd',
			cartId: 'cart_env',
			email: null,
			idempotencyKey: 'init_env',
		});
		expect(fake.intents.get(String(session.data.id))).toMatchObject({
			amount: 990,
			capture_method: 'manual',
			metadata: { cart_id: 'cart_env' },
		});
	});
});

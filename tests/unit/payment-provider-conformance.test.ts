import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualProvider } from '../../plugins/commerce/src/payments/manual-provider.ts';
import {
	PaymentAmountError,
	type PaymentProvider,
	type ProviderData,
	type SessionResult,
	WebhookSignatureError,
} from '../../plugins/commerce/src/payments/provider.ts';
import { createStripeProvider } from '../../plugins/commerce/src/payments/stripe-provider.ts';
import { createTestProvider } from '../../plugins/commerce/src/payments/test-provider.ts';
import { type FakeStripe, startFakeStripe } from '../helpers/fake-stripe.ts';

type CaptureMethod = 'automatic' | 'manual';

/** What one provider needs to run the shared suite. */
interface ConformanceHarness {
	name: string;
	setup?: () => Promise<void>;
	teardown?: () => Promise<void>;
	/** A fresh provider (called inside tests, after setup). */
	provider(captureMethod: CaptureMethod): PaymentProvider;
	/** What the shopper's browser does to pay; returns the session data the server stores afterwards. */
	pay(provider: PaymentProvider, session: SessionResult, card: 'success' | 'decline'): Promise<ProviderData>;
	/** Strings that must never appear in stored session data. */
	forbidden: string[];
	/** Whether the store's `automatic` capture method captures at authorization (`manual` payments never do). */
	capturesAutomatically: boolean;
	/** Whether the shopper can be declined (a card); `manual` takes no card and always authorizes. */
	declines: boolean;
}

let keySeq = 0;
const key = (label: string) => `${label}_${process.pid}_${++keySeq}`;

/**
 * The contract every payment provider keeps (design rule 7): exact-amount authorization, capture ≤ authorized,
 * refund ≤ captured, void before capture, no secrets in `data`, idempotent initiate.
 */
function describeProviderConformance(h: ConformanceHarness): void {
	describe(`payment provider conformance: ${h.name}`, () => {
		if (h.setup) beforeAll(h.setup);
		if (h.teardown) afterAll(h.teardown);

		const seen: ProviderData[] = [];
		const keep = <T extends { data: ProviderData }>(result: T): T => {
			seen.push(result.data);
			return result;
		};
		const start = async (provider: PaymentProvider, amount = 2500, currency = 'usd') =>
			keep(
				await provider.initiate({
					amount,
					currency,
					cartId: key('cart'),
					email: 'ada@example.com',
					idempotencyKey: key('init'),
				}),
			);
		const paidSession = async (captureMethod: CaptureMethod, amount = 2500) => {
			const provider = h.provider(captureMethod);
			const session = await start(provider, amount);
			const data = await h.pay(provider, session, 'success');
			seen.push(data);
			return { provider, data };
		};
		const authorized = async (captureMethod: CaptureMethod, amount = 2500) => {
			const { provider, data } = await paidSession(captureMethod, amount);
			const auth = keep(await provider.authorize({ data, amount, currency: 'usd', idempotencyKey: key('auth') }));
			expect(auth.status).toBe('authorized');
			return { provider, auth };
		};

		it('initiate starts a pending session for the exact amount, and retrieve reflects it', async () => {
			const provider = h.provider('manual');
			const session = await start(provider, 1999);
			expect(session.status).toBe('pending');
			expect(session.data).toMatchObject({ amount: 1999, currency: 'usd' });
			expect(typeof session.data.id).toBe('string');
			const current = keep(await provider.retrieve({ data: session.data }));
			expect(current).toMatchObject({ status: 'pending', amount: 1999 });
		});

		it('manual capture: authorize the exact amount, capture ≤ authorized, refund ≤ captured', async () => {
			const { provider, auth } = await authorized('manual', 2500);
			expect(auth).toMatchObject({ amountAuthorized: 2500, captured: false });
			expect((await provider.retrieve({ data: auth.data })).status).toBe('authorized');

			await expect(
				provider.refund({ data: auth.data, amount: 100, idempotencyKey: key('refund') }),
			).rejects.toBeInstanceOf(PaymentAmountError);
			await expect(
				provider.capture({ data: auth.data, amount: 2501, idempotencyKey: key('cap') }),
			).rejects.toBeInstanceOf(PaymentAmountError);
			await expect(provider.capture({ data: auth.data, amount: 0, idempotencyKey: key('cap') })).rejects.toBeInstanceOf(
				PaymentAmountError,
			);
			const captured = keep(await provider.capture({ data: auth.data, amount: 2500, idempotencyKey: key('cap') }));
			expect(captured.total).toBe(2500);

			await expect(
				provider.refund({ data: captured.data, amount: 2501, idempotencyKey: key('refund') }),
			).rejects.toBeInstanceOf(PaymentAmountError);
			const partial = keep(await provider.refund({ data: captured.data, amount: 1000, idempotencyKey: key('refund') }));
			expect(partial.total).toBe(1000);
			await expect(
				provider.refund({ data: partial.data, amount: 1501, idempotencyKey: key('refund') }),
			).rejects.toThrow(/1500/);
			const rest = keep(await provider.refund({ data: partial.data, amount: 1500, idempotencyKey: key('refund') }));
			expect(rest.total).toBe(2500);
			await expect(
				provider.refund({ data: rest.data, amount: 1, idempotencyKey: key('refund') }),
			).rejects.toBeInstanceOf(PaymentAmountError);
		});

		it('a partial capture releases the rest, and a payment is never captured twice', async () => {
			const { provider, auth } = await authorized('manual', 1000);
			const first = keep(await provider.capture({ data: auth.data, amount: 600, idempotencyKey: key('cap') }));
			expect(first.total).toBe(600);
			const again = keep(await provider.capture({ data: first.data, amount: 400, idempotencyKey: key('cap') }));
			expect(again.total).toBe(600);
			await expect(
				provider.refund({ data: again.data, amount: 601, idempotencyKey: key('refund') }),
			).rejects.toBeInstanceOf(PaymentAmountError);
		});

		it.runIf(!h.capturesAutomatically)('pay later: authorize never captures; the merchant captures later', async () => {
			const { provider, auth } = await authorized('automatic', 3100);
			expect(auth).toMatchObject({ amountAuthorized: 3100, captured: false });
			const capture = keep(await provider.capture({ data: auth.data, amount: 3100, idempotencyKey: key('cap') }));
			expect(capture.total).toBe(3100);
		});

		it.runIf(h.capturesAutomatically)(
			'automatic capture: authorize captures at once, and a later capture moves no money',
			async () => {
				const { provider, auth } = await authorized('automatic', 3100);
				expect(auth).toMatchObject({ amountAuthorized: 3100, captured: true });
				const capture = keep(await provider.capture({ data: auth.data, amount: 3100, idempotencyKey: key('cap') }));
				expect(capture.total).toBe(3100);
				const refund = keep(await provider.refund({ data: capture.data, amount: 3100, idempotencyKey: key('refund') }));
				expect(refund.total).toBe(3100);
			},
		);

		it('authorize refuses an amount or currency other than the session’s', async () => {
			const { provider, data } = await paidSession('manual', 2500);
			for (const [amount, currency] of [
				[2499, 'usd'],
				[2501, 'usd'],
				[2500, 'eur'],
			] as const) {
				const refused = await provider.authorize({ data, amount, currency, idempotencyKey: key('auth') });
				expect(refused).toMatchObject({
					status: 'error',
					amountAuthorized: 0,
					captured: false,
					failure: { code: 'amount_mismatch' },
				});
			}
			const ok = keep(await provider.authorize({ data, amount: 2500, currency: 'USD', idempotencyKey: key('auth') }));
			expect(ok).toMatchObject({ status: 'authorized', amountAuthorized: 2500 });
		});

		it('update brings the session to a new total; only that total is authorized', async () => {
			const provider = h.provider('manual');
			const session = await start(provider, 1000);
			const updated = keep(await provider.update({ data: session.data, amount: 1500, currency: 'usd' }));
			expect(updated.status).toBe('pending');
			expect(updated.data.amount).toBe(1500);
			const data = await h.pay(provider, updated, 'success');
			const old = await provider.authorize({ data, amount: 1000, currency: 'usd', idempotencyKey: key('auth') });
			expect(old.failure?.code).toBe('amount_mismatch');
			const auth = keep(await provider.authorize({ data, amount: 1500, currency: 'usd', idempotencyKey: key('auth') }));
			expect(auth).toMatchObject({ status: 'authorized', amountAuthorized: 1500 });
		});

		it('cancel before capture voids the authorization', async () => {
			const { provider, auth } = await authorized('manual', 1200);
			const canceled = keep(await provider.cancel({ data: auth.data, idempotencyKey: key('cancel') }));
			expect((await provider.retrieve({ data: canceled.data })).status).toBe('canceled');
			await expect(
				provider.capture({ data: canceled.data, amount: 1200, idempotencyKey: key('cap') }),
			).rejects.toBeInstanceOf(PaymentAmountError);
			const after = await provider.authorize({
				data: canceled.data,
				amount: 1200,
				currency: 'usd',
				idempotencyKey: key('auth'),
			});
			expect(after).toMatchObject({ status: 'canceled', amountAuthorized: 0 });
			const again = await provider.cancel({ data: canceled.data, idempotencyKey: key('cancel') });
			expect((await provider.retrieve({ data: again.data })).status).toBe('canceled');
		});

		it('cancel abandons a session nobody paid', async () => {
			const provider = h.provider('manual');
			const session = await start(provider);
			const canceled = keep(await provider.cancel({ data: session.data, idempotencyKey: key('cancel') }));
			expect((await provider.retrieve({ data: canceled.data })).status).toBe('canceled');
		});

		it('cancel after capture is refused: refund instead', async () => {
			const { provider, auth } = await authorized('automatic', 800);
			const paid = auth.captured
				? auth
				: keep(await provider.capture({ data: auth.data, amount: 800, idempotencyKey: key('cap') }));
			await expect(provider.cancel({ data: paid.data, idempotencyKey: key('cancel') })).rejects.toThrow(
				PaymentAmountError,
			);
			await expect(provider.cancel({ data: paid.data, idempotencyKey: key('cancel') })).rejects.toThrow(
				/^Refund instead/,
			);
		});

		it('nothing is captured or refunded before authorization', async () => {
			const provider = h.provider('manual');
			const session = await start(provider);
			await expect(
				provider.capture({ data: session.data, amount: 2500, idempotencyKey: key('cap') }),
			).rejects.toBeInstanceOf(PaymentAmountError);
			await expect(
				provider.refund({ data: session.data, amount: 2500, idempotencyKey: key('refund') }),
			).rejects.toBeInstanceOf(PaymentAmountError);
		});

		it.runIf(h.declines)(
			'a declined card is an error with Stripe’s codes, and the shopper can pay with another card',
			async () => {
				const provider = h.provider('manual');
				const session = await start(provider, 4200);
				const declined = await h.pay(provider, session, 'decline');
				const auth = keep(
					await provider.authorize({ data: declined, amount: 4200, currency: 'usd', idempotencyKey: key('auth') }),
				);
				expect(auth).toMatchObject({
					status: 'error',
					amountAuthorized: 0,
					captured: false,
					failure: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
				});
				const retry = await h.pay(provider, auth, 'success');
				const ok = keep(
					await provider.authorize({ data: retry, amount: 4200, currency: 'usd', idempotencyKey: key('auth') }),
				);
				expect(ok).toMatchObject({ status: 'authorized', amountAuthorized: 4200 });
			},
		);

		it('amounts must be positive integers of minor units', async () => {
			const provider = h.provider('manual');
			for (const amount of [0, -5, 10.5]) {
				await expect(
					provider.initiate({ amount, currency: 'usd', cartId: 'cart_x', email: null, idempotencyKey: key('init') }),
				).rejects.toBeInstanceOf(PaymentAmountError);
			}
			const { auth } = await authorized('manual', 900);
			await expect(
				provider.capture({ data: auth.data, amount: -1, idempotencyKey: key('cap') }),
			).rejects.toBeInstanceOf(PaymentAmountError);
			await expect(
				provider.refund({ data: auth.data, amount: 0, idempotencyKey: key('refund') }),
			).rejects.toBeInstanceOf(PaymentAmountError);
		});

		it('initiate retried with the same idempotency key returns the same payment', async () => {
			const provider = h.provider('manual');
			const input = { amount: 2500, currency: 'usd', cartId: 'cart_idem', email: null, idempotencyKey: key('init') };
			const first = keep(await provider.initiate(input));
			const second = keep(await provider.initiate(input));
			expect(second.data.id).toBe(first.data.id);
			const other = keep(await provider.initiate({ ...input, idempotencyKey: key('init') }));
			expect(other.data.id).not.toBe(first.data.id);
		});

		it('parseWebhook refuses an unsigned request', () => {
			const provider = h.provider('manual');
			expect(() => provider.parseWebhook('{"id":"evt_1"}', new Headers())).toThrow(WebhookSignatureError);
		});

		// Last: checks every `data` the tests above stored.
		it('session data never contains secrets or card numbers', () => {
			expect(seen.length).toBeGreaterThan(20);
			for (const data of seen) {
				const json = JSON.stringify(data);
				for (const secret of h.forbidden) expect(json).not.toContain(secret);
			}
		});
	});
}

const CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000-0000-0000-0002';
const CVC = '987';

describeProviderConformance({
	name: 'test',
	provider: (captureMethod) => createTestProvider({ captureMethod }),
	async pay(provider, session, card) {
		const input = {
			card_number: card === 'success' ? CARD : DECLINED_CARD,
			exp_month: '12',
			exp_year: '2099',
			cvc: CVC,
		};
		const result = await provider.update({
			data: session.data,
			amount: Number(session.data.amount),
			currency: String(session.data.currency),
			input,
		});
		return result.data;
	},
	forbidden: ['4242424242424242', CARD, '4000000000000002', DECLINED_CARD, 'card_number', 'cvc', `"${CVC}"`, `:${CVC}`],
	capturesAutomatically: true,
	declines: true,
});

describeProviderConformance({
	name: 'manual',
	provider: () => createManualProvider(),
	async pay(provider, session) {
		// Nothing to enter: whatever a browser sends is ignored, not stored.
		const result = await provider.update({
			data: session.data,
			amount: Number(session.data.amount),
			currency: String(session.data.currency),
			input: { card_number: CARD, cvc: CVC },
		});
		return result.data;
	},
	forbidden: ['4242424242424242', CARD, 'card_number', 'cvc', `"${CVC}"`],
	capturesAutomatically: false,
	declines: false,
});

const SECRET_KEY = 'sk_test_conformance_0123456789';
const WEBHOOK_SECRET = 'whsec_conformance_0123456789';
let fake: FakeStripe;

describeProviderConformance({
	name: 'stripe (SDK against the local fake)',
	setup: async () => {
		fake = await startFakeStripe();
	},
	teardown: () => fake.close(),
	provider: (captureMethod) =>
		createStripeProvider({
			secretKey: SECRET_KEY,
			webhookSecret: WEBHOOK_SECRET,
			captureMethod,
			api: { host: fake.host, port: fake.port, protocol: 'http' },
		}),
	async pay(_provider, session, card) {
		// The browser confirms with Stripe directly (Payment Element); the server's stored data does not change.
		fake.confirm(String(session.data.id), card === 'success' ? 'pm_card_visa' : 'pm_card_chargeDeclined');
		return session.data;
	},
	forbidden: [SECRET_KEY, WEBHOOK_SECRET],
	capturesAutomatically: true,
	declines: true,
});

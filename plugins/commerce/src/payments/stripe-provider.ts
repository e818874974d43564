/**
 * The `stripe` provider: Payment Intents for the amount, the Payment Element in the browser for the card. Stripe holds
 * the state; every method asks Stripe for the intent's current state before it moves money, so stale session data can
 * never capture twice, refund more than was captured or authorize an amount other than the order total.
 */
import Stripe from 'stripe';
import type {
	AuthorizeResult,
	PaymentFailure,
	PaymentProvider,
	PaymentSessionStatus,
	ProviderData,
	ProviderWebhookEvent,
	SessionResult,
} from './provider.ts';
import { PaymentAmountError, WebhookPayloadError, WebhookSignatureError } from './provider.ts';

/** Options of {@link createStripeProvider}. */
export interface StripeProviderConfig {
	/** `sk_…` or `rk_…`; never leaves the server. */
	secretKey: string;
	/** `whsec_…` of the webhook endpoint. */
	webhookSecret: string;
	/** `automatic` captures when the shopper pays; `manual` only authorizes. */
	captureMethod: 'automatic' | 'manual';
	/** Another API host, for a local fake in tests (`STRIPE_API_BASE`). */
	api?: { host: string; port: number; protocol: 'http' | 'https' };
}

/** The Stripe provider's session data. `client_secret` is for the shopper's browser (Payment Element), nothing else. */
export type StripePaymentData = {
	/** PaymentIntent id (`pi_…`). */
	id: string;
	client_secret: string | null;
	amount: number;
	currency: string;
	/** The PaymentIntent status as Stripe reports it. */
	status: string;
	amount_capturable: number;
	amount_received: number;
	amount_refunded: number;
};

// The latest charge carries what was refunded; expanding it saves a second request.
const EXPAND = ['latest_charge'];

function toData(pi: Stripe.PaymentIntent): StripePaymentData {
	const charge = pi.latest_charge !== null && typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
	return {
		id: pi.id,
		client_secret: pi.client_secret,
		amount: pi.amount,
		currency: pi.currency,
		status: pi.status,
		amount_capturable: pi.amount_capturable,
		amount_received: pi.amount_received,
		amount_refunded: charge?.amount_refunded ?? 0,
	};
}

function intentId(data: ProviderData): string {
	if (typeof data.id !== 'string' || !data.id.startsWith('pi_')) {
		throw new Error(
			'This payment session was not created by the Stripe provider (no PaymentIntent id). Start a new payment session.',
		);
	}
	return data.id;
}

function failureOf(pi: Stripe.PaymentIntent): PaymentFailure | undefined {
	const error = pi.last_payment_error;
	if (!error) return undefined;
	return {
		code: error.code ?? 'processing_error',
		message: error.message ?? 'The payment failed. Try another payment method.',
		...(error.decline_code ? { declineCode: error.decline_code } : {}),
	};
}

/**
 * Session status of an intent. `waiting` is what "the shopper has not finished paying" means to the caller: `pending`
 * while a session is being set up, `requires_more` when authorization was asked for.
 */
function sessionOf(pi: Stripe.PaymentIntent, waiting: PaymentSessionStatus): SessionResult {
	const data = toData(pi);
	switch (pi.status) {
		case 'succeeded':
		case 'requires_capture':
			return { status: 'authorized', data };
		case 'canceled':
			return { status: 'canceled', data };
		case 'requires_action':
			return { status: 'requires_more', data };
		case 'requires_payment_method': {
			// A declined attempt sends the intent back here; the shopper may try another card.
			const failure = failureOf(pi);
			return failure ? { status: 'error', data, failure } : { status: waiting, data };
		}
		default:
			return { status: waiting, data };
	}
}

function assertPositiveAmount(amount: number, action: string): void {
	if (!Number.isSafeInteger(amount) || amount <= 0) {
		throw new PaymentAmountError(`Cannot ${action} ${amount}: the amount must be a positive integer in minor units.`);
	}
}

const isStripeError = (error: unknown, code: string): error is Stripe.errors.StripeError =>
	error instanceof Stripe.errors.StripeError && error.code === code;

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown) => value === undefined || value === null || typeof value === 'string';
const optionalAmount = (value: unknown) =>
	value === undefined || value === null || (Number.isSafeInteger(value) && (value as number) >= 0);

/**
 * A signature proves who sent the body, not that it has the shape the SDK's types promise: an event with
 * `data.object: null`, a non-object body, or a non-string id/type is refused (400) before anything reads it.
 */
function checkEventShape(event: unknown): Stripe.Event {
	if (!isObject(event)) throw new WebhookPayloadError('The event body must be a JSON object.');
	if (typeof event.id !== 'string' || !event.id || event.id.length > 255)
		throw new WebhookPayloadError('The event id must be a non-empty string.');
	if (typeof event.type !== 'string' || !event.type || event.type.length > 255)
		throw new WebhookPayloadError('The event type must be a non-empty string.');
	if (!isObject(event.data) || !isObject(event.data.object))
		throw new WebhookPayloadError('The event must carry data.object as a JSON object.');
	const object = event.data.object;
	if (!optionalString(object.id)) throw new WebhookPayloadError('data.object.id must be a string.');
	if (object.metadata !== undefined && object.metadata !== null && !isObject(object.metadata))
		throw new WebhookPayloadError('data.object.metadata must be an object.');
	if (isObject(object.metadata) && !optionalString(object.metadata.cart_id))
		throw new WebhookPayloadError('data.object.metadata.cart_id must be a string.');
	for (const key of ['amount', 'amount_received', 'amount_captured', 'amount_refunded'])
		if (!optionalAmount(object[key])) throw new WebhookPayloadError(`data.object.${key} must be a whole amount.`);
	const pi = object.payment_intent;
	if (!optionalString(pi) && !(isObject(pi) && typeof pi.id === 'string'))
		throw new WebhookPayloadError('data.object.payment_intent must be an id or an object with one.');
	if (event.type.startsWith('payment_intent.') && typeof object.id !== 'string')
		throw new WebhookPayloadError('A payment_intent event must name the payment intent (data.object.id).');
	return event as unknown as Stripe.Event;
}

/** Provider-neutral form of a verified event; `cart_id` comes from the metadata set at initiate. */
function toProviderEvent(event: Stripe.Event): ProviderWebhookEvent {
	const base = { id: event.id, rawType: event.type };
	switch (event.type) {
		case 'payment_intent.succeeded':
		case 'payment_intent.payment_failed':
		case 'payment_intent.canceled': {
			const pi = event.data.object;
			const type =
				event.type === 'payment_intent.succeeded'
					? 'payment_succeeded'
					: event.type === 'payment_intent.canceled'
						? 'payment_canceled'
						: 'payment_failed';
			const amount = event.type === 'payment_intent.succeeded' ? pi.amount_received : pi.amount;
			return {
				...base,
				type,
				paymentReference: pi.id,
				cartId: pi.metadata?.cart_id ?? null,
				amount,
				amountRefunded: null,
			};
		}
		case 'payment_intent.amount_capturable_updated': {
			// Manual capture: the card is authorized and waits for the merchant's capture. The shopper may never come
			// back to the store, so this event completes the cart like `succeeded` does for automatic capture.
			const pi = event.data.object;
			return {
				...base,
				type: 'payment_authorized',
				paymentReference: pi.id,
				cartId: pi.metadata?.cart_id ?? null,
				amount: pi.amount_capturable,
				amountRefunded: null,
			};
		}
		case 'charge.refunded': {
			const charge = event.data.object;
			const pi = charge.payment_intent;
			return {
				...base,
				type: 'payment_refunded',
				paymentReference: typeof pi === 'string' ? pi : (pi?.id ?? null),
				cartId: charge.metadata?.cart_id ?? null,
				amount: charge.amount_captured,
				amountRefunded: charge.amount_refunded,
			};
		}
		default:
			return { ...base, type: 'ignored', paymentReference: null, cartId: null, amount: null, amountRefunded: null };
	}
}

/** Creates the `stripe` provider on the official SDK (one network retry, with idempotency keys on every write). */
export function createStripeProvider(cfg: StripeProviderConfig): PaymentProvider {
	const stripe = new Stripe(cfg.secretKey, { ...(cfg.api ?? {}), maxNetworkRetries: 1, telemetry: false });
	const retrieve = (id: string) => stripe.paymentIntents.retrieve(id, { expand: EXPAND });

	return {
		id: 'stripe',

		async initiate(input) {
			assertPositiveAmount(input.amount, 'start a payment of');
			const pi = await stripe.paymentIntents.create(
				{
					amount: input.amount,
					currency: input.currency.toLowerCase(),
					capture_method: cfg.captureMethod,
					automatic_payment_methods: { enabled: true },
					metadata: { cart_id: input.cartId },
					...(input.email ? { receipt_email: input.email } : {}),
					expand: EXPAND,
				},
				{ idempotencyKey: input.idempotencyKey },
			);
			return sessionOf(pi, 'pending');
		},

		async update({ data, amount, currency }) {
			const id = intentId(data);
			if (data.amount === amount && data.currency === currency.toLowerCase())
				return sessionOf(await retrieve(id), 'pending');
			assertPositiveAmount(amount, 'set a payment of');
			try {
				const pi = await stripe.paymentIntents.update(id, { amount, currency: currency.toLowerCase(), expand: EXPAND });
				return sessionOf(pi, 'pending');
			} catch (error) {
				// Stripe refuses to change an intent that is authorized, paid or canceled: report its real state instead.
				if (!isStripeError(error, 'payment_intent_unexpected_state')) throw error;
				const pi = await retrieve(id);
				const session = sessionOf(pi, 'pending');
				return { ...session, failure: { code: 'payment_intent_unexpected_state', message: error.message } };
			}
		},

		async authorize({ data, amount, currency }): Promise<AuthorizeResult> {
			const pi = await retrieve(intentId(data));
			// Whatever the shopper did in the browser, only the order total may be authorized.
			if (pi.amount !== amount || pi.currency !== currency.toLowerCase()) {
				const message = `The PaymentIntent is for ${pi.amount} ${pi.currency}, not ${amount} ${currency.toLowerCase()}. Update the payment session to the order total first.`;
				return {
					status: 'error',
					data: toData(pi),
					failure: { code: 'amount_mismatch', message },
					amountAuthorized: 0,
					captured: false,
				};
			}
			const session = sessionOf(pi, 'requires_more');
			const authorized = session.status === 'authorized';
			return {
				...session,
				amountAuthorized: authorized ? pi.amount : 0,
				captured: authorized && pi.status === 'succeeded',
			};
		},

		async capture({ data, amount, idempotencyKey }) {
			assertPositiveAmount(amount, 'capture');
			const id = intentId(data);
			const pi = await retrieve(id);
			// Never capture an already captured intent (design rule 6): answer with what was captured.
			if (pi.status === 'succeeded') return { data: toData(pi), total: pi.amount_received };
			if (pi.status !== 'requires_capture')
				throw new PaymentAmountError(`Cannot capture ${amount}: the payment is ${pi.status}, not authorized.`);
			if (amount > pi.amount_capturable) {
				throw new PaymentAmountError(
					`Cannot capture ${amount}: only ${pi.amount_capturable} ${pi.currency} is capturable.`,
				);
			}
			try {
				const captured = await stripe.paymentIntents.capture(
					id,
					{ amount_to_capture: amount, expand: EXPAND },
					{ idempotencyKey },
				);
				return { data: toData(captured), total: captured.amount_received };
			} catch (error) {
				// Someone (a webhook handler, another admin) captured it between our read and our write.
				if (!isStripeError(error, 'payment_intent_unexpected_state')) throw error;
				const now = await retrieve(id);
				if (now.status !== 'succeeded') throw error;
				return { data: toData(now), total: now.amount_received };
			}
		},

		async refund({ data, amount, idempotencyKey }) {
			assertPositiveAmount(amount, 'refund');
			const id = intentId(data);
			const before = toData(await retrieve(id));
			const refundable = before.amount_received - before.amount_refunded;
			if (amount > refundable) {
				const reason =
					before.amount_received === 0
						? 'nothing has been captured (cancel the authorization instead)'
						: `only ${refundable} ${before.currency} of the ${before.amount_received} captured is still refundable`;
				throw new PaymentAmountError(`Cannot refund ${amount}: ${reason}.`);
			}
			try {
				await stripe.refunds.create({ payment_intent: id, amount }, { idempotencyKey });
			} catch (error) {
				if (isStripeError(error, 'charge_already_refunded') || isStripeError(error, 'amount_too_large')) {
					throw new PaymentAmountError(`Cannot refund ${amount}: ${error.message}`);
				}
				throw error;
			}
			const after = toData(await retrieve(id));
			return { data: after, total: after.amount_refunded };
		},

		async cancel({ data, idempotencyKey }) {
			const id = intentId(data);
			const settled = (pi: Stripe.PaymentIntent): { data: ProviderData } | null => {
				if (pi.status === 'canceled') return { data: toData(pi) };
				if (pi.status !== 'succeeded') return null;
				throw new PaymentAmountError(
					`Refund instead: ${pi.amount_received} ${pi.currency} of this payment was already captured, so it cannot be canceled.`,
				);
			};
			const early = settled(await retrieve(id));
			if (early) return early;
			try {
				return { data: toData(await stripe.paymentIntents.cancel(id, { expand: EXPAND }, { idempotencyKey })) };
			} catch (error) {
				// Captured or canceled by someone else between our read and our write.
				if (!isStripeError(error, 'payment_intent_unexpected_state')) throw error;
				const late = settled(await retrieve(id));
				if (late) return late;
				throw error;
			}
		},

		async retrieve({ data }) {
			const pi = await retrieve(intentId(data));
			return { ...sessionOf(pi, 'pending'), amount: pi.amount };
		},

		parseWebhook(rawBody, headers) {
			let event: Stripe.Event;
			try {
				// Default tolerance (300 s): older signatures are replays.
				event = stripe.webhooks.constructEvent(rawBody, headers.get('stripe-signature') ?? '', cfg.webhookSecret);
			} catch (error) {
				if (error instanceof Stripe.errors.StripeSignatureVerificationError)
					throw new WebhookSignatureError(error.message);
				throw error;
			}
			return toProviderEvent(checkEventShape(event));
		},
	};
}

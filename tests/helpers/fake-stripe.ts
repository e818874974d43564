/**
 * A small Stripe-compatible HTTP server for tests: the Payment Intents and Refunds endpoints the `stripe` provider
 * calls, answered in Stripe's JSON shapes (typed with the SDK's own types) so the real SDK runs against it, error
 * mapping included. It listens on 127.0.0.1 only, on a random port. `stripe-mock` cannot be installed here and
 * `stripe-stateful-mock` has no PaymentIntents (see platform-notes.md).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import Stripe from 'stripe';

/** Stripe's error body (`{ error: … }`). */
export interface FakeStripeErrorBody {
	type: Stripe.RawErrorType;
	message: string;
	code?: string;
	decline_code?: string;
	param?: string;
	payment_intent?: Stripe.PaymentIntent;
}

/** A request the fake received, for tests asserting what the provider did (or did not) call. */
export interface FakeStripeRequest {
	method: string;
	path: string;
	idempotencyKey: string | null;
	params: qs.ParsedQs;
}

export interface FakeStripe {
	url: string;
	host: string;
	port: number;
	/** Live state: tests may read or edit intents (e.g. force a status). */
	intents: Map<string, Stripe.PaymentIntent>;
	charges: Map<string, Stripe.Charge>;
	refunds: Map<string, Stripe.Refund>;
	requests: FakeStripeRequest[];
	/**
	 * Simulates the browser confirming the intent with a Stripe test payment method: `pm_card_visa` (also
	 * `pm_card_mastercard`, `pm_card_amex`) pays; `pm_card_chargeDeclined`, `pm_card_chargeDeclinedInsufficientFunds`,
	 * `pm_card_chargeDeclinedExpiredCard` decline; `pm_card_authenticationRequired` stops at `requires_action`, and
	 * confirming again (the 3-D Secure step done) pays.
	 */
	confirm(id: string, paymentMethod: string): Stripe.PaymentIntent;
	close(): Promise<void>;
}

class FakeStripeError extends Error {
	constructor(
		readonly status: number,
		readonly body: FakeStripeErrorBody,
	) {
		super(body.message);
	}
}

/** Object.assign with the fields checked against the Stripe type they change. */
const patch = <T extends object>(target: T, fields: Partial<T>): T => Object.assign(target, fields);
const token = (bytes = 12) => randomBytes(bytes).toString('hex');
const nowSeconds = () => Math.floor(Date.now() / 1000);
const invalid = (message: string, param?: string, code?: string) =>
	new FakeStripeError(400, {
		type: 'invalid_request_error',
		message,
		...(param ? { param } : {}),
		...(code ? { code } : {}),
	});
const unexpectedState = (pi: Stripe.PaymentIntent, action: string) =>
	invalid(
		`You cannot ${action} this PaymentIntent because it has a status of ${pi.status}.`,
		undefined,
		'payment_intent_unexpected_state',
	);

const DECLINES: Record<string, { code: string; decline_code?: string; message: string }> = {
	pm_card_chargeDeclined: {
		code: 'card_declined',
		decline_code: 'generic_decline',
		message: 'Your card was declined.',
	},
	pm_card_chargeDeclinedInsufficientFunds: {
		code: 'card_declined',
		decline_code: 'insufficient_funds',
		message: 'Your card has insufficient funds.',
	},
	pm_card_chargeDeclinedExpiredCard: { code: 'expired_card', message: 'Your card has expired.' },
};
const PAYING = new Set(['pm_card_visa', 'pm_card_mastercard', 'pm_card_amex', 'pm_card_authenticationRequired']);

function param(params: qs.ParsedQs, name: string): string | undefined {
	const value = params[name];
	return typeof value === 'string' ? value : undefined;
}

function intParam(params: qs.ParsedQs, name: string): number | undefined {
	const value = param(params, name);
	if (value === undefined) return undefined;
	if (!/^\d+$/.test(value)) throw invalid(`Invalid integer: ${value}`, name);
	return Number(value);
}

function metadataParam(params: qs.ParsedQs): Record<string, string> {
	const value = params.metadata;
	if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
	return Object.fromEntries(
		Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
	);
}

function newIntent(params: qs.ParsedQs): Stripe.PaymentIntent {
	const amount = intParam(params, 'amount');
	const currency = param(params, 'currency');
	if (amount === undefined) throw invalid('Missing required param: amount.', 'amount', 'parameter_missing');
	if (amount < 1) throw invalid('This value must be greater than or equal to 1.', 'amount', 'amount_too_small');
	if (!currency) throw invalid('Missing required param: currency.', 'currency', 'parameter_missing');
	const captureMethod = param(params, 'capture_method') ?? 'automatic_async';
	if (captureMethod !== 'automatic' && captureMethod !== 'automatic_async' && captureMethod !== 'manual') {
		throw invalid(`Invalid capture_method: ${captureMethod}`, 'capture_method');
	}
	const id = `pi_${token()}`;
	return {
		id,
		object: 'payment_intent',
		amount,
		amount_capturable: 0,
		amount_received: 0,
		automatic_payment_methods: { enabled: true, allow_redirects: 'always' },
		capture_method: captureMethod,
		client_secret: `${id}_secret_${token(8)}`,
		confirmation_method: 'automatic',
		created: nowSeconds(),
		currency: currency.toLowerCase(),
		livemode: false,
		metadata: metadataParam(params),
		payment_method_types: ['card'],
		receipt_email: param(params, 'receipt_email') ?? null,
		status: 'requires_payment_method',
		// Fields the fake never sets (Stripe sends them as null).
		allowed_payment_method_types: null,
		application: null,
		application_fee_amount: null,
		canceled_at: null,
		cancellation_reason: null,
		customer: null,
		customer_account: null,
		description: null,
		excluded_payment_method_types: null,
		last_payment_error: null,
		latest_charge: null,
		managed_payments: null,
		next_action: null,
		on_behalf_of: null,
		payment_method: null,
		payment_method_configuration_details: null,
		payment_method_options: null,
		payment_record: null,
		processing: null,
		review: null,
		setup_future_usage: null,
		shipping: null,
		source: null,
		statement_descriptor: null,
		statement_descriptor_suffix: null,
		transfer_group: null,
	};
}

function newCharge(pi: Stripe.PaymentIntent, paymentMethod: string, captured: boolean): Stripe.Charge {
	return {
		id: `ch_${token()}`,
		object: 'charge',
		amount: pi.amount,
		amount_captured: captured ? pi.amount : 0,
		amount_refunded: 0,
		billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
		captured,
		created: nowSeconds(),
		currency: pi.currency,
		disputed: false,
		livemode: false,
		metadata: { ...pi.metadata },
		paid: true,
		payment_intent: pi.id,
		payment_method: paymentMethod,
		receipt_email: pi.receipt_email,
		refunded: false,
		status: 'succeeded',
		// Fields the fake never sets.
		application: null,
		application_fee: null,
		application_fee_amount: null,
		balance_transaction: null,
		calculated_statement_descriptor: null,
		customer: null,
		description: null,
		failure_balance_transaction: null,
		failure_code: null,
		failure_message: null,
		fraud_details: null,
		on_behalf_of: null,
		outcome: null,
		payment_method_details: null,
		receipt_number: null,
		receipt_url: null,
		review: null,
		shipping: null,
		source: null,
		source_transfer: null,
		statement_descriptor: null,
		statement_descriptor_suffix: null,
		transfer_data: null,
		transfer_group: null,
	};
}

function newRefund(charge: Stripe.Charge, amount: number): Stripe.Refund {
	return {
		id: `re_${token()}`,
		object: 'refund',
		amount,
		balance_transaction: null,
		charge: charge.id,
		created: nowSeconds(),
		currency: charge.currency,
		customer: null,
		customer_account: null,
		metadata: {},
		payment_intent: charge.payment_intent,
		payment_method: charge.payment_method,
		reason: null,
		receipt_number: null,
		source_transfer_reversal: null,
		status: 'succeeded',
		transfer_reversal: null,
	};
}

/** Starts the fake on 127.0.0.1 and a random free port. */
export async function startFakeStripe(): Promise<FakeStripe> {
	const intents = new Map<string, Stripe.PaymentIntent>();
	const charges = new Map<string, Stripe.Charge>();
	const refunds = new Map<string, Stripe.Refund>();
	const requests: FakeStripeRequest[] = [];
	const replays = new Map<string, { fingerprint: string; status: number; body: string }>();

	const intent = (id: string) => {
		const pi = intents.get(id);
		if (!pi)
			throw new FakeStripeError(404, {
				type: 'invalid_request_error',
				code: 'resource_missing',
				param: 'intent',
				message: `No such payment_intent: '${id}'`,
			});
		return pi;
	};
	const chargeOf = (pi: Stripe.PaymentIntent) =>
		typeof pi.latest_charge === 'string' ? (charges.get(pi.latest_charge) ?? null) : null;

	/** The intent as Stripe would answer, `latest_charge` expanded when asked for. */
	const render = (pi: Stripe.PaymentIntent, params: qs.ParsedQs): Stripe.PaymentIntent => {
		const expand = Array.isArray(params.expand) ? params.expand : [];
		return expand.includes('latest_charge') ? { ...pi, latest_charge: chargeOf(pi) } : { ...pi };
	};

	function confirm(id: string, paymentMethod: string): Stripe.PaymentIntent {
		const pi = intent(id);
		if (!['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(pi.status))
			throw unexpectedState(pi, 'confirm');
		const decline = DECLINES[paymentMethod];
		if (decline) {
			patch(pi, { status: 'requires_payment_method', next_action: null, payment_method: null });
			pi.last_payment_error = { type: 'card_error', ...decline };
			throw new FakeStripeError(402, { type: 'card_error', ...decline, payment_intent: { ...pi } });
		}
		if (!PAYING.has(paymentMethod))
			throw invalid(`No such PaymentMethod: '${paymentMethod}'`, 'payment_method', 'resource_missing');
		if (paymentMethod === 'pm_card_authenticationRequired' && pi.status !== 'requires_action') {
			patch(pi, { status: 'requires_action', payment_method: paymentMethod, last_payment_error: null });
			pi.next_action = { type: 'use_stripe_sdk', use_stripe_sdk: {} };
			return { ...pi };
		}
		const manual = pi.capture_method === 'manual';
		const charge = newCharge(pi, paymentMethod, !manual);
		charges.set(charge.id, charge);
		patch(pi, {
			status: manual ? 'requires_capture' : 'succeeded',
			amount_capturable: manual ? pi.amount : 0,
			amount_received: manual ? 0 : pi.amount,
			latest_charge: charge.id,
			payment_method: paymentMethod,
			last_payment_error: null,
			next_action: null,
		});
		return { ...pi };
	}

	function capture(pi: Stripe.PaymentIntent, params: qs.ParsedQs): void {
		if (pi.status !== 'requires_capture') throw unexpectedState(pi, 'capture');
		const amount = intParam(params, 'amount_to_capture') ?? pi.amount_capturable;
		if (amount > pi.amount_capturable)
			throw invalid(
				`amount_to_capture (${amount}) is greater than amount_capturable (${pi.amount_capturable}).`,
				'amount_to_capture',
				'amount_too_large',
			);
		const charge = chargeOf(pi);
		if (charge) patch(charge, { amount_captured: amount, captured: true });
		// Like Stripe without multicapture: the uncaptured remainder is released.
		patch(pi, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
	}

	function refund(params: qs.ParsedQs): Stripe.Refund {
		const id = param(params, 'payment_intent');
		if (!id) throw invalid('Missing required param: payment_intent.', 'payment_intent', 'parameter_missing');
		const pi = intent(id);
		const charge = chargeOf(pi);
		if (!charge?.captured)
			throw invalid(`PaymentIntent ${id} does not have a successful charge to refund.`, 'payment_intent');
		const remaining = charge.amount_captured - charge.amount_refunded;
		if (remaining === 0)
			throw invalid(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
		const amount = intParam(params, 'amount') ?? remaining;
		if (amount < 1) throw invalid('This value must be greater than or equal to 1.', 'amount');
		if (amount > remaining)
			throw invalid(
				`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
				'amount',
				'amount_too_large',
			);
		const created = newRefund(charge, amount);
		refunds.set(created.id, created);
		patch(charge, {
			amount_refunded: charge.amount_refunded + amount,
			refunded: charge.amount_refunded + amount === charge.amount_captured,
		});
		return created;
	}

	function route(method: string, path: string, params: qs.ParsedQs): object {
		if (method === 'POST' && path === '/v1/refunds') return refund(params);
		const match = /^\/v1\/payment_intents(?:\/([^/]+)(?:\/(capture|cancel|confirm))?)?$/.exec(path);
		if (!match)
			throw new FakeStripeError(404, {
				type: 'invalid_request_error',
				message: `Unrecognized request URL (${method}: ${path}).`,
			});
		const [, id, action] = match;
		if (!id && method === 'POST') {
			const pi = newIntent(params);
			intents.set(pi.id, pi);
			return render(pi, params);
		}
		if (!id) throw invalid('Listing PaymentIntents is not supported by the fake.');
		const pi = intent(id);
		if (method === 'GET' && !action) return render(pi, params);
		if (method !== 'POST') throw invalid(`Unrecognized request URL (${method}: ${path}).`);
		if (action === 'confirm') {
			confirm(id, param(params, 'payment_method') ?? '');
		} else if (action === 'capture') {
			capture(pi, params);
		} else if (action === 'cancel') {
			if (pi.status === 'succeeded' || pi.status === 'canceled') throw unexpectedState(pi, 'cancel');
			patch(pi, {
				status: 'canceled',
				canceled_at: nowSeconds(),
				cancellation_reason: param(params, 'cancellation_reason') ?? null,
				amount_capturable: 0,
				next_action: null,
			});
		} else {
			if (!['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(pi.status))
				throw unexpectedState(pi, 'update');
			const amount = intParam(params, 'amount');
			if (amount !== undefined && amount < 1) throw invalid('This value must be greater than or equal to 1.', 'amount');
			if (amount !== undefined) pi.amount = amount;
			const currency = param(params, 'currency');
			if (currency) pi.currency = currency.toLowerCase();
			pi.metadata = { ...pi.metadata, ...metadataParam(params) };
		}
		return render(pi, params);
	}

	function answer(res: ServerResponse, status: number, body: string, replayed: boolean): void {
		res.writeHead(status, {
			'content-type': 'application/json',
			'request-id': `req_${token(8)}`,
			// Errors here are deterministic: tell the SDK not to retry them.
			...(status >= 400 ? { 'stripe-should-retry': 'false' } : {}),
			...(replayed ? { 'idempotent-replayed': 'true' } : {}),
		});
		res.end(body);
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = req.method ?? 'GET';
		const params = qs.parse(method === 'GET' ? url.search.slice(1) : raw);
		const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
		requests.push({ method, path: url.pathname, idempotencyKey: key, params });
		if (!/^Bearer (sk|rk)_\S+$/.test(req.headers.authorization ?? '')) {
			const body = { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } };
			return answer(res, 401, JSON.stringify(body), false);
		}
		const fingerprint = `${method} ${url.pathname} ${raw}`;
		const previous = key && method === 'POST' ? replays.get(key) : undefined;
		if (previous) {
			if (previous.fingerprint === fingerprint) return answer(res, previous.status, previous.body, true);
			const body = {
				error: {
					type: 'idempotency_error',
					message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
				},
			};
			return answer(res, 400, JSON.stringify(body), false);
		}
		let status = 200;
		let body: string;
		try {
			body = JSON.stringify(route(method, url.pathname, params));
		} catch (error) {
			if (!(error instanceof FakeStripeError)) throw error;
			status = error.status;
			body = JSON.stringify({ error: error.body });
		}
		if (key && method === 'POST') replays.set(key, { fingerprint, status, body });
		answer(res, status, body, false);
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			const body = { error: { type: 'api_error', message: `Fake Stripe failed: ${String(error)}` } };
			answer(res, 500, JSON.stringify(body), false);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		host: '127.0.0.1',
		port,
		intents,
		charges,
		refunds,
		requests,
		confirm(id, paymentMethod) {
			try {
				return confirm(id, paymentMethod);
			} catch (error) {
				// A decline is an outcome here, not a failure of the helper: the intent now carries last_payment_error.
				if (error instanceof FakeStripeError && error.status === 402) return { ...intent(id) };
				throw error;
			}
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}

/**
 * Signs a webhook payload the way Stripe does (`Stripe-Signature: t=…,v1=…`); `timestamp` in seconds, default now.
 * Returns the exact body to send, since the signature covers its bytes.
 */
export function signWebhook(payload: object, secret: string, timestamp?: number): { body: string; header: string } {
	const body = JSON.stringify(payload);
	const header = Stripe.webhooks.generateTestHeaderString({
		payload: body,
		secret,
		...(timestamp === undefined ? {} : { timestamp }),
	});
	return { body, header };
}

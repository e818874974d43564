import { describe, expect, it } from 'vitest';
import {
	availableActions,
	initialOrderState,
	ORDER_TRANSITIONS,
	type OrderAction,
	type OrderActionType,
	type OrderEventType,
	type OrderState,
	type PaymentEffect,
	type RefusalCode,
	type TransitionResult,
	transition,
} from '../../plugins/commerce/src/core/orders/index.ts';

/** A frozen state, so a transition that mutated its input would throw instead of passing silently. */
function state(overrides: Partial<OrderState> = {}): OrderState {
	return Object.freeze({
		status: 'pending',
		paymentStatus: 'awaiting',
		fulfillmentStatus: 'not_fulfilled',
		total: 1000,
		amountAuthorized: 1000,
		amountCaptured: 0,
		amountRefunded: 0,
		captureCount: 0,
		...overrides,
	});
}

const paid = { paymentStatus: 'captured', amountCaptured: 1000, captureCount: 1 } as const;

const S = {
	awaiting: state(),
	captured: state(paid),
	partlyCaptured: state({ paymentStatus: 'captured', amountCaptured: 600, captureCount: 1 }),
	partlyRefunded: state({ ...paid, paymentStatus: 'partially_refunded', amountRefunded: 300 }),
	refunded: state({ ...paid, paymentStatus: 'refunded', amountRefunded: 1000 }),
	free: state({ paymentStatus: 'not_paid', total: 0, amountAuthorized: 0 }),
	unpaid: state({ paymentStatus: 'not_paid', amountAuthorized: 0 }),
	packed: state({ ...paid, fulfillmentStatus: 'fulfilled' }),
	shipped: state({ ...paid, fulfillmentStatus: 'shipped' }),
	completed: state({ ...paid, fulfillmentStatus: 'shipped', status: 'completed' }),
	canceled: state({ status: 'canceled', paymentStatus: 'canceled', fulfillmentStatus: 'canceled' }),
	archived: state({ ...paid, fulfillmentStatus: 'shipped', status: 'archived' }),
	requiresAction: state({ status: 'requires_action', paymentStatus: 'requires_action' }),
	requiresActionAuthorized: state({ status: 'requires_action' }),
};
type StateName = keyof typeof S;

function ok(result: TransitionResult): Extract<TransitionResult, { ok: true }> {
	if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.reason}`);
	return result;
}

describe('initialOrderState (place)', () => {
	it.each([
		['nothing owed', { total: 0, authorized: 0, captured: 0 }, 'not_paid', 0],
		['captured automatically', { total: 1000, authorized: 1000, captured: 1000 }, 'captured', 1],
		['authorized, captured later', { total: 1000, authorized: 1000, captured: 0 }, 'awaiting', 0],
	] as const)('%s → %s', (_name, amounts, paymentStatus, captureCount) => {
		const result = ok(initialOrderState({ type: 'place', ...amounts }));
		expect(result.next).toEqual({
			status: 'pending',
			paymentStatus,
			fulfillmentStatus: 'not_fulfilled',
			total: amounts.total,
			amountAuthorized: amounts.authorized,
			amountCaptured: amounts.captured,
			amountRefunded: 0,
			captureCount,
		});
		expect(result.event).toEqual({ type: 'order_placed', data: { ...amounts, paymentStatus } });
		expect(result.effects).toEqual([]);
	});

	it.each([
		[
			'under-authorized',
			{ total: 1000, authorized: 900, captured: 0 },
			'amount_mismatch',
			'The authorized amount (900) must equal the order total (1000).',
		],
		[
			'over-authorized',
			{ total: 1000, authorized: 1100, captured: 0 },
			'amount_mismatch',
			'must equal the order total',
		],
		['free but authorized', { total: 0, authorized: 5, captured: 0 }, 'amount_mismatch', 'must equal the order total'],
		[
			'captured without authorization',
			{ total: 1000, authorized: 0, captured: 1000 },
			'amount_mismatch',
			'must equal the order total',
		],
		[
			'partly captured',
			{ total: 1000, authorized: 1000, captured: 400 },
			'amount_mismatch',
			'must be 0 or the order total',
		],
		[
			'negative total',
			{ total: -1, authorized: -1, captured: 0 },
			'amount_invalid',
			'order total must be a whole number',
		],
		['fractional authorization', { total: 10, authorized: 9.5, captured: 0 }, 'amount_invalid', 'authorized amount'],
		['NaN captured', { total: 10, authorized: 10, captured: Number.NaN }, 'amount_invalid', 'captured amount'],
	] as const)('refuses %s', (_name, amounts, code, reason) => {
		const result = initialOrderState({ type: 'place', ...amounts });
		expect(result).toMatchObject({ ok: false, code });
		if (!result.ok) expect(result.reason).toContain(reason);
	});

	it('refuses placing an order that exists', () => {
		expect(transition(S.awaiting, { type: 'place', total: 1000, authorized: 1000, captured: 0 })).toMatchObject({
			ok: false,
			code: 'invalid_state',
			reason: expect.stringContaining('already been placed'),
		});
	});
});

type Success = [
	string,
	StateName,
	OrderAction,
	Partial<OrderState>,
	OrderEventType,
	Record<string, unknown>,
	PaymentEffect[],
];

describe('successful transitions', () => {
	const cases: Success[] = [
		[
			'full capture',
			'awaiting',
			{ type: 'capture', amount: 1000 },
			{ paymentStatus: 'captured', amountCaptured: 1000, captureCount: 1 },
			'payment_captured',
			{ amount: 1000, released: 0 },
			[{ type: 'capture', amount: 1000 }],
		],
		[
			'partial capture releases the rest',
			'awaiting',
			{ type: 'capture', amount: 600 },
			{ paymentStatus: 'captured', amountCaptured: 600, captureCount: 1 },
			'payment_captured',
			{ amount: 600, released: 400 },
			[{ type: 'capture', amount: 600 }],
		],
		[
			'pack a paid order',
			'captured',
			{ type: 'mark_processing' },
			{ fulfillmentStatus: 'fulfilled' },
			'fulfillment_processing',
			{},
			[],
		],
		[
			'pack a partly refunded order',
			'partlyRefunded',
			{ type: 'mark_processing' },
			{ fulfillmentStatus: 'fulfilled' },
			'fulfillment_processing',
			{},
			[],
		],
		[
			'pack a free order',
			'free',
			{ type: 'mark_processing' },
			{ fulfillmentStatus: 'fulfilled' },
			'fulfillment_processing',
			{},
			[],
		],
		[
			'ship a packed order',
			'packed',
			{ type: 'ship', carrier: ' DHL ', trackingNumber: ' JD014600 ' },
			{ fulfillmentStatus: 'shipped' },
			'order_shipped',
			{ carrier: 'DHL', trackingNumber: 'JD014600' },
			[],
		],
		[
			'ship without packing first',
			'captured',
			{ type: 'ship', carrier: 'UPS', trackingNumber: '1Z999' },
			{ fulfillmentStatus: 'shipped' },
			'order_shipped',
			{ carrier: 'UPS', trackingNumber: '1Z999' },
			[],
		],
		[
			'ship a free order',
			'free',
			{ type: 'ship', carrier: 'Post', trackingNumber: 'RR1' },
			{ fulfillmentStatus: 'shipped' },
			'order_shipped',
			{ carrier: 'Post', trackingNumber: 'RR1' },
			[],
		],
		['deliver', 'shipped', { type: 'deliver' }, { status: 'completed' }, 'order_delivered', {}, []],
		[
			'cancel awaiting: void',
			'awaiting',
			{ type: 'cancel', reason: '  changed my mind ' },
			{ status: 'canceled', fulfillmentStatus: 'canceled', paymentStatus: 'canceled' },
			'order_canceled',
			{ reason: 'changed my mind', voided: true, refunded: 0 },
			[{ type: 'void' }],
		],
		[
			'cancel captured: refund all',
			'captured',
			{ type: 'cancel' },
			{ status: 'canceled', fulfillmentStatus: 'canceled', paymentStatus: 'refunded', amountRefunded: 1000 },
			'order_canceled',
			{ reason: null, voided: false, refunded: 1000 },
			[{ type: 'refund', amount: 1000 }],
		],
		[
			'cancel partly captured: refund what was taken',
			'partlyCaptured',
			{ type: 'cancel' },
			{ status: 'canceled', fulfillmentStatus: 'canceled', paymentStatus: 'refunded', amountRefunded: 600 },
			'order_canceled',
			{ reason: null, voided: false, refunded: 600 },
			[{ type: 'refund', amount: 600 }],
		],
		[
			'cancel partly refunded: refund the rest',
			'partlyRefunded',
			{ type: 'cancel' },
			{ status: 'canceled', fulfillmentStatus: 'canceled', paymentStatus: 'refunded', amountRefunded: 1000 },
			'order_canceled',
			{ reason: null, voided: false, refunded: 700 },
			[{ type: 'refund', amount: 700 }],
		],
		[
			'cancel refunded: nothing left to move',
			'refunded',
			{ type: 'cancel' },
			{ status: 'canceled', fulfillmentStatus: 'canceled', paymentStatus: 'refunded' },
			'order_canceled',
			{ reason: null, voided: false, refunded: 0 },
			[],
		],
		[
			'cancel free: no payment effect',
			'free',
			{ type: 'cancel', reason: ' ' },
			{ status: 'canceled', fulfillmentStatus: 'canceled', paymentStatus: 'not_paid' },
			'order_canceled',
			{ reason: null, voided: false, refunded: 0 },
			[],
		],
		[
			'partial refund',
			'captured',
			{ type: 'refund', amount: 300 },
			{ paymentStatus: 'partially_refunded', amountRefunded: 300 },
			'payment_refunded',
			{ amount: 300, refundable: 700 },
			[{ type: 'refund', amount: 300 }],
		],
		[
			'refund the rest',
			'partlyRefunded',
			{ type: 'refund', amount: 700 },
			{ paymentStatus: 'refunded', amountRefunded: 1000 },
			'payment_refunded',
			{ amount: 700, refundable: 0 },
			[{ type: 'refund', amount: 700 }],
		],
		[
			'refund a completed order',
			'completed',
			{ type: 'refund', amount: 1000 },
			{ paymentStatus: 'refunded', amountRefunded: 1000 },
			'payment_refunded',
			{ amount: 1000, refundable: 0 },
			[{ type: 'refund', amount: 1000 }],
		],
		[
			'refund a partial capture fully',
			'partlyCaptured',
			{ type: 'refund', amount: 600 },
			{ paymentStatus: 'refunded', amountRefunded: 600 },
			'payment_refunded',
			{ amount: 600, refundable: 0 },
			[{ type: 'refund', amount: 600 }],
		],
		[
			'payment failed',
			'requiresAction',
			{ type: 'payment_failed' },
			{ status: 'canceled', paymentStatus: 'canceled', fulfillmentStatus: 'canceled' },
			'payment_failed',
			{},
			[],
		],
		[
			'payment failed with a held authorization',
			'requiresActionAuthorized',
			{ type: 'payment_failed' },
			{ status: 'canceled', paymentStatus: 'canceled', fulfillmentStatus: 'canceled' },
			'payment_failed',
			{},
			[{ type: 'void' }],
		],
		[
			'archive completed',
			'completed',
			{ type: 'archive' },
			{ status: 'archived' },
			'order_archived',
			{ from: 'completed' },
			[],
		],
		[
			'archive canceled',
			'canceled',
			{ type: 'archive' },
			{ status: 'archived' },
			'order_archived',
			{ from: 'canceled' },
			[],
		],
	];

	it.each(cases)('%s (%s)', (_name, from, action, changes, eventType, data, effects) => {
		const result = ok(transition(S[from], action));
		expect(result.next).toEqual({ ...S[from], ...changes });
		expect(result.event).toEqual({ type: eventType, data });
		expect(result.effects).toEqual(effects);
	});
});

type Refused = [StateName, OrderAction, RefusalCode, string];

describe('refusals and their reasons', () => {
	const cases: Refused[] = [
		// capture
		[
			'captured',
			{ type: 'capture', amount: 1 },
			'invalid_state',
			'The payment was already captured; a payment is captured only once.',
		],
		['partlyCaptured', { type: 'capture', amount: 400 }, 'invalid_state', 'already captured'],
		['awaiting', { type: 'capture', amount: 1001 }, 'amount_too_large', 'Only 1000 can be captured.'],
		[
			'awaiting',
			{ type: 'capture', amount: 0 },
			'amount_invalid',
			'The amount to capture must be a whole number of minor units above 0.',
		],
		['awaiting', { type: 'capture', amount: -5 }, 'amount_invalid', 'above 0'],
		['awaiting', { type: 'capture', amount: 10.5 }, 'amount_invalid', 'whole number'],
		['awaiting', { type: 'capture', amount: Number.NaN }, 'amount_invalid', 'whole number'],
		[
			'free',
			{ type: 'capture', amount: 1 },
			'invalid_state',
			'Only an authorized payment can be captured; this one is not paid.',
		],
		[
			'requiresActionAuthorized',
			{ type: 'capture', amount: 1000 },
			'invalid_state',
			'Only the payment of a pending order can be captured; this one is waiting for the payment to be confirmed.',
		],
		// mark_processing
		[
			'awaiting',
			{ type: 'mark_processing' },
			'invalid_state',
			'The payment has not been captured yet; capture it before the order is packed.',
		],
		['unpaid', { type: 'mark_processing' }, 'invalid_state', 'The payment is not paid, so the order cannot be packed.'],
		[
			'refunded',
			{ type: 'mark_processing' },
			'invalid_state',
			'The payment is fully refunded, so the order cannot be packed.',
		],
		['packed', { type: 'mark_processing' }, 'invalid_state', 'This order is already packed.'],
		['shipped', { type: 'mark_processing' }, 'invalid_state', 'This order is already shipped.'],
		[
			'completed',
			{ type: 'mark_processing' },
			'invalid_state',
			'Only a pending order can be packed; this one is completed.',
		],
		// ship
		[
			'awaiting',
			{ type: 'ship', carrier: 'UPS', trackingNumber: '1Z' },
			'invalid_state',
			'capture it before the order is shipped',
		],
		['refunded', { type: 'ship', carrier: 'UPS', trackingNumber: '1Z' }, 'invalid_state', 'cannot be shipped'],
		[
			'shipped',
			{ type: 'ship', carrier: 'UPS', trackingNumber: '1Z' },
			'invalid_state',
			'This order is already shipped.',
		],
		['packed', { type: 'ship', carrier: '   ', trackingNumber: '1Z' }, 'carrier_invalid', 'Enter the carrier.'],
		[
			'packed',
			{ type: 'ship', carrier: 'UPS', trackingNumber: '' },
			'tracking_number_invalid',
			'Enter the tracking number.',
		],
		[
			'packed',
			{ type: 'ship', carrier: 'x'.repeat(101), trackingNumber: '1Z' },
			'carrier_invalid',
			'The carrier must be at most 100 characters.',
		],
		[
			'packed',
			{ type: 'ship', carrier: 'UPS', trackingNumber: '9'.repeat(101) },
			'tracking_number_invalid',
			'at most 100 characters',
		],
		// deliver
		['packed', { type: 'deliver' }, 'invalid_state', 'Only a shipped order can be delivered; this one is packed.'],
		['captured', { type: 'deliver' }, 'invalid_state', 'this one is not packed yet'],
		['completed', { type: 'deliver' }, 'invalid_state', 'This order has already been delivered.'],
		// cancel
		[
			'shipped',
			{ type: 'cancel' },
			'invalid_state',
			'This order is already shipped, so it can no longer be canceled; refund it instead.',
		],
		['packed', { type: 'cancel' }, 'invalid_state', 'This order is already packed, so it can no longer be canceled'],
		['completed', { type: 'cancel' }, 'invalid_state', 'A completed order cannot be canceled; refund it instead.'],
		['requiresAction', { type: 'cancel' }, 'invalid_state', 'Only a pending order can be canceled'],
		[
			'awaiting',
			{ type: 'cancel', reason: 'r'.repeat(501) },
			'reason_too_long',
			'The reason must be at most 500 characters.',
		],
		// refund
		['partlyRefunded', { type: 'refund', amount: 701 }, 'amount_too_large', 'Only 700 can still be refunded.'],
		['captured', { type: 'refund', amount: 1001 }, 'amount_too_large', 'Only 1000 can still be refunded.'],
		['partlyCaptured', { type: 'refund', amount: 601 }, 'amount_too_large', 'Only 600 can still be refunded.'],
		[
			'captured',
			{ type: 'refund', amount: 0 },
			'amount_invalid',
			'The amount to refund must be a whole number of minor units above 0.',
		],
		['captured', { type: 'refund', amount: 0.5 }, 'amount_invalid', 'whole number'],
		['refunded', { type: 'refund', amount: 1 }, 'invalid_state', 'The payment has already been fully refunded.'],
		[
			'awaiting',
			{ type: 'refund', amount: 1 },
			'invalid_state',
			'Nothing was captured, so there is nothing to refund; the payment is authorized but not captured.',
		],
		['free', { type: 'refund', amount: 1 }, 'invalid_state', 'nothing to refund'],
		// payment_failed
		[
			'awaiting',
			{ type: 'payment_failed' },
			'invalid_state',
			'Only an order waiting for its payment to be confirmed can fail its payment; this one is pending.',
		],
		// archive
		[
			'awaiting',
			{ type: 'archive' },
			'invalid_state',
			'Only a completed or canceled order can be archived; this one is pending.',
		],
		['requiresAction', { type: 'archive' }, 'invalid_state', 'this one is waiting for the payment to be confirmed'],
		['archived', { type: 'archive' }, 'invalid_state', 'This order is already archived.'],
	];

	it.each(cases)('%s: %o → %s', (from, action, code, reason) => {
		const result = transition(S[from], action);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.code).toBe(code);
		expect(result.reason).toContain(reason);
		expect(result.reason).not.toMatch(/!/);
	});

	it('refuses a payment failure once money was captured', () => {
		const captured = state({ ...paid, status: 'requires_action' });
		expect(transition(captured, { type: 'payment_failed' })).toMatchObject({
			ok: false,
			code: 'invalid_state',
			reason: expect.stringContaining('refund it instead'),
		});
	});

	it('refuses an action type it does not know', () => {
		const bogus = { type: 'teleport' } as unknown as OrderAction;
		expect(transition(S.awaiting, bogus)).toMatchObject({ ok: false, code: 'unknown_action' });
	});
});

const NEUTRAL: Record<Exclude<OrderActionType, 'place'>, OrderAction> = {
	capture: { type: 'capture', amount: 1 },
	mark_processing: { type: 'mark_processing' },
	ship: { type: 'ship', carrier: 'UPS', trackingNumber: '1Z' },
	deliver: { type: 'deliver' },
	cancel: { type: 'cancel' },
	refund: { type: 'refund', amount: 1 },
	payment_failed: { type: 'payment_failed' },
	archive: { type: 'archive' },
};

describe('closed orders', () => {
	it.each(Object.values(NEUTRAL).filter((action) => action.type !== 'archive'))(
		'a canceled order refuses %o',
		(action) => {
			expect(transition(S.canceled, action)).toEqual({
				ok: false,
				code: 'invalid_state',
				reason: 'This order was canceled; it can only be archived.',
			});
		},
	);

	it.each(Object.values(NEUTRAL).filter((action) => action.type !== 'archive'))(
		'an archived order refuses %o',
		(action) => {
			expect(transition(S.archived, action)).toEqual({
				ok: false,
				code: 'invalid_state',
				reason: 'This order is archived and can no longer change.',
			});
		},
	);
});

describe('a payment over its life', () => {
	it('captures once, then refunds partly and then the rest', () => {
		let current = ok(initialOrderState({ type: 'place', total: 5000, authorized: 5000, captured: 0 })).next;
		current = ok(transition(current, { type: 'capture', amount: 4000 })).next;
		expect(transition(current, { type: 'capture', amount: 1000 })).toMatchObject({ ok: false, code: 'invalid_state' });
		current = ok(transition(current, { type: 'refund', amount: 1500 })).next;
		expect(current).toMatchObject({ paymentStatus: 'partially_refunded', amountRefunded: 1500 });
		expect(transition(current, { type: 'refund', amount: 2501 })).toMatchObject({
			ok: false,
			code: 'amount_too_large',
			reason: 'Only 2500 can still be refunded.',
		});
		current = ok(transition(current, { type: 'refund', amount: 2500 })).next;
		expect(current).toMatchObject({ paymentStatus: 'refunded', amountCaptured: 4000, amountRefunded: 4000 });
		expect(availableActions(current)).toEqual(['cancel']);
	});
});

describe('availableActions', () => {
	const expected: Record<StateName, OrderActionType[]> = {
		awaiting: ['capture', 'cancel'],
		captured: ['mark_processing', 'ship', 'cancel', 'refund'],
		partlyCaptured: ['mark_processing', 'ship', 'cancel', 'refund'],
		partlyRefunded: ['mark_processing', 'ship', 'cancel', 'refund'],
		refunded: ['cancel'],
		free: ['mark_processing', 'ship', 'cancel'],
		unpaid: ['cancel'],
		packed: ['ship', 'refund'],
		shipped: ['deliver', 'refund'],
		completed: ['refund', 'archive'],
		canceled: ['archive'],
		archived: [],
		requiresAction: ['payment_failed'],
		requiresActionAuthorized: ['payment_failed'],
	};

	it.each(Object.keys(expected) as StateName[])('%s', (name) => {
		expect(availableActions(S[name])).toEqual(expected[name]);
	});

	it('agrees with transition for every action in every state', () => {
		for (const name of Object.keys(S) as StateName[]) {
			const available = availableActions(S[name]);
			for (const action of Object.values(NEUTRAL)) {
				// Neutral amounts of 1 are always possible when capture/refund is possible at all.
				expect(transition(S[name], action).ok, `${name} ${action.type}`).toBe(available.includes(action.type));
			}
		}
	});
});

describe('ORDER_TRANSITIONS', () => {
	it('describes every action except place', () => {
		expect(Object.keys(ORDER_TRANSITIONS)).toEqual(Object.keys(NEUTRAL));
		for (const rule of Object.values(ORDER_TRANSITIONS)) {
			expect(rule.description.length).toBeGreaterThan(10);
			expect(rule.allowedFrom.length).toBeGreaterThan(5);
		}
	});
});

/** mulberry32: a tiny seeded PRNG, so a failing sequence is reproducible from its seed alone. */
function mulberry32(seed: number): () => number {
	let value = seed >>> 0;
	return () => {
		value = (value + 0x6d2b79f5) >>> 0;
		let t = value;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const EVENT_TYPES = new Set<string>([
	'payment_captured',
	'fulfillment_processing',
	'order_shipped',
	'order_delivered',
	'order_canceled',
	'payment_refunded',
	'payment_failed',
	'order_archived',
]);

function sumEffects(effects: PaymentEffect[], type: 'capture' | 'refund'): number {
	return effects.reduce((sum, effect) => sum + (effect.type === type ? effect.amount : 0), 0);
}

describe('random action sequences', () => {
	const SEQUENCES = 2000;
	const BASE_SEED = 0x0de5_2026;

	it(`keeps the invariants over ${SEQUENCES} seeded sequences`, () => {
		const successes = new Map<string, number>();
		for (let sequence = 0; sequence < SEQUENCES; sequence++) {
			const seed = BASE_SEED + sequence;
			const random = mulberry32(seed);
			const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
			const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;

			const total = random() < 0.15 ? 0 : int(1, 100_000);
			let current: OrderState;
			if (total > 0 && random() < 0.1) {
				// Orders whose payment waits for the shopper come from the checkout service, not from place.
				current = state({
					status: 'requires_action',
					paymentStatus: pick(['requires_action', 'awaiting'] as const),
					total,
					amountAuthorized: total,
				});
			} else {
				const captured = total > 0 && random() < 0.4 ? total : 0;
				current = ok(initialOrderState({ type: 'place', total, authorized: total, captured })).next;
			}

			for (let step = int(1, 15); step > 0; step--) {
				const capturable = current.amountAuthorized - current.amountCaptured;
				const refundable = current.amountCaptured - current.amountRefunded;
				const amount = (): number =>
					pick([capturable, refundable, capturable + 1, refundable + 1, int(1, Math.max(1, total)), 0, -1, 1.5]);
				const action: OrderAction = pick<OrderAction>([
					{ type: 'place', total, authorized: total, captured: 0 },
					{ type: 'capture', amount: amount() },
					{ type: 'mark_processing' },
					{ type: 'ship', carrier: pick(['UPS', ' ', 'x'.repeat(101)]), trackingNumber: pick(['1Z', '']) },
					{ type: 'deliver' },
					{ type: 'cancel', reason: pick([undefined, 'out of stock']) },
					{ type: 'refund', amount: amount() },
					{ type: 'payment_failed' },
					{ type: 'archive' },
				]);
				const before = Object.freeze({ ...current });
				const result = transition(before, action);
				const context = `seed ${seed}: ${JSON.stringify(before)} + ${JSON.stringify(action)}`;

				if (!result.ok) {
					expect(result.reason.length, context).toBeGreaterThan(0);
					continue;
				}
				const { next, event, effects } = result;
				successes.set(action.type, (successes.get(action.type) ?? 0) + 1);

				// Exactly one event, of a known type, per successful transition.
				expect(Array.isArray(event), context).toBe(false);
				expect(EVENT_TYPES.has(event.type), context).toBe(true);
				expect(availableActions(before), context).toContain(action.type);

				// Closed orders: canceled only moves to archived, archived never moves.
				expect(before.status, context).not.toBe('archived');
				if (before.status === 'canceled') expect([action.type, next.status], context).toEqual(['archive', 'archived']);

				// Money: 0 ≤ refunded ≤ captured ≤ authorized ≤ total, integers, one capture at most.
				const amounts = [next.amountRefunded, next.amountCaptured, next.amountAuthorized, next.total];
				for (const value of amounts) expect(Number.isSafeInteger(value), context).toBe(true);
				expect(0 <= next.amountRefunded, context).toBe(true);
				expect(next.amountRefunded <= next.amountCaptured, context).toBe(true);
				expect(next.amountCaptured <= next.amountAuthorized, context).toBe(true);
				expect(next.amountAuthorized <= next.total, context).toBe(true);
				expect(next.captureCount <= 1, context).toBe(true);

				// Money moved by the provider is exactly what the state records.
				expect(sumEffects(effects, 'capture'), context).toBe(next.amountCaptured - before.amountCaptured);
				expect(sumEffects(effects, 'refund'), context).toBe(next.amountRefunded - before.amountRefunded);

				// A canceled order holds no authorization and keeps none of the shopper's money.
				if (next.status === 'canceled') {
					expect(next.fulfillmentStatus, context).toBe('canceled');
					expect(['awaiting', 'requires_action'], context).not.toContain(next.paymentStatus);
					expect(next.amountRefunded, context).toBe(next.amountCaptured);
				}
				current = next;
			}
		}
		// Guard against a generator so clumsy that the invariants are checked on nothing.
		for (const type of Object.keys(NEUTRAL)) expect(successes.get(type) ?? 0, type).toBeGreaterThan(20);
	});
});

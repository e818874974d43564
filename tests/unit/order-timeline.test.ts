import { describe, expect, it } from 'vitest';
import { orderTimeline, type TimelineEventInput } from '../../plugins/commerce/src/core/orders/index.ts';

const ev = (type: string, minute: number, data: Record<string, unknown> = {}): TimelineEventInput => ({
	type,
	data,
	created_at: `2026-11-22T10:${String(minute).padStart(2, '0')}:00.000Z`,
});
const at = (minute: number) => ev('x', minute).created_at;
const steps = (events: TimelineEventInput[]) => orderTimeline(events).map((s) => [s.status, s.done, s.at]);

describe('orderTimeline', () => {
	it('lists the whole path for a new order, paid at once when captured at placement', () => {
		expect(steps([ev('order_placed', 0, { total: 3000, captured: 3000, paymentStatus: 'captured' })])).toEqual([
			['placed', true, at(0)],
			['paid', true, at(0)],
			['processing', false, null],
			['shipped', false, null],
			['delivered', false, null],
		]);
	});

	it('waits for the capture of an authorized payment', () => {
		const timeline = orderTimeline([
			ev('order_placed', 0, { total: 3000, captured: 0, paymentStatus: 'awaiting' }),
			ev('payment_captured', 5, { amount: 3000 }),
		]);
		expect(timeline[1]).toMatchObject({ status: 'paid', done: true, at: at(5), detail: { amount: 3000 } });
	});

	it('carries carrier and tracking number, and counts a skipped packing step as done', () => {
		const timeline = orderTimeline([
			ev('order_placed', 0, { total: 3000, captured: 3000, paymentStatus: 'captured' }),
			ev('order_shipped', 30, { carrier: 'UPS', trackingNumber: '1Z999' }),
			ev('order_delivered', 50),
		]);
		expect(timeline.map((s) => [s.status, s.done, s.at])).toEqual([
			['placed', true, at(0)],
			['paid', true, at(0)],
			['processing', true, null],
			['shipped', true, at(30)],
			['delivered', true, at(50)],
		]);
		expect(timeline[3].detail).toEqual({ carrier: 'UPS', tracking_number: '1Z999' });
	});

	it('ends a canceled order at the cancellation, dropping the steps it never reaches', () => {
		const timeline = orderTimeline([
			ev('order_placed', 0, { total: 3000, captured: 3000, paymentStatus: 'captured' }),
			ev('order_canceled', 9, { reason: null, voided: false, refunded: 3000 }),
		]);
		expect(timeline.map((s) => s.status)).toEqual(['placed', 'paid', 'canceled']);
		expect(timeline[2].detail).toEqual({ reason: null, voided: false, refunded: 3000 });
	});

	it('places refunds in time order among the other steps', () => {
		const timeline = orderTimeline([
			ev('order_placed', 0, { total: 3000, captured: 3000, paymentStatus: 'captured' }),
			ev('payment_refunded', 10, { amount: 500 }),
			ev('order_shipped', 20, { carrier: 'DHL', trackingNumber: 'JD01' }),
		]);
		expect(timeline.map((s) => [s.status, s.done])).toEqual([
			['placed', true],
			['paid', true],
			['refunded', true],
			['processing', true],
			['shipped', true],
			['delivered', false],
		]);
	});
});

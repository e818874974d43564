import { describe, expect, it } from 'vitest';
import { SESSION_HINT_KEY } from '../../plugins/commerce/src/client/account-session.ts';
import type { StoreCustomerOrder, StoreOrderEvent } from '../../plugins/commerce/src/client/account-types.ts';
import {
	addressValues,
	toAddressInput,
	validateAddress,
} from '../../plugins/commerce/src/components/account-address.ts';
import { safeNext } from '../../plugins/commerce/src/components/account-form.ts';
import { isCancelable, orderTimeline } from '../../plugins/commerce/src/components/account-orders.ts';
import { validateRegistration } from '../../plugins/commerce/src/components/Register.tsx';
import { HINT_KEY } from '../../plugins/commerce/src/components/WishlistToggle.tsx';

// The account islands' pure parts: where a login may return to, the order timeline, cancelability, form rules.

const order = (over: Partial<StoreCustomerOrder> = {}, events: StoreOrderEvent[] = []): StoreCustomerOrder => ({
	id: 'order_1',
	display_id: 1001,
	status: 'pending',
	fulfillment_status: 'not_fulfilled',
	payment_status: 'awaiting',
	email: 'ada@example.com',
	currency_code: 'usd',
	created_at: '2026-11-22T10:00:00.000Z',
	items: [],
	subtotal: 0,
	discount_total: 0,
	shipping_total: 0,
	tax_total: 0,
	total: 0,
	events,
	...over,
});
const at = (minute: number) => `2026-11-22T10:${String(minute).padStart(2, '0')}:00.000Z`;
const steps = (o: StoreCustomerOrder) => orderTimeline(o).map((s) => `${s.key}:${s.done ? 'done' : 'todo'}`);

describe('session hint', () => {
	it('the heart reads the same localStorage key as the account client writes', () => {
		expect(HINT_KEY).toBe(SESSION_HINT_KEY);
	});
});

describe('safeNext', () => {
	it('keeps same-site paths with their query', () => {
		expect(safeNext('/account/orders/?page=2', '/account/')).toBe('/account/orders/?page=2');
		expect(safeNext('/products/classic-hoodie/', '/account/')).toBe('/products/classic-hoodie/');
	});
	it('refuses other hosts, protocol-relative and backslash tricks', () => {
		for (const next of [
			'https://evil.example/',
			'//evil.example/x',
			'/\\evil.example',
			'javascript:alert(1)',
			'',
			null,
			undefined,
		]) {
			expect(safeNext(next, '/account/')).toBe('/account/');
		}
	});
});

describe('orderTimeline from events', () => {
	it('a new order: placed done, the rest to come', () => {
		expect(steps(order({}, [{ type: 'order_placed', created_at: at(0) }]))).toEqual([
			'placed:done',
			'paid:todo',
			'processing:todo',
			'shipped:todo',
			'delivered:todo',
		]);
	});

	it('a shipped order carries carrier and tracking number; earlier steps count as done', () => {
		const timeline = orderTimeline(
			order({ payment_status: 'captured', fulfillment_status: 'shipped' }, [
				{ type: 'order_placed', created_at: at(0) },
				{ type: 'order_shipped', data: { carrier: 'UPS', trackingNumber: '1Z999' }, created_at: at(5) },
			]),
		);
		expect(timeline.map((s) => s.done)).toEqual([true, true, true, true, false]);
		expect(timeline.find((s) => s.key === 'shipped')).toMatchObject({
			at: at(5),
			tracking: { carrier: 'UPS', number: '1Z999' },
		});
	});

	it('a canceled order keeps what happened and ends with canceled and refunded', () => {
		const o = order({ status: 'canceled', payment_status: 'refunded', fulfillment_status: 'canceled' }, [
			{ type: 'order_placed', created_at: at(0) },
			{ type: 'payment_captured', created_at: at(1) },
			{ type: 'order_canceled', created_at: at(2) },
			{ type: 'payment_refunded', created_at: at(3) },
		]);
		expect(steps(o)).toEqual(['placed:done', 'paid:done', 'canceled:done', 'refunded:done']);
		expect(isCancelable(o)).toBe(false);
	});
});

describe('orderTimeline from the server steps', () => {
	it('prefers order.timeline and maps tracking and money details', () => {
		const timeline = orderTimeline(
			order({
				status: 'canceled',
				timeline: [
					{ status: 'placed', label: 'Order placed', done: true, at: at(0), detail: {} },
					{ status: 'canceled', label: 'Canceled', done: true, at: at(1), detail: { voided: true } },
				],
			}),
		);
		expect(timeline.map((s) => s.key)).toEqual(['placed', 'canceled']);
		expect(timeline[1].detail).toMatch(/not been charged/);
		const shipped = orderTimeline(
			order({
				timeline: [
					{
						status: 'shipped',
						label: 'Shipped',
						done: true,
						at: at(2),
						detail: { carrier: 'USPS', tracking_number: '9400' },
					},
				],
			}),
		);
		expect(shipped[0].tracking).toEqual({ carrier: 'USPS', number: '9400' });
	});
});

describe('isCancelable', () => {
	it('only a pending order nothing has been packed for', () => {
		expect(isCancelable(order())).toBe(true);
		expect(isCancelable(order({ fulfillment_status: 'fulfilled' }))).toBe(false);
		expect(isCancelable(order({ status: 'canceled' }))).toBe(false);
	});
});

describe('forms', () => {
	it('registration needs names, an email and 12 password characters', () => {
		const errors = validateRegistration({ first_name: ' ', last_name: 'L', email: 'ada@', password: 'short' });
		expect(Object.keys(errors).sort()).toEqual(['email', 'first_name', 'password']);
		expect(errors.password).toMatch(/12 characters \(5 so far\)/);
		expect(
			validateRegistration({ first_name: 'Ada', last_name: 'L', email: 'ada@example.com', password: 'x'.repeat(12) }),
		).toEqual({});
	});

	it('addresses: required fields, a US state and ZIP; empty optionals are sent as null', () => {
		const values = addressValues(null, 'us');
		expect(Object.keys(validateAddress(values)).sort()).toEqual([
			'address_1',
			'city',
			'first_name',
			'last_name',
			'postal_code',
			'province',
		]);
		const filled = {
			...values,
			first_name: 'Ada',
			last_name: 'L',
			address_1: '1 Main',
			city: 'Frostburg',
			province: 'MD',
			postal_code: '2153',
		};
		expect(validateAddress(filled)).toEqual({ postal_code: 'Enter a 5-digit ZIP code, such as 21532.' });
		expect(toAddressInput({ ...filled, postal_code: '21532' })).toMatchObject({
			address_2: null,
			phone: null,
			country_code: 'us',
			postal_code: '21532',
		});
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, type TestCustomer } from '../helpers/account-session.ts';
import { admin, adminSession, customerSession } from '../helpers/admin.ts';
import { store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The admin-only areas over HTTP: dashboard, coupons (create/edit/disable, usage kept), customers with orders, the
// contact inbox with read/unread.

let server: TestServer;
let boss: TestCustomer;

beforeAll(async () => {
	server = await startServer();
	boss = await adminSession(server, 'areas-admin@example.com', 'admin');
});
afterAll(async () => {
	await server?.stop();
});

describe('dashboard', () => {
	it('answers the KPIs for a range and refuses a malformed one', async () => {
		const today = new Date().toISOString().slice(0, 10);
		const res = await admin(server, boss, 'GET', `/dashboard?from=${today}&to=${today}`);
		expect(res.status).toBe(200);
		expect(res.json).toEqual(expect.objectContaining({ recentOrders: expect.any(Array) }));
		expect((await admin(server, boss, 'GET', `/dashboard?from=${today}&to=2000-01-01`)).status).toBe(400);
		expect((await admin(server, boss, 'GET', '/dashboard?from=yesterday')).status).toBe(400);
	});
});

describe('coupons', () => {
	it('creates, refuses a taken code, edits and disables', async () => {
		const created = await admin(server, boss, 'POST', '/coupons', { code: 'admin10', type: 'percentage', value: 10 });
		expect(created.status).toBe(200);
		expect(created.json.coupon).toMatchObject({
			code: 'ADMIN10',
			type: 'percentage',
			value: 10,
			is_disabled: 0,
			usedBy: 0,
		});
		expect(
			(await admin(server, boss, 'POST', '/coupons', { code: 'ADMIN10', type: 'percentage', value: 5 })).status,
		).toBe(422);
		expect((await admin(server, boss, 'POST', '/coupons', { code: 'BAD', type: 'fixed', value: 5 })).status).toBe(400);
		const id = created.json.coupon.id;
		const edited = await admin(server, boss, 'POST', `/coupons/${id}`, {
			code: 'ADMIN10',
			type: 'percentage',
			value: 15,
			usageLimit: 3,
		});
		expect(edited.json.coupon).toMatchObject({ value: 15, usage_limit: 3 });
		const disabled = await admin(server, boss, 'POST', `/coupons/${id}/disable`, {});
		expect(disabled.json.coupon.is_disabled).toBe(1);
		expect((await admin(server, boss, 'GET', '/coupons')).json.coupons.map((c: { code: string }) => c.code)).toContain(
			'ADMIN10',
		);
	});
});

describe('customers', () => {
	it('finds a customer by email and shows their orders', async () => {
		const shopper = await customerSession(server, 'areas-shopper@example.com');
		await placeOrder(server, shopper, {
			items: [{ variantId: await variantId(server, 'snowflake-mug'), quantity: 1 }],
		});
		const list = await admin(server, boss, 'GET', '/customers?q=areas-shopper');
		expect(list.json).toMatchObject({ count: 1, customers: [{ email: 'areas-shopper@example.com', orderCount: 1 }] });
		expect(JSON.stringify(list.json)).not.toContain('password_hash');
		const detail = await admin(server, boss, 'GET', `/customers/${shopper.id}`);
		expect(detail.json.orders).toHaveLength(1);
		// The documented snake_case order fields, mapped from the domain object (no internal columns such as version).
		expect(detail.json.orders[0]).toMatchObject({
			customer_id: shopper.id,
			email: 'areas-shopper@example.com',
			display_id: expect.any(Number),
			payment_status: expect.any(String),
			total: expect.any(Number),
		});
		expect(detail.json.orders[0]).not.toHaveProperty('version');
		expect((await admin(server, boss, 'GET', '/customers/cus_missing')).status).toBe(404);
	});
});

describe('messages', () => {
	it('lists contact messages and toggles read/unread', async () => {
		const sent = await store(server, 'POST', '/contact', {
			name: 'Pat',
			email: 'pat@example.com',
			subject: 'Sizes',
			message: 'Do the hoodies run large?',
			website: '',
		});
		expect(sent.status).toBe(200);
		const inbox = await admin(server, boss, 'GET', '/messages?unread=true');
		expect(inbox.json).toMatchObject({ count: 1, unread: 1, messages: [{ subject: 'Sizes', read_at: null }] });
		const id = inbox.json.messages[0].id;
		expect((await admin(server, boss, 'POST', `/messages/${id}/read`, { read: true })).json.message.read_at).toEqual(
			expect.any(String),
		);
		expect((await admin(server, boss, 'GET', '/messages')).json.unread).toBe(0);
		expect(
			(await admin(server, boss, 'POST', `/messages/${id}/read`, { read: false })).json.message.read_at,
		).toBeNull();
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asCustomer, placeOrder, registerCustomer, TEST_PASSWORD } from '../helpers/account-session.ts';
import { admin, adminSession, openDb } from '../helpers/admin.ts';
import { ADDRESS, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// GDPR through the real server: a customer downloads their data (profile, addresses, orders, wishlist, messages,
// consent), then deletes the account with their password: login fails, sessions end, the order is kept but
// anonymised, and a confirmation email arrives. Admins can do both on request.

let server: TestServer;
let smtp: TestSmtpServer;

beforeAll(async () => {
	smtp = await startSmtpServer();
	server = await startServer({ env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
	await server?.stop();
	await smtp?.close();
});

const login = (email: string, password = TEST_PASSWORD) => store(server, 'POST', '/auth', { email, password });

describe('GDPR export and erasure', () => {
	it('exports everything stored about the customer, then erases the account and anonymises the order', async () => {
		const me = await registerCustomer(server, 'gdpr-sam@example.com');
		const mug = await variantId(server, 'snowflake-mug');
		await asCustomer(server, me, 'POST', '/customers/me/addresses', { address: ADDRESS });
		await asCustomer(server, me, 'POST', '/customers/me/wishlist', { variant_id: mug });
		await asCustomer(server, me, 'POST', '/contact', {
			name: 'Sam Bobcat',
			email: me.email,
			subject: 'Sizes',
			message: 'Do the hoodies run large?',
		});
		const order = await placeOrder(server, me, { items: [{ variantId: mug, quantity: 1 }] });

		const exported = await asCustomer(server, me, 'GET', '/customers/me/export');
		expect(exported.status).toBe(200);
		expect(exported.headers.get('content-disposition')).toMatch(/attachment/);
		const data = exported.json;
		expect(data.customer).toMatchObject({ id: me.id, email: me.email, first_name: 'Sam', last_name: 'Bobcat' });
		expect(data.customer).not.toHaveProperty('password_hash');
		expect(data.addresses[0]).toMatchObject({ address_1: ADDRESS.address_1, postal_code: ADDRESS.postal_code });
		expect(data.orders.map((o: { id: string }) => o.id)).toEqual([order.id]);
		expect(data.orders[0]).toMatchObject({
			display_id: order.display_id,
			email: me.email,
			shipping_address: { last_name: 'Bobcat' },
			payment: { card_last4: '4242' },
		});
		expect(data.wishlist.map((w: { variant_id: string }) => w.variant_id)).toEqual([mug]);
		expect(data.messages[0]).toMatchObject({ subject: 'Sizes', message: 'Do the hoodies run large?' });
		expect(data.consent).toMatchObject({ marketing_emails: false });
		expect(data.sessions.length).toBeGreaterThanOrEqual(1);

		// A second device stays signed in until the erasure ends every session.
		const other = await login(me.email);
		expect(other.status).toBe(200);
		const otherCookie = other.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('commerce_session='))!;

		// Wrong or missing password: refused, nothing erased.
		const wrong = await asCustomer(server, me, 'DELETE', '/customers/me', { password: 'not-my-password-1' });
		expect(wrong.status).toBe(401);
		expect(wrong.json).toMatchObject({ type: 'unauthorized', message: expect.any(String) });
		expect((await asCustomer(server, me, 'DELETE', '/customers/me', {})).status).toBe(400);
		expect((await login(me.email)).status).toBe(200);

		const erased = await asCustomer(server, me, 'DELETE', '/customers/me', { password: TEST_PASSWORD });
		expect(erased.status).toBe(200);
		expect(erased.json).toMatchObject({ id: me.id, object: 'customer', deleted: true, orders_anonymized: 1 });

		expect((await login(me.email)).status).toBe(401);
		expect((await asCustomer(server, me, 'GET', '/customers/me')).status).toBe(401);
		expect((await store(server, 'GET', '/customers/me', undefined, { cookie: otherCookie })).status).toBe(401);

		const db = openDb(server);
		try {
			const row = db
				.prepare(
					`select o.email, o.customer_id, o.total, a.first_name, a.last_name, a.address_1, a.country_code
					 from orders o join address a on a.id = o.shipping_address_id where o.id = ?`,
				)
				.get(order.id);
			expect(row).toMatchObject({
				email: 'erased@erased.invalid',
				customer_id: null,
				total: order.total,
				first_name: null,
				last_name: null,
				address_1: null,
				country_code: 'us',
			});
			expect(db.prepare('select count(*) n from customer where id = ?').get(me.id)).toEqual({ n: 0 });
			expect(db.prepare('select count(*) n from contact_message where email = ?').get(me.email)).toEqual({ n: 0 });
			expect(db.prepare('select count(*) n from wishlist_item where customer_id = ?').get(me.id)).toEqual({ n: 0 });
			expect(db.prepare('select count(*) n from auth_session where user_id = ?').get(me.id)).toEqual({ n: 0 });
		} finally {
			db.close();
		}
		await expect
			.poll(() => smtp.messages.some((m) => m.to.includes(me.email) && /account was deleted/.test(m.subject)), {
				timeout: 10_000,
			})
			.toBe(true);
		// The address can register again: a fresh account with no past.
		const again = await registerCustomer(server, me.email);
		expect((await asCustomer(server, again, 'GET', '/customers/me/export')).json.orders).toEqual([]);
	});

	it('lets an admin export and erase a customer on request; staff and anonymous callers cannot', async () => {
		const boss = await adminSession(server, 'gdpr-admin@example.com', 'admin');
		const staff = await adminSession(server, 'gdpr-staff@example.com', 'staff');
		const kim = await registerCustomer(server, 'gdpr-kim@example.com');
		const mug = await variantId(server, 'snowflake-mug');
		const order = await placeOrder(server, kim, { items: [{ variantId: mug, quantity: 2 }] });

		expect((await asCustomer(server, null, 'GET', '/customers/me/export')).status).toBe(401);
		expect((await admin(server, staff, 'GET', `/customers/${kim.id}/export`)).status).toBe(403);
		const exported = await admin(server, boss, 'GET', `/customers/${kim.id}/export`);
		expect(exported.status).toBe(200);
		expect(exported.json.export.orders[0].id).toBe(order.id);

		expect((await admin(server, staff, 'POST', `/customers/${kim.id}/erase`, {})).status).toBe(403);
		const erased = await admin(server, boss, 'POST', `/customers/${kim.id}/erase`, {});
		expect(erased.status).toBe(200);
		expect(erased.json).toMatchObject({ deleted: true, orders_anonymized: 1 });
		expect((await login(kim.email)).status).toBe(401);
		const kept = await admin(server, boss, 'GET', `/orders/${order.id}`);
		expect(kept.json.order.order.email).toBe('erased@erased.invalid');
		expect(kept.json.order.shippingAddress).toMatchObject({ last_name: null, country_code: 'us' });
		expect((await admin(server, boss, 'POST', `/customers/${kim.id}/erase`, {})).json.type).toBe('not_found');
		// An admin account is not erased by accident.
		expect((await admin(server, boss, 'POST', `/customers/${boss.id}/erase`, {})).status).toBe(400);
	});
});

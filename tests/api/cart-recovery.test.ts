import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCustomer } from '../helpers/account-session.ts';
import { admin, adminSession } from '../helpers/admin.ts';
import { readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { expectShopFooter } from '../helpers/shop-email.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// Abandoned-cart recovery through the real server, its own schedule and outbox, and a real SMTP server: a cart with an
// email and items left alone gets exactly one reminder with its items; the restore link reopens it in a fresh client
// (another device: no cookies, no stored id); the order placed from it counts as recovered in the admin; completed
// carts, carts without email and unsubscribed addresses get nothing. Abandoned means "untouched for 2 s" here
// (COMMERCE_CART_RECOVERY_AFTER), and the server looks every second.

let server: TestServer;
let smtp: TestSmtpServer;
let boss: TestCustomer;

beforeAll(async () => {
	smtp = await startSmtpServer();
	server = await startServer({
		env: {
			SMTP_URL: smtp.url,
			COMMERCE_OUTBOX_POLL_MS: '100',
			COMMERCE_CART_RECOVERY_AFTER: '2s',
			COMMERCE_CART_RECOVERY_INTERVAL: '1s',
		},
	});
	boss = await adminSession(server, 'recovery-admin@example.com', 'admin');
});
afterAll(async () => {
	await server?.stop();
	await smtp?.close();
});

const mailsTo = (email: string) => smtp.messages.filter((m) => m.to.includes(email));
const reminders = (email: string) => mailsTo(email).filter((m) => /left something in your cart/.test(m.subject));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const onServer = (link: string) => link.replace(/^https?:\/\/[^/]+/, server.url);

async function cartWith(items: { variantId: string; quantity: number }[], email?: string): Promise<string> {
	const created = await store(server, 'POST', '/carts', {
		items: items.map((i) => ({ variant_id: i.variantId, quantity: i.quantity })),
	});
	expect(created.status).toBe(200);
	const id = created.json.cart.id as string;
	if (email) expect((await store(server, 'POST', `/carts/${id}`, { email })).status).toBe(200);
	return id;
}

describe('abandoned-cart recovery', () => {
	it('reminds once, restores on another device, counts the recovery and honours unsubscribe', async () => {
		const mug = await variantId(server, 'snowflake-mug');
		const tote = await variantId(server, 'canvas-tote');
		const abandoned = await cartWith(
			[
				{ variantId: mug, quantity: 2 },
				{ variantId: tote, quantity: 1 },
			],
			'Shopper@Example.com',
		);
		await cartWith([{ variantId: mug, quantity: 1 }]);
		const bought = await readyCart(server, { items: [{ variantId: tote, quantity: 1 }], email: 'buyer@example.com' });
		expect((await store(server, 'POST', `/carts/${bought}/complete`, {})).json.type).toBe('order');

		await expect.poll(() => reminders('shopper@example.com').length, { timeout: 20_000, interval: 200 }).toBe(1);
		const mail = reminders('shopper@example.com')[0];
		expect(mail.text).toMatch(/Snowflake Ceramic Mug {2}2 × \$14\.99/);
		expect(mail.text).toMatch(/Frostburg Canvas Tote {2}1 ×/);
		expectShopFooter(mail, server.url);
		const restoreLink = /https?:\/\/\S+\/store\/cart-recovery\/restore\?token=[\w.-]+/.exec(mail.text)?.[0];
		const unsubscribeLink = /https?:\/\/\S+\/store\/cart-recovery\/unsubscribe\?token=[\w.-]+/.exec(mail.text)?.[0];
		expect(restoreLink).toBeTruthy();
		expect(unsubscribeLink).toBeTruthy();

		// Several more passes of the schedule: still one reminder, and none for the completed cart or the one without email.
		await sleep(3000);
		expect(reminders('shopper@example.com')).toHaveLength(1);
		expect(reminders('buyer@example.com')).toHaveLength(0);

		// Another device: a bare client with no cookies and no stored cart id follows the link.
		const opened = await fetch(onServer(restoreLink!), { redirect: 'manual' });
		expect(opened.status).toBe(303);
		const location = new URL(opened.headers.get('location')!, server.url);
		expect(location.pathname).toBe('/cart/');
		expect(location.searchParams.get('cart_id')).toBe(abandoned);
		const restored = await store(server, 'GET', `/carts/${location.searchParams.get('cart_id')}`);
		expect(restored.status).toBe(200);
		expect(
			restored.json.cart.items.map((i: { variant_id: string; quantity: number }) => [i.variant_id, i.quantity]).sort(),
		).toEqual(
			[
				[mug, 2],
				[tote, 1],
			].sort(),
		);

		// A forged or altered token opens nothing.
		const [payload, signature] = new URL(restoreLink!).searchParams.get('token')!.split('.');
		const forged = await fetch(`${server.url}/store/cart-recovery/restore?token=${payload}.${signature.slice(1)}A`, {
			redirect: 'manual',
		});
		expect(forged.status).toBe(404);
		expect((await fetch(`${server.url}/store/cart-recovery/restore`, { redirect: 'manual' })).status).toBe(400);

		// The shopper finishes on the other device: the admin counts the cart as recovered.
		const ready = await store(server, 'POST', `/carts/${abandoned}`, {
			shipping_address: {
				first_name: 'Sam',
				last_name: 'Bobcat',
				address_1: '101 Braddock Rd',
				city: 'Frostburg',
				postal_code: '21532',
				country_code: 'us',
			},
		});
		expect(ready.status).toBe(200);
		const options = await store(server, 'GET', `/shipping-options/${abandoned}`);
		await store(server, 'POST', `/carts/${abandoned}/shipping-methods`, {
			option_id: options.json.shipping_options[0].id,
		});
		await store(server, 'POST', `/carts/${abandoned}/payment-sessions`, {});
		await store(server, 'POST', `/carts/${abandoned}/payment-session`, { provider_id: 'test' });
		const order = await store(server, 'POST', `/carts/${abandoned}/complete`, {});
		expect(order.json.type).toBe('order');

		const overview = await admin(server, boss, 'GET', '/abandoned-carts');
		expect(overview.status).toBe(200);
		expect(overview.json.stats).toMatchObject({ sent: 1, restored: 1, recovered: 1, recovery_rate: 1 });
		const row = overview.json.abandoned_carts.find((r: { cart_id: string }) => r.cart_id === abandoned);
		expect(row).toMatchObject({ email: 'shopper@example.com', status: 'sent', recovered: true });
		expect(row.order.id).toBe(order.json.data.id);
		const dashboard = await (await fetch(`${server.url}/admin/`, { headers: { cookie: boss.cookie } })).text();
		expect(dashboard).toMatch(/data-kpi="cart-recovery"[\s\S]*?100\.0% \(1 of 1 reminded\)/);
		expect(dashboard).toContain('shopper@example.com');
		// A completed cart's link opens nothing any more.
		expect((await fetch(onServer(restoreLink!), { redirect: 'manual' })).status).toBe(404);

		// Unsubscribed: the next abandoned cart of the address is never reminded.
		const unsubscribed = await fetch(onServer(unsubscribeLink!));
		expect(unsubscribed.status).toBe(200);
		expect(await unsubscribed.text()).toMatch(/Unsubscribed/);
		const again = await cartWith([{ variantId: mug, quantity: 1 }], 'shopper@example.com');
		await sleep(3000);
		const run = await admin(server, boss, 'POST', '/abandoned-carts/run');
		expect(run.status).toBe(200);
		expect(run.json.queued).toBe(0);
		expect(reminders('shopper@example.com')).toHaveLength(1);
		const after = await admin(server, boss, 'GET', '/abandoned-carts');
		expect(after.json.abandoned_carts.find((r: { cart_id: string }) => r.cart_id === again)).toMatchObject({
			status: 'skipped',
			skip_reason: 'unsubscribed',
			sent_at: null,
		});
		expect(after.json.stats).toMatchObject({ sent: 1, skipped: 1 });

		// Staff without the dashboard area, and customers, cannot read it.
		expect((await fetch(`${server.url}/admin/api/abandoned-carts`)).status).toBe(401);
	});
});

import Medusa from '@medusajs/medusa-js';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCustomer } from '../helpers/account-session.ts';
import { admin, adminSession, customerSession } from '../helpers/admin.ts';
import { ADDRESS, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';

// Outgoing webhooks through the real server: an endpoint registered in the admin API on a loopback receiver (allowed
// by COMMERCE_WEBHOOKS_ALLOW_PRIVATE), an order placed with medusa-js, the delivery verified with the
// `standardwebhooks` package, retries while the receiver is down, the delivery log, resend, rotation, auto-disable.

let server: TestServer;
let owner: TestCustomer;
let medusa: Medusa;

beforeAll(async () => {
	server = await startServer({
		env: {
			COMMERCE_WEBHOOKS_ALLOW_PRIVATE: '1',
			COMMERCE_WEBHOOKS_RETRY_BASE_MS: '20',
			COMMERCE_WEBHOOKS_DISABLE_AFTER_MS: '4000',
			COMMERCE_OUTBOX_POLL_MS: '100',
		},
	});
	owner = await adminSession(server, 'hooks-admin@example.com', 'admin');
	medusa = new Medusa({ baseUrl: server.url, maxRetries: 0 });
});
afterAll(async () => {
	await server?.stop();
});

/** A guest order through medusa-js with the offline test provider. */
async function placeOrder(email: string): Promise<{ id: string; display_id: number }> {
	const mug = await variantId(server, 'snowflake-mug');
	const { cart } = (await medusa.carts.create({ region_id: 'reg_us' })) as unknown as { cart: { id: string } };
	await medusa.carts.lineItems.create(cart.id, { variant_id: mug, quantity: 1 });
	await medusa.carts.update(cart.id, { email, shipping_address: ADDRESS });
	const { shipping_options } = (await medusa.shippingOptions.listCartOptions(cart.id)) as unknown as {
		shipping_options: { id: string }[];
	};
	await medusa.carts.addShippingMethod(cart.id, { option_id: shipping_options[0].id });
	await medusa.carts.createPaymentSessions(cart.id);
	await medusa.carts.setPaymentSession(cart.id, { provider_id: 'manual' });
	const done = (await medusa.carts.complete(cart.id)) as unknown as {
		type: string;
		data: { id: string; display_id: number };
	};
	expect(done.type).toBe('order');
	return done.data;
}

const parsed = (body: string) => JSON.parse(body) as { type: string; timestamp: string; data: Record<string, unknown> };

describe('outgoing webhooks', () => {
	let receiver: WebhookReceiver;
	afterAll(async () => receiver?.close());

	it('delivers order.placed signed per Standard Webhooks, retries while the receiver is down, and logs every attempt', async () => {
		receiver = await startWebhookReceiver();
		const created = await admin(server, owner, 'POST', '/webhooks', {
			url: receiver.url,
			events: ['order.placed', 'order.canceled'],
		});
		expect(created.status).toBe(200);
		const hook = created.json.webhook;
		expect(hook).toMatchObject({ url: receiver.url, events: ['order.placed', 'order.canceled'], enabled: true });
		expect(hook.id).toMatch(/^whep_/);
		expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

		const order = await placeOrder('hooked@example.com');
		await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
		const [first] = receiver.received;
		// The standardwebhooks package verifies id, timestamp and signature against the raw body, or throws.
		const verified = new Webhook(hook.secret).verify(first.body, first.headers as Record<string, string>) as ReturnType<
			typeof parsed
		>;
		expect(verified.type).toBe('order.placed');
		expect(first.headers['webhook-id']).toMatch(/^msg_/);
		expect(first.headers['content-type']).toBe('application/json');
		const body = parsed(first.body);
		expect(Object.keys(body).sort()).toEqual(['data', 'timestamp', 'type']);
		expect(body.data).toMatchObject({ id: order.id, display_id: order.display_id, email: 'hooked@example.com' });
		expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
		// A wrong secret or a changed body fails verification.
		expect(() =>
			new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
				first.body,
				first.headers as Record<string, string>,
			),
		).toThrow();
		expect(() =>
			new Webhook(hook.secret).verify(first.body.replace('hooked@', 'other@'), first.headers as Record<string, string>),
		).toThrow();

		// Receiver down (answers 503): the next order's message is retried with backoff (20 ms, 1.2 s, 7.2 s here: the
		// schedule's unit is shortened from 5 s), same webhook-id each time.
		receiver.respondWith(503);
		const before = receiver.received.length;
		const second = await placeOrder('retry@example.com');
		await expect.poll(() => receiver.received.length - before, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
		const attempts = receiver.received.slice(before);
		expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
		expect(parsed(attempts[0].body).data.id).toBe(second.id);

		const log = await admin(server, owner, 'GET', `/webhooks/${hook.id}/deliveries`);
		expect(log.status).toBe(200);
		const failed = log.json.deliveries.filter((d: { status: string }) => d.status === 'failed');
		expect(failed.length).toBeGreaterThanOrEqual(3);
		expect(failed[0]).toMatchObject({ event_type: 'order.placed', response_status: 503 });
		expect(typeof failed[0].latency_ms).toBe('number');
		expect(log.json.deliveries.some((d: { status: string }) => d.status === 'succeeded')).toBe(true);

		// Back up: the retry goes through, and the endpoint's failure run ends.
		receiver.respondWith(200);
		await expect
			.poll(
				async () =>
					(await admin(server, owner, 'GET', `/webhooks/${hook.id}/deliveries`)).json.deliveries[0]?.status as string,
				{ timeout: 15_000 },
			)
			.toBe('succeeded');
		expect((await admin(server, owner, 'GET', `/webhooks/${hook.id}`)).json.webhook.failure_count).toBe(0);

		// Resend from the log: the same message (webhook-id, body) arrives again, signed anew.
		const latest = (await admin(server, owner, 'GET', `/webhooks/${hook.id}/deliveries`)).json.deliveries[0];
		const count = receiver.received.length;
		const resend = await admin(server, owner, 'POST', `/webhooks/${hook.id}/deliveries/${latest.id}/resend`);
		expect(resend.status).toBe(200);
		await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(count + 1);
		const again = receiver.received[count];
		expect(again.headers['webhook-id']).toBe(latest.message_id);
		expect(new Webhook(hook.secret).verify(again.body, again.headers as Record<string, string>)).toBeTruthy();
	});

	it('rotates the secret (the old one still signs for a day), updates, disables and deletes an endpoint', async () => {
		const rx = await startWebhookReceiver();
		try {
			const { json } = await admin(server, owner, 'POST', '/webhooks', { url: rx.url, events: ['order.placed'] });
			const id = json.webhook.id as string;
			const oldSecret = json.webhook.secret as string;
			const rotated = await admin(server, owner, 'POST', `/webhooks/${id}/rotate-secret`);
			expect(rotated.status).toBe(200);
			const newSecret = rotated.json.webhook.secret as string;
			expect(newSecret).not.toBe(oldSecret);
			await placeOrder('rotate@example.com');
			await expect.poll(() => rx.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
			const [hit] = rx.received;
			expect(String(hit.headers['webhook-signature']).split(' ')).toHaveLength(2);
			expect(new Webhook(newSecret).verify(hit.body, hit.headers as Record<string, string>)).toBeTruthy();
			expect(new Webhook(oldSecret).verify(hit.body, hit.headers as Record<string, string>)).toBeTruthy();

			const updated = await admin(server, owner, 'POST', `/webhooks/${id}`, {
				events: ['order.shipped', 'inventory.low_stock'],
				description: 'ERP',
			});
			expect(updated.json.webhook).toMatchObject({
				events: ['order.shipped', 'inventory.low_stock'],
				description: 'ERP',
			});
			const disabled = await admin(server, owner, 'POST', `/webhooks/${id}/disable`);
			expect(disabled.json.webhook).toMatchObject({ enabled: false, disabled_reason: 'manual' });
			const list = await admin(server, owner, 'GET', '/webhooks');
			expect(list.json.webhooks.map((w: { id: string }) => w.id)).toContain(id);
			expect((await admin(server, owner, 'DELETE', `/webhooks/${id}`)).json).toEqual({
				id,
				object: 'webhook_endpoint',
				deleted: true,
			});
			expect((await admin(server, owner, 'GET', `/webhooks/${id}`)).status).toBe(404);
		} finally {
			await rx.close();
		}
	});

	it('disables an endpoint that keeps failing, with a notice for the merchant', async () => {
		const rx = await startWebhookReceiver();
		const { json } = await admin(server, owner, 'POST', '/webhooks', { url: rx.url, events: ['order.placed'] });
		const id = json.webhook.id as string;
		// The receiver is gone: every attempt is a refused connection.
		await rx.close();
		await placeOrder('gone@example.com');
		await expect
			.poll(async () => (await admin(server, owner, 'GET', `/webhooks/${id}`)).json.webhook.enabled, {
				timeout: 20_000,
				interval: 250,
			})
			.toBe(false);
		const { webhook } = (await admin(server, owner, 'GET', `/webhooks/${id}`)).json;
		expect(webhook.disabled_reason).toMatch(/Disabled automatically/);
		expect(webhook.failure_count).toBeGreaterThanOrEqual(2);
		// Enabling again clears the notice and the failure run.
		const enabled = await admin(server, owner, 'POST', `/webhooks/${id}/enable`);
		expect(enabled.json.webhook).toMatchObject({ enabled: true, disabled_reason: null, failure_count: 0 });
		await admin(server, owner, 'DELETE', `/webhooks/${id}`);
	});

	it('refuses bad input with Medusa errors, private URLs without the option, and non-admins', async () => {
		const bad = [
			{ url: 'ftp://example.com/x', events: ['order.placed'] },
			{ url: 'not a url', events: ['order.placed'] },
			{ url: 'https://example.com/x', events: [] },
			{ url: 'https://example.com/x', events: ['order.exploded'] },
			{ url: 'https://user:pw@example.com/x', events: ['order.placed'] },
			{ events: ['order.placed'] },
			{ url: 'https://example.com/x', events: ['order.placed'], extra: 1 },
		];
		for (const body of bad) {
			const res = await admin(server, owner, 'POST', '/webhooks', body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(res.json).toMatchObject({ type: 'invalid_data', message: expect.any(String) });
		}
		expect((await admin(server, owner, 'GET', '/webhooks/whep_nope')).json.type).toBe('not_found');
		expect((await admin(server, null, 'GET', '/webhooks')).status).toBe(401);
		const staff = await adminSession(server, 'hooks-staff@example.com', 'staff');
		expect((await admin(server, staff, 'GET', '/webhooks')).status).toBe(403);
		const shopper = await customerSession(server, 'hooks-shopper@example.com');
		expect(
			(await admin(server, shopper, 'POST', '/webhooks', { url: 'https://example.com', events: ['order.placed'] }))
				.status,
		).toBe(403);
	});
});

describe('webhooks without the private-address option', () => {
	let strict: TestServer;
	beforeAll(async () => {
		strict = await startServer();
	});
	afterAll(async () => strict?.stop());

	it('refuses loopback, private and local URLs (SSRF) and accepts a public one', async () => {
		const boss = await adminSession(strict, 'ssrf-admin@example.com', 'admin');
		for (const url of [
			'http://127.0.0.1:9/x',
			'http://localhost/x',
			'http://[::1]/x',
			'http://10.1.2.3/x',
			'http://192.168.0.10/x',
			'http://169.254.169.254/latest/meta-data',
			'http://[::ffff:127.0.0.1]/x',
			'http://printer.local/x',
		]) {
			const res = await admin(strict, boss, 'POST', '/webhooks', { url, events: ['order.placed'] });
			expect(res.status, url).toBe(400);
			expect(res.json.code, url).toBe('private_address');
		}
		const ok = await admin(strict, boss, 'POST', '/webhooks', {
			url: 'https://hooks.example.com/frostbuy',
			events: ['order.placed'],
		});
		expect(ok.status).toBe(200);
	});
});

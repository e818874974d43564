import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Medusa from '@medusajs/medusa-js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { findLedgerMismatches } from '../../plugins/commerce/src/db/repositories/stock-repository.ts';
import { moveStock } from '../../plugins/commerce/src/services/inventory/move-stock.ts';
import { ADDRESS, EXP_YEAR, readyCart, store, variantId } from '../helpers/checkout.ts';
import { type FakeStripe, signWebhook, startFakeStripe } from '../helpers/fake-stripe.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createEmptyPostgresDatabase } from '../helpers/test-db.ts';

// Scale-out on PostgreSQL: two built servers started at the same moment on one new database, behind a round-robin
// proxy on loopback, as behind a load balancer. Whatever instance answers, the shop behaves as one: one migration,
// one catalog sync, one demo admin; checkout through medusa-js; no oversell when buyers race across both; a session
// made on one works on the other; a rate limit and a sign-in lockout count across both; a webhook delivered to both applies once.

const SECRET = 'whsec_two_instances';
let database: { url: string; drop(): Promise<void> };
let a: TestServer;
let b: TestServer;
let proxy: { url: string; close(): Promise<void>; served: number[] };
let fake: FakeStripe;
let db: CommerceDb;
let scratch: string;

/** A round-robin HTTP proxy: request n goes to target n mod 2, headers and bodies passed through. */
async function startProxy(targets: string[]): Promise<typeof proxy> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const served = targets.map(() => 0);
	let next = 0;
	const server = http.createServer((req, res) => {
		const index = next++ % targets.length;
		served[index]++;
		const target = new URL(targets[index]);
		const upstream = http.request(
			{ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
			(response) => {
				res.writeHead(response.statusCode ?? 502, response.headers);
				response.pipe(res);
			},
		);
		upstream.once('error', () => {
			res.writeHead(502);
			res.end();
		});
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		served,
		close: () =>
			new Promise<void>((resolve) => {
				agent.destroy();
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

beforeAll(async () => {
	database = await createEmptyPostgresDatabase('twoinstances');
	fake = await startFakeStripe();
	scratch = mkdtempSync(join(tmpdir(), 'frostbuy-two-'));
	const env = {
		// A SQLite path is set too: on PostgreSQL no file may be written there.
		COMMERCE_DB: join(scratch, 'must-not-exist.sqlite'),
		STRIPE_SECRET_KEY: 'sk_test_frostbuy',
		STRIPE_PUBLISHABLE_KEY: 'pk_test_frostbuy',
		STRIPE_WEBHOOK_SECRET: SECRET,
		STRIPE_API_BASE: fake.url,
	};
	// Both at once on the empty database: migrations, catalog sync and the demo admin must not race.
	[a, b] = await Promise.all([
		startServer({ databaseUrl: database.url, env }),
		startServer({ databaseUrl: database.url, env }),
	]);
	proxy = await startProxy([a.url, b.url]);
	db = openDatabase(database.url);
});

afterAll(async () => {
	await db?.destroy();
	await proxy?.close();
	await Promise.all([a?.stop(), b?.stop()]);
	await fake?.close();
	await database?.drop();
	if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const via = (url: string) => ({ url }) as TestServer;

describe('two instances on one PostgreSQL database', () => {
	it('started together: one migration run, one catalog sync, one demo admin, and no SQLite file', async () => {
		const output = a.output() + b.output();
		expect(output.match(/demo admin: admin@frostbuy\.local/g)).toHaveLength(1);
		const admins = await db.selectFrom('customer').select('email').where('role', '=', 'admin').execute();
		expect(admins).toEqual([{ email: 'admin@frostbuy.local' }]);
		const variants = await db.selectFrom('product_variant').select('id').execute();
		const openings = await db
			.selectFrom('inventory_ledger')
			.select('variant_id')
			.where('reason', '=', 'sync_initial')
			.execute();
		expect(openings).toHaveLength(variants.length);
		expect(await findLedgerMismatches(db)).toEqual([]);
		expect(existsSync(join(scratch, 'must-not-exist.sqlite'))).toBe(false);
		for (const server of [a, b]) {
			const health = await fetch(`${server.url}/store/health`).then((r) => r.json());
			expect(health.database).toMatchObject({ status: 'ok', dialect: 'postgres', pending: 0 });
		}
	});

	it('runs the medusa-js checkout through the balancer: decline, retry, order, lookup', async () => {
		const medusa = new Medusa({ baseUrl: proxy.url, maxRetries: 0 });
		const hoodie = await variantId(via(proxy.url), 'classic-hoodie', 'L');
		const { cart } = (await medusa.carts.create({ region_id: 'reg_us' })) as unknown as { cart: { id: string } };
		await medusa.carts.lineItems.create(cart.id, { variant_id: hoodie, quantity: 1 });
		await medusa.carts.update(cart.id, { email: 'balanced@example.com', shipping_address: ADDRESS });
		const { shipping_options } = (await medusa.shippingOptions.listCartOptions(cart.id)) as unknown as {
			shipping_options: { id: string }[];
		};
		await medusa.carts.addShippingMethod(cart.id, { option_id: shipping_options[0].id });
		await medusa.carts.createPaymentSessions(cart.id);
		await medusa.carts.setPaymentSession(cart.id, { provider_id: 'test' });
		const card = (number: string) =>
			medusa.carts.updatePaymentSession(cart.id, 'test', {
				data: { card_number: number, exp_month: 12, exp_year: EXP_YEAR, cvc: '123' },
			});
		await card('4000 0000 0000 0002');
		const declined = await medusa.carts.complete(cart.id).catch((error) => error.response);
		expect(declined.status).toBe(422);
		expect(declined.data.message).toBe('Your card was declined.');
		await card('4242 4242 4242 4242');
		const done = (await medusa.carts.complete(cart.id)) as unknown as {
			type: string;
			data: { id: string; display_id: number; total: number };
		};
		expect(done.type).toBe('order');
		// Completing again (another instance answers) returns the same order.
		const again = (await medusa.carts.complete(cart.id)) as unknown as { data: { id: string } };
		expect(again.data.id).toBe(done.data.id);
		const { order } = (await medusa.orders.retrieve(done.data.id)) as unknown as { order: { total: number } };
		expect(order.total).toBe(done.data.total);
		for (const server of [a, b]) {
			const found = await store(
				server,
				'GET',
				`/orders?display_id=${done.data.display_id}&email=balanced@example.com&shipping_address[postal_code]=21532`,
			);
			expect(found.json.order.id).toBe(done.data.id);
		}
		expect(proxy.served.every((n) => n > 5)).toBe(true);
	});

	it('refuses a forged webhook and applies a real one once when both instances receive it at the same moment', async () => {
		const forged = await fetch(`${proxy.url}/webhooks/stripe`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=forged' },
			body: JSON.stringify({ id: 'evt_forged', type: 'payment_intent.succeeded' }),
		});
		expect(forged.status).toBe(400);

		const created = await store(a, 'POST', '/carts', {
			items: [{ variant_id: await variantId(a, 'stadium-jacket'), quantity: 1 }],
		});
		const cartId = created.json.cart.id as string;
		await store(b, 'POST', `/carts/${cartId}`, { email: 'webhook@example.com', shipping_address: ADDRESS });
		const options = await store(a, 'GET', `/shipping-options/${cartId}`);
		await store(b, 'POST', `/carts/${cartId}/shipping-methods`, { option_id: options.json.shipping_options[0].id });
		await store(a, 'POST', `/carts/${cartId}/payment-sessions`, {});
		const selected = await store(b, 'POST', `/carts/${cartId}/payment-session`, { provider_id: 'stripe' });
		const intentId = selected.json.cart.payment_session.data.id as string;
		fake.confirm(intentId, 'pm_card_visa');
		const payload = {
			id: `evt_both_${Date.now()}`,
			object: 'event',
			type: 'payment_intent.succeeded',
			api_version: '2024-06-20',
			created: Math.floor(Date.now() / 1000),
			livemode: false,
			pending_webhooks: 1,
			request: { id: null, idempotency_key: null },
			data: { object: { ...fake.intents.get(intentId), metadata: { cart_id: cartId } } },
		};
		const signed = signWebhook(payload, SECRET);
		const deliveries = await Promise.all(
			[a, b, a, b].map((server) =>
				fetch(`${server.url}/webhooks/stripe`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'stripe-signature': signed.header },
					body: signed.body,
				}),
			),
		);
		expect(deliveries.map((r) => r.status)).toEqual([200, 200, 200, 200]);
		const orders = await db.selectFrom('orders').select(['id', 'total']).where('cart_id', '=', cartId).execute();
		expect(orders).toHaveLength(1);
		const events = await db.selectFrom('webhook_event').select('event_id').where('event_id', '=', payload.id).execute();
		expect(events).toHaveLength(1);
		expect(fake.intents.get(intentId)!.amount_received).toBe(orders[0].total);
	});

	// 1,200 requests to fill the carts: minutes on a shared 2-core machine, hence its own timeout.
	it('200 buyers racing for the last 10 units across both instances: exactly 10 orders, no 5xx, stock 0 on both', {
		timeout: 600_000,
	}, async () => {
		const tee = await variantId(a, 'bobcat-paw-tee', 'L');
		const setStock = async (units: number) => {
			const level = await db
				.selectFrom('inventory_level')
				.select('stocked_quantity')
				.where('variant_id', '=', tee)
				.executeTakeFirstOrThrow();
			await moveStock(db, {
				variantId: tee,
				delta: units - level.stocked_quantity,
				reason: 'admin_adjustment',
				ref: null,
				actor: 'test',
			});
		};
		await setStock(200);
		const carts: string[] = [];
		// Carts are filled while stock allows (20 shoppers at a time, alternating instances); then the shelf drops to 10.
		for (let i = 0; i < 200; i += 20) {
			const batch = await Promise.all(
				Array.from({ length: 20 }, (_, j) =>
					readyCart(via((i + j) % 2 ? a.url : b.url), {
						items: [{ variantId: tee, quantity: 1 }],
						email: `buyer${i + j}@example.com`,
					}),
				),
			);
			carts.push(...batch);
		}
		await setStock(10);
		const results = await Promise.all(carts.map((id, i) => store(i % 2 ? a : b, 'POST', `/carts/${id}/complete`, {})));
		expect(results.filter((r) => r.status >= 500)).toEqual([]);
		const orders = results.filter((r) => r.status === 200 && r.json.type === 'order');
		expect(orders).toHaveLength(10);
		const refused = results.filter((r) => r.status === 409);
		expect(refused).toHaveLength(190);
		expect(refused.every((r) => r.json.code === 'insufficient_inventory')).toBe(true);
		// Both instances answered half of the race, and both see the shelf empty.
		for (const server of [a, b]) {
			const { json } = await store(server, 'GET', '/products?handle=bobcat-paw-tee');
			const variant = json.products[0].variants.find((v: { id: string }) => v.id === tee);
			expect(variant.inventory_quantity).toBe(0);
		}
		const sold = await sql<{ n: number }>`select coalesce(sum(l.quantity), 0) as n from order_line l
			where l.variant_id = ${tee} and l.order_id in (select id from orders where email like 'buyer%')`.execute(db);
		expect(Number(sold.rows[0].n)).toBe(10);
		expect(await findLedgerMismatches(db)).toEqual([]);
	});

	it('keeps a session made on one instance on the other', async () => {
		const registered = await store(a, 'POST', '/customers', {
			email: 'roaming@example.com',
			password: 'roaming-password-123',
			first_name: 'Ro',
			last_name: 'Aming',
		});
		expect(registered.status).toBe(200);
		const cookie = (registered.headers.get('set-cookie') ?? '').split(';')[0];
		expect(cookie).toMatch(/^commerce_session=/);
		const me = await store(b, 'GET', '/customers/me', undefined, { cookie });
		expect(me.status).toBe(200);
		expect(me.json.customer.email).toBe('roaming@example.com');
		// Signing in on B and reading on A works the same way.
		const login = await store(b, 'POST', '/auth', { email: 'roaming@example.com', password: 'roaming-password-123' });
		const second = (login.headers.get('set-cookie') ?? '').split(';')[0];
		expect((await store(a, 'GET', '/customers/me', undefined, { cookie: second })).json.customer.email).toBe(
			'roaming@example.com',
		);
		// Signing out on A ends the session on B too.
		await store(a, 'DELETE', '/auth', undefined, { cookie: second });
		expect((await store(b, 'GET', '/customers/me', undefined, { cookie: second })).status).toBe(401);
	});

	it('locks a (account, client) pair after wrong passwords split across both instances, on both', async () => {
		const email = 'locked-roamer@example.com';
		const password = 'roaming-password-123';
		expect((await store(a, 'POST', '/customers', { email, password, first_name: 'L', last_name: 'R' })).status).toBe(
			200,
		);
		const attacker = { 'x-forwarded-for': '203.0.113.88' };
		const statuses: number[] = [];
		// 5 wrong passwords are allowed per pair: 3 land on one instance and 2 on the other.
		for (let i = 0; i < 5; i++)
			statuses.push((await store(i % 2 ? a : b, 'POST', '/auth', { email, password: `wrong-${i}` }, attacker)).status);
		expect(statuses).toEqual([401, 401, 401, 401, 401]);
		// Each instance alone saw at most 3 failures; the lock holds on both, even for the right password.
		for (const server of [a, b]) {
			const locked = await store(server, 'POST', '/auth', { email, password }, attacker);
			expect(locked.status).toBe(429);
			expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
		}
		// The owner, from another address, still gets in (on either instance).
		const owner = await store(b, 'POST', '/auth', { email, password }, { 'x-forwarded-for': '198.51.100.9' });
		expect(owner.status).toBe(200);
	});

	it('counts the guest order-lookup limit across both instances', async () => {
		const client = { 'x-forwarded-for': '203.0.113.77' };
		const statuses: number[] = [];
		for (let i = 0; i < 12; i++) {
			const r = await store(
				i % 2 ? a : b,
				'GET',
				'/orders?display_id=999999&email=nobody@example.com&shipping_address[postal_code]=00000',
				undefined,
				client,
			);
			statuses.push(r.status);
		}
		// 10 lookups per 10 minutes per client, wherever they land: 5 on each instance, then both refuse.
		expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
		expect(statuses.slice(10)).toEqual([429, 429]);
		// Another client is not affected.
		const other = await store(
			a,
			'GET',
			'/orders?display_id=999999&email=nobody@example.com&shipping_address[postal_code]=00000',
			undefined,
			{ 'x-forwarded-for': '198.51.100.5' },
		);
		expect(other.status).toBe(404);
	});
});

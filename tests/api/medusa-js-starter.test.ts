import Medusa from '@medusajs/medusa-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCustomer } from '../helpers/account-session.ts';
import { admin, adminSession, openDb } from '../helpers/admin.ts';
import { ADDRESS } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// Medusa's v1 Next.js starter (medusajs/nextjs-starter-medusa, branch v1) against our Store API, replayed call by call
// as its server-side data layer (src/lib/data) makes them: medusa-js with `customHeaders` carrying
// `authorization: "Bearer <jwt>"` from POST /store/auth/token, or `authorization: ""` for guests, never a cookie. Then
// the manual ("Test payment") provider end to end with the merchant's capture, CORS for browser-side calls from an
// allowed origin, and gift cards issued in the admin.

const STOREFRONT = 'http://localhost:8000';

// Medusa shapes are read field by field, as the starter does.
type Json = any;

let server: TestServer;
let boss: TestCustomer;

beforeAll(async () => {
	server = await startServer({ env: { STORE_CORS: `${STOREFRONT},https://shop.example` } });
	boss = await adminSession(server, 'starter-admin@example.com', 'admin');
});
afterAll(async () => {
	await server?.stop();
});

/** The starter's `getMedusaHeaders`: a Bearer token when the `_medusa_jwt` cookie is set, else an empty header. */
const headers = (token?: string) => ({ next: { tags: ['cart'] }, authorization: token ? `Bearer ${token}` : '' });
const client = () => new Medusa({ baseUrl: server.url, maxRetries: 3 });

async function failure(call: Promise<unknown>): Promise<{ status: number; data: Json }> {
	try {
		await call;
	} catch (error) {
		const response = (error as { response?: { status: number; data: Json } }).response;
		if (response) return response;
		throw error;
	}
	throw new Error('expected the call to fail');
}

/** The starter's cart → checkout path up to the payment step, as its server actions call it. */
async function checkoutCart(medusa: Medusa, token?: string, email = 'starter-guest@example.com', quantity = 1) {
	const { regions } = (await medusa.regions.list()) as Json;
	const us = regions.find((r: Json) => r.countries.some((c: Json) => c.iso_2 === 'us'));
	const { products } = (await medusa.products.list(
		{ handle: 'sticker-pack', region_id: us.id },
		headers(token),
	)) as Json;
	const variant = products[0].variants[0];
	const { cart } = (await medusa.carts.create({ region_id: us.id }, headers(token))) as Json;
	await medusa.carts.lineItems.create(cart.id, { variant_id: variant.id, quantity }, headers(token));
	const address = { ...ADDRESS, address_2: '', company: '', province: '' };
	await medusa.carts.update(
		cart.id,
		{ shipping_address: address, billing_address: address, email } as Json,
		headers(token),
	);
	const { shipping_options } = (await medusa.shippingOptions.listCartOptions(cart.id, headers(token))) as Json;
	await medusa.carts.addShippingMethod(cart.id, { option_id: shipping_options[0].id }, headers(token));
	return cart.id as string;
}

describe('the v1 starter, server-side with medusa-js and Bearer-only headers', () => {
	it('builds its pages: regions with unique country ids and real providers, products with absolute image URLs, categories, collections', async () => {
		const medusa = client();
		const { regions } = (await medusa.regions.list()) as Json;
		const ids = regions.flatMap((r: Json) => r.countries.map((c: Json) => c.id));
		expect(new Set(ids).size).toBe(ids.length);
		for (const region of regions) {
			expect(region.payment_providers.map((p: Json) => p.id)).toEqual(['test', 'manual']);
			for (const country of region.countries) expect(typeof country.id).toBe('number');
		}
		const { products, count } = (await medusa.products.list(
			{ limit: 12, offset: 0, region_id: regions[0].id },
			headers(),
		)) as Json;
		expect(count).toBeGreaterThan(0);
		for (const product of products) {
			expect(product.thumbnail).toMatch(new RegExp(`^${server.url}/`));
			for (const image of product.images) expect(image.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
		}
		const image = await fetch(products[0].thumbnail);
		expect(image.status).toBe(200);
		const { product_categories } = (await medusa.productCategories.list({ expand: 'category_children' })) as Json;
		expect(product_categories.length).toBeGreaterThan(0);
		for (const category of product_categories) {
			expect(category).toHaveProperty('parent_category', null);
			expect(category.category_children).toEqual([]);
		}
		const { collections } = (await medusa.collections.list({ limit: 100 })) as Json;
		expect(Array.isArray(collections)).toBe(true);
	});

	it('treats an empty or unknown Bearer token as a guest on public routes', async () => {
		const medusa = client();
		for (const authorization of ['', 'Bearer ', 'Bearer not-a-real-token', 'Bearer undefined']) {
			const { products } = (await medusa.products.list({ limit: 1 }, { authorization })) as Json;
			expect(products).toHaveLength(1);
			const { cart } = (await medusa.carts.create({}, { authorization })) as Json;
			expect(cart.customer_id).toBeNull();
		}
		const me = await failure(medusa.customers.retrieve({ authorization: 'Bearer not-a-real-token' }));
		expect(me.status).toBe(401);
	});

	it('checks out with the manual provider: one session per region provider, the choice survives every re-render, the order awaits payment', async () => {
		const medusa = client();
		const cartId = await checkoutCart(medusa);
		const first = (await medusa.carts.createPaymentSessions(cartId, headers())) as Json;
		expect(first.cart.payment_sessions.map((s: Json) => s.provider_id).sort()).toEqual(['manual', 'test']);
		// Two providers: nothing is chosen for the shopper.
		expect(first.cart.payment_session).toBeNull();
		const chosen = (await medusa.carts.setPaymentSession(cartId, { provider_id: 'manual' }, headers())) as Json;
		expect(chosen.cart.payment_session).toMatchObject({ provider_id: 'manual', is_selected: true });
		const sessionId = chosen.cart.payment_session.id;
		// The checkout page calls createPaymentSessions on every render: the selection and the session stay.
		for (let render = 0; render < 2; render++) {
			const again = (await medusa.carts.createPaymentSessions(cartId, headers())) as Json;
			expect(again.cart.payment_session).toMatchObject({ id: sessionId, provider_id: 'manual' });
		}
		const done = (await medusa.carts.complete(cartId, headers())) as Json;
		expect(done.type).toBe('order');
		const order = done.data;
		expect(order).toMatchObject({ status: 'pending', payment_status: 'awaiting' });
		expect(order.payments).toEqual([expect.objectContaining({ provider_id: 'manual', amount: order.total })]);

		// The confirmation page: orders.retrieve as a guest (empty Authorization), every field it reads.
		const { order: page } = (await medusa.orders.retrieve(order.id, headers())) as Json;
		expect(page.payments[0].provider_id).toBe('manual');
		expect(page.items[0]).toMatchObject({ title: 'Campus Sticker Pack', quantity: 1 });
		expect(page.items[0].created_at).toBe(page.created_at);
		expect(page.items[0].thumbnail).toMatch(new RegExp(`^${server.url}/`));
		expect(page.shipping_methods[0].shipping_option.name).toEqual(expect.any(String));
		expect(page.shipping_address.postal_code).toBe('21532');
		for (const field of ['subtotal', 'tax_total', 'shipping_total', 'discount_total', 'gift_card_total', 'total'])
			expect(Number.isInteger(page[field])).toBe(true);

		// The merchant marks it paid: capture in the admin.
		const captured = await admin(server, boss, 'POST', `/orders/${order.id}/capture`, { amount: order.total });
		expect(captured.status).toBe(200);
		const { order: paid } = (await medusa.orders.retrieve(order.id, headers())) as Json;
		expect(paid.payment_status).toBe('captured');
		expect(paid.paid_total).toBe(order.total);
	});

	it('refuses a provider the region does not offer and a session for an unknown provider', async () => {
		const medusa = client();
		const cartId = await checkoutCart(medusa);
		await medusa.carts.createPaymentSessions(cartId, headers());
		const paypal = await failure(medusa.carts.setPaymentSession(cartId, { provider_id: 'paypal' }, headers()));
		expect(paypal.status).toBe(400);
		expect(paypal.data).toMatchObject({ type: 'invalid_data', code: 'unknown_payment_provider' });
		expect(paypal.data.message).toContain('test, manual');
	});

	it('registers with an 8-character password, signs in for a token, and finds the order in the account', async () => {
		const medusa = client();
		const email = 'starter-account@example.com';
		await medusa.customers.create({ first_name: 'Ada', last_name: 'Starter', email, password: 'password' }, headers());
		const { access_token } = (await medusa.auth.getToken({ email, password: 'password' })) as Json;
		expect(access_token).toEqual(expect.any(String));
		const { customer } = (await medusa.customers.retrieve(headers(access_token))) as Json;
		expect(customer.email).toBe(email);

		const cartId = await checkoutCart(medusa, access_token, email);
		await medusa.carts.createPaymentSessions(cartId, headers(access_token));
		await medusa.carts.setPaymentSession(cartId, { provider_id: 'manual' }, headers(access_token));
		const done = (await medusa.carts.complete(cartId, headers(access_token))) as Json;
		expect(done.data.customer_id).toBe(customer.id);
		// The profile's password form: sign in with the old password, then send only the new one (no old_password).
		await medusa.auth.authenticate({ email, password: 'password' }, headers(access_token));
		const changed = (await medusa.customers.update({ password: 'new secret 8' }, headers(access_token))) as Json;
		expect(changed.customer.email).toBe(email);
		await failure(medusa.auth.getToken({ email, password: 'password' }));
		expect(((await medusa.auth.getToken({ email, password: 'new secret 8' })) as Json).access_token).toBeTruthy();
		// Without a fresh sign-in from the same client, the current password is still required.
		const elsewhere = await failure(
			medusa.customers.update(
				{ password: 'another one 9' },
				{ ...headers(access_token), 'x-forwarded-for': '198.51.100.4' },
			),
		);
		expect(elsewhere.data.code).toBe('old_password_required');
		const { orders } = (await medusa.customers.listOrders({ limit: 10, offset: 0 }, headers(access_token))) as Json;
		expect(orders.map((o: Json) => o.id)).toEqual([done.data.id]);
		expect(orders[0].items[0].created_at).toEqual(expect.any(String));
	});
});

describe('CORS for browser-side calls (STORE_CORS)', () => {
	const preflight = (path: string, origin: string, method = 'POST') =>
		fetch(`${server.url}${path}`, {
			method: 'OPTIONS',
			headers: {
				origin,
				'access-control-request-method': method,
				'access-control-request-headers': 'content-type,idempotency-key,x-publishable-api-key',
			},
		});

	it('grants a preflight from an allowed origin with credentials, the methods and the requested headers', async () => {
		const response = await preflight('/store/carts', STOREFRONT);
		expect(response.status).toBe(204);
		expect(response.headers.get('access-control-allow-origin')).toBe(STOREFRONT);
		expect(response.headers.get('access-control-allow-credentials')).toBe('true');
		expect(response.headers.get('access-control-allow-methods')).toContain('POST');
		expect(response.headers.get('access-control-allow-methods')).toContain('DELETE');
		expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
		expect(response.headers.get('vary')).toContain('Origin');
	});

	it('refuses a preflight from any other origin, and never answers with *', async () => {
		const response = await preflight('/store/carts', 'https://evil.example');
		expect(response.status).toBe(403);
		expect(response.headers.get('access-control-allow-origin')).toBeNull();
		expect((await response.json()).code).toBe('cors_origin_not_allowed');
		const other = await fetch(`${server.url}/store/products?limit=1`, { headers: { origin: 'https://evil.example' } });
		expect(other.status).toBe(200);
		expect(other.headers.get('access-control-allow-origin')).toBeNull();
	});

	it('adds the CORS headers to real answers for an allowed origin, errors included', async () => {
		const ok = await fetch(`${server.url}/store/regions`, { headers: { origin: 'https://shop.example' } });
		expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
		expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
		const missing = await fetch(`${server.url}/store/carts/cart_missing`, { headers: { origin: STOREFRONT } });
		expect(missing.status).toBe(404);
		expect(missing.headers.get('access-control-allow-origin')).toBe(STOREFRONT);
	});

	it('accepts cookie-authenticated writes from an allowed origin and refuses them from others', async () => {
		const email = 'cors-cookie@example.com';
		const registered = await fetch(`${server.url}/store/customers`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: STOREFRONT },
			body: JSON.stringify({ email, password: 'long enough password', first_name: 'C', last_name: 'O' }),
		});
		expect(registered.status).toBe(200);
		const cookie = registered.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('commerce_session=') && c.length > 'commerce_session='.length)!;
		const write = (origin: string) =>
			fetch(`${server.url}/store/customers/me`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin, cookie },
				body: JSON.stringify({ first_name: 'Cora' }),
			});
		const allowed = await write(STOREFRONT);
		expect(allowed.status).toBe(200);
		expect(allowed.headers.get('access-control-allow-origin')).toBe(STOREFRONT);
		const refused = await write('https://evil.example');
		expect(refused.status).toBe(403);
		expect((await refused.json()).code).toBe('cross_origin_request');
	});

	it('answers body-less writes from an allowed origin: medusa-js in a browser sends them without a Content-Type', async () => {
		// Found walking the real starter's origin in Chromium: DELETE /store/auth got a bare 403 without CORS headers.
		const medusa = client();
		const email = 'cors-bodyless@example.com';
		await medusa.customers.create({ email, password: 'long enough password', first_name: 'B', last_name: 'L' });
		const login = await fetch(`${server.url}/store/auth`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: STOREFRONT },
			body: JSON.stringify({ email, password: 'long enough password' }),
		});
		const cookie = login.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('commerce_session=') && c.length > 'commerce_session='.length)!;
		const cartId = await checkoutCart(medusa, undefined, email);
		const bodyless = (method: string, path: string, origin: string, extra: Record<string, string> = {}) =>
			fetch(`${server.url}${path}`, { method, headers: { origin, cookie, ...extra } });

		const sessions = await bodyless('POST', `/store/carts/${cartId}/payment-sessions`, STOREFRONT);
		expect(sessions.status).toBe(200);
		expect(sessions.headers.get('access-control-allow-origin')).toBe(STOREFRONT);
		expect(((await sessions.json()) as Json).cart.payment_sessions).toHaveLength(2);

		const foreign = await bodyless('POST', `/store/carts/${cartId}/payment-sessions`, 'https://evil.example');
		expect(foreign.status).toBe(403);
		expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
		expect(((await foreign.json()) as Json).code).toBe('cross_origin_request');

		const form = await bodyless('POST', `/store/carts/${cartId}`, STOREFRONT, { 'content-type': 'text/plain' });
		expect(form.status).toBe(415);
		expect(form.headers.get('access-control-allow-origin')).toBe(STOREFRONT);
		expect(((await form.json()) as Json).code).toBe('unsupported_media_type');

		const logout = await bodyless('DELETE', '/store/auth', STOREFRONT);
		expect(logout.status).toBe(200);
		expect(logout.headers.get('access-control-allow-origin')).toBe(STOREFRONT);
		const me = await fetch(`${server.url}/store/customers/me`, { headers: { origin: STOREFRONT, cookie } });
		expect(me.status).toBe(401);
	});

	it('keeps the admin API same-origin only', async () => {
		const response = await preflight('/admin/api/orders', STOREFRONT, 'GET');
		expect(response.headers.get('access-control-allow-origin')).toBeNull();
		const get = await fetch(`${server.url}/admin/api/orders`, { headers: { origin: STOREFRONT } });
		expect(get.headers.get('access-control-allow-origin')).toBeNull();
	});
});

describe('gift cards issued in the admin', () => {
	const issue = async (body: Record<string, unknown>) => {
		const response = await admin(server, boss, 'POST', '/gift-cards', body);
		expect(response.status).toBe(200);
		return response.json.gift_card as Json;
	};

	it('reduces the total, is drawn at completion, shows its usage in the admin and comes back when the order is canceled', async () => {
		const medusa = client();
		const card = await issue({ value: 2000, currency_code: 'usd' });
		expect(card).toMatchObject({ value: 2000, balance: 2000, currency_code: 'usd', is_disabled: false });
		expect(card.code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
		const { gift_card } = (await medusa.giftCards.retrieve(card.code)) as Json;
		expect(gift_card).toMatchObject({ code: card.code, balance: 2000 });

		const cartId = await checkoutCart(medusa, undefined, 'gift@example.com', 8);
		const before = ((await medusa.carts.retrieve(cartId, headers())) as Json).cart;
		// The starter tries a code as a discount first, then as a gift card.
		const asDiscount = await failure(medusa.carts.update(cartId, { discounts: [{ code: card.code }] }, headers()));
		expect(asDiscount.status).toBe(404);
		const { cart } = (await medusa.carts.update(
			cartId,
			{ gift_cards: [{ code: card.code.toLowerCase() }] },
			headers(),
		)) as Json;
		expect(cart.gift_cards.map((g: Json) => g.code)).toEqual([card.code]);
		expect(cart.gift_card_total).toBe(2000);
		expect(cart.gift_card_tax_total).toBe(0);
		expect(cart.total).toBe(before.total - 2000);
		expect(cart.total).toBe(
			cart.subtotal + cart.shipping_total + cart.tax_total - cart.discount_total - cart.gift_card_total,
		);

		await medusa.carts.createPaymentSessions(cartId, headers());
		const selected = (await medusa.carts.setPaymentSession(cartId, { provider_id: 'manual' }, headers())) as Json;
		expect(selected.cart.payment_session.amount).toBe(cart.total);
		const done = (await medusa.carts.complete(cartId, headers())) as Json;
		expect(done.data).toMatchObject({ gift_card_total: 2000, total: cart.total });
		expect(done.data.payments[0].amount).toBe(cart.total);

		const detail = await admin(server, boss, 'GET', `/gift-cards/${card.id}`);
		expect(detail.json.gift_card).toMatchObject({ balance: 0, value: 2000 });
		expect(detail.json.gift_card.usage).toEqual([
			expect.objectContaining({ order_id: done.data.id, display_id: done.data.display_id, amount: 2000 }),
		]);
		const listed = await admin(server, boss, 'GET', '/gift-cards');
		expect(listed.json.gift_cards.find((g: Json) => g.id === card.id)).toMatchObject({ balance: 0 });

		// Spent: another cart cannot use it.
		const other = await checkoutCart(medusa, undefined, 'gift2@example.com');
		const empty = await failure(medusa.carts.update(other, { gift_cards: [{ code: card.code }] }, headers()));
		expect(empty.status).toBe(400);
		expect(empty.data.code).toBe('gift_card_empty');

		const canceled = await admin(server, boss, 'POST', `/orders/${done.data.id}/cancel`, {});
		expect(canceled.status).toBe(200);
		const restored = await admin(server, boss, 'GET', `/gift-cards/${card.id}`);
		expect(restored.json.gift_card.balance).toBe(2000);
		expect(restored.json.gift_card.usage.map((u: Json) => u.amount).sort()).toEqual([-2000, 2000]);
	});

	it('pays a whole order when the balance covers it: no payment session needed', async () => {
		const medusa = client();
		const card = await issue({ value: 100_000, currency_code: 'usd', code: 'big-gift-100' });
		expect(card.code).toBe('BIG-GIFT-100');
		const cartId = await checkoutCart(medusa, undefined, 'fullgift@example.com');
		const { cart } = (await medusa.carts.update(cartId, { gift_cards: [{ code: card.code }] }, headers())) as Json;
		expect(cart.total).toBe(0);
		const done = (await medusa.carts.complete(cartId, headers())) as Json;
		expect(done.type).toBe('order');
		expect(done.data.payments).toEqual([]);
		expect(done.data.gift_card_total).toBe(cart.gift_card_total);
		const detail = await admin(server, boss, 'GET', `/gift-cards/${card.id}`);
		expect(detail.json.gift_card.balance).toBe(100_000 - cart.gift_card_total);
	});

	it('answers 404 for an unknown code and 400 for an expired, disabled or foreign-currency card', async () => {
		const medusa = client();
		const cartId = await checkoutCart(medusa, undefined, 'giftcheck@example.com');
		const unknown = await failure(medusa.carts.update(cartId, { gift_cards: [{ code: 'NOPE-NOPE' }] }, headers()));
		expect(unknown.status).toBe(404);
		expect(unknown.data.type).toBe('not_found');
		expect((await failure(medusa.giftCards.retrieve('NOPE-NOPE'))).status).toBe(404);

		const euro = await issue({ value: 500, currency_code: 'eur' });
		const foreign = await failure(medusa.carts.update(cartId, { gift_cards: [{ code: euro.code }] }, headers()));
		expect(foreign.data).toMatchObject({ type: 'not_allowed', code: 'gift_card_currency' });

		const off = await issue({ value: 500, currency_code: 'usd' });
		await admin(server, boss, 'POST', `/gift-cards/${off.id}`, { is_disabled: true });
		const disabled = await failure(medusa.carts.update(cartId, { gift_cards: [{ code: off.code }] }, headers()));
		expect(disabled.data.code).toBe('gift_card_disabled');

		const ending = await issue({ value: 500, currency_code: 'usd', ends_at: '2099-01-01T00:00:00Z' });
		const db = openDb(server);
		db.prepare('update gift_card set ends_at = ? where id = ?').run('2020-01-01T00:00:00.000Z', ending.id);
		db.close();
		const expired = await failure(medusa.carts.update(cartId, { gift_cards: [{ code: ending.code }] }, headers()));
		expect(expired.data).toMatchObject({ type: 'not_allowed', code: 'gift_card_expired' });

		const past = await admin(server, boss, 'POST', '/gift-cards', {
			value: 500,
			currency_code: 'usd',
			ends_at: '2020-01-01T00:00:00Z',
		});
		expect(past.status).toBe(400);

		const { cart } = (await medusa.carts.retrieve(cartId, headers())) as Json;
		expect(cart.gift_cards).toEqual([]);
		expect(cart.gift_card_total).toBe(0);
	});

	it('is issued on the admin page, which shows its balance and the orders that used it', async () => {
		const form = (body: Record<string, string>) =>
			fetch(`${server.url}/admin/gift-cards`, {
				method: 'POST',
				redirect: 'manual',
				headers: { cookie: boss.cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(body),
			});
		const issued = await form({
			action: 'issue',
			value: '15.50',
			currency_code: 'usd',
			code: 'PAGE-GIFT-1',
			note: 'Raffle',
		});
		expect(issued.status).toBe(303);
		const medusa = client();
		const cartId = await checkoutCart(medusa, undefined, 'pagegift@example.com', 6);
		const { cart } = (await medusa.carts.update(cartId, { gift_cards: [{ code: 'page-gift-1' }] }, headers())) as Json;
		expect(cart.gift_card_total).toBe(1550);
		await medusa.carts.createPaymentSessions(cartId, headers());
		await medusa.carts.setPaymentSession(cartId, { provider_id: 'manual' }, headers());
		const done = (await medusa.carts.complete(cartId, headers())) as Json;
		const html = await (await fetch(`${server.url}/admin/gift-cards`, { headers: { cookie: boss.cookie } })).text();
		const row = html.slice(html.indexOf('data-code="PAGE-GIFT-1"'));
		expect(row).toContain('data-balance="0"');
		expect(row).toContain(`#${done.data.display_id}`);
		expect(row).toContain('Raffle');
		const bad = await form({ action: 'issue', value: '1.234', currency_code: 'usd' });
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('more decimals');
	});

	it('is issued only by admins', async () => {
		const staff = await adminSession(server, 'starter-staff@example.com', 'staff');
		const refused = await admin(server, staff, 'POST', '/gift-cards', { value: 500, currency_code: 'usd' });
		expect(refused.status).toBe(403);
		expect((await admin(server, null, 'GET', '/gift-cards')).status).toBe(401);
	});
});

import type SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCustomer } from '../helpers/account-session.ts';
import { ADMIN_PASSWORD, admin, adminSession, openDb } from '../helpers/admin.ts';
import { store, variantId } from '../helpers/checkout.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// Each finding of the external probe (issue #10), replayed against the built store: the exact request that used to
// answer 500, 200 with a stored 1e308 or a skipped check, and what it must answer now.

let server: TestServer;
let db: SQLite.Database;
let boss: TestCustomer;

beforeAll(async () => {
	server = await startServer();
	db = openDb(server);
	boss = await adminSession(server, 'probe-admin@example.com', 'admin');
});
afterAll(async () => {
	db?.close();
	await server?.stop();
});

const HUGE = '99999999999999999999999';

/** An admin page (HTML) with the admin's cookie. */
async function page(path: string, init: RequestInit = {}) {
	const response = await fetch(`${server.url}/admin${path}`, {
		redirect: 'manual',
		...init,
		headers: { cookie: boss.cookie, ...(init.headers as Record<string, string>) },
	});
	return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('safe integers and list parameters', () => {
	it('refuses an offset beyond the safe range on every admin list, API and page, with 400', async () => {
		for (const path of ['/orders', '/customers', '/messages']) {
			const api = await admin(server, boss, 'GET', `${path}?offset=${HUGE}`);
			expect(api.status, `API ${path}`).toBe(400);
			expect(api.json.type).toBe('invalid_data');
			expect(api.json.message).toMatch(/offset/);
			expect((await page(`${path}?offset=${HUGE}`)).status, `page ${path}`).toBe(400);
			expect((await page(`${path}?offset=1e3`)).status, `page ${path} 1e3`).toBe(400);
			expect((await page(`${path}?offset=25`)).status, `page ${path} 25`).toBe(200);
		}
		const products = await store(server, 'GET', `/products?offset=${HUGE}`);
		expect(products.status).toBe(400);
	});

	it('refuses an inventory or customer search longer than 200 characters with 400 (page and API)', async () => {
		const long = 'a'.repeat(201);
		expect((await admin(server, boss, 'GET', `/inventory?q=${long}`)).status).toBe(400);
		expect((await page(`/inventory?q=${long}`)).status).toBe(400);
		expect((await page(`/customers?q=${long}`)).status).toBe(400);
		expect((await page(`/inventory?q=${'a'.repeat(200)}`)).status).toBe(200);
	});

	it('refuses a stock delta of 1e308 or 2^53 and keeps the stock an integer', async () => {
		const variant = await variantId(server, 'bobcat-cap');
		const before = db.prepare('SELECT stocked_quantity AS q FROM inventory_level WHERE variant_id = ?').get(variant);
		for (const delta of [1e308, 2 ** 53, 1.5, '5']) {
			const res = await admin(server, boss, 'POST', `/inventory/${variant}/adjust`, { delta, reason: 'probe' });
			expect(res.status, `delta ${delta}`).toBe(400);
			expect(res.json.message).toMatch(/delta/);
		}
		const after = db.prepare('SELECT stocked_quantity AS q FROM inventory_level WHERE variant_id = ?').get(variant);
		expect(after).toEqual(before);
		const product = await store(server, 'GET', '/products?handle=bobcat-cap');
		expect(Number.isSafeInteger(product.json.products[0].variants[0].inventory_quantity)).toBe(true);
	});

	it('refuses coupon amounts and limits beyond their ranges', async () => {
		const base = { code: 'HUGE1', type: 'fixed', value: 500, currency: 'usd' };
		for (const extra of [
			{ value: 1e308 },
			{ minSubtotal: 1e308 },
			{ maxDiscountAmount: 2 ** 53 },
			{ usageLimit: 1e308 },
			{ usageLimit: 2 ** 53 },
			{ perCustomerLimit: 1e20 },
		]) {
			const res = await admin(server, boss, 'POST', '/discounts', { ...base, ...extra });
			expect(res.status, JSON.stringify(extra)).toBe(400);
		}
		expect(db.prepare("SELECT count(*) AS n FROM discount WHERE code = 'HUGE1'").get()).toEqual({ n: 0 });
	});

	it('refuses cart quantities beyond the line limit', async () => {
		const cart = await store(server, 'POST', '/carts', {});
		const variant = await variantId(server, 'bobcat-cap');
		for (const quantity of [1e308, 2 ** 53, 1000]) {
			const res = await store(server, 'POST', `/carts/${cart.json.cart.id}/line-items`, {
				variant_id: variant,
				quantity,
			});
			expect(res.status, `quantity ${quantity}`).toBe(400);
		}
	});
});

describe('methods and bodies the routes do not take', () => {
	const dynamicPaths = [
		'/store/products',
		'/store/carts',
		'/admin/api/orders',
		'/admin/api/auth',
		'/webhooks/stripe',
		'/analytics/events',
		'/metrics',
	];

	it('answers TRACE, PUT, PATCH, OPTIONS and PROPFIND on every dynamic route with 405 JSON and Allow (admin after auth)', async () => {
		const call = (method: string, path: string, headers: Record<string, string> = {}) =>
			rawRequest(server.url, method, path, headers);
		for (const method of ['TRACE', 'PUT', 'PATCH', 'OPTIONS', 'PROPFIND']) {
			for (const path of dynamicPaths) {
				const res = await call(method, path, path.startsWith('/admin/api/orders') ? { cookie: boss.cookie } : {});
				expect(res.status, `${method} ${path}: ${res.text}`).toBe(405);
				expect(res.headers.allow, `${method} ${path}`).toMatch(/GET|POST/);
				expect(res.headers['content-type']).toMatch(/application\/json/);
				expect(JSON.parse(res.text).code).toBe('method_not_allowed');
			}
			// Anonymous on an admin path: authentication first.
			const anonymous = await call(method, '/admin/api/orders');
			expect(anonymous.status, `${method} anonymous admin`).toBe(401);
			for (const path of ['/admin/orders', '/admin/inventory', '/admin/login']) {
				const res = await call(method, path, { cookie: boss.cookie });
				expect(res.status, `${method} ${path}`).toBe(405);
				expect(res.headers.allow).toMatch(/GET/);
			}
			const anonymousPage = await call(method, '/admin/orders');
			expect(anonymousPage.status, `${method} anonymous page`).toBe(303);
		}
	});

	it('answers non-form bodies posted to admin form pages, anonymous login included, with 4xx', async () => {
		const bodies: { type?: string; body?: string }[] = [
			{},
			{ type: 'text/plain', body: 'email=a@b.c' },
			{ type: 'application/json', body: '{"email":"a@b.c","password":"x"}' },
			{ type: 'application/xml', body: '<login/>' },
			{ type: 'multipart/form-data', body: 'x' },
			{ type: 'multipart/form-data; boundary=zz', body: 'not multipart' },
		];
		for (const path of ['/login', '/inventory', '/coupons', '/messages']) {
			for (const { type, body } of bodies) {
				const headers: Record<string, string> = { origin: server.url };
				if (type) headers['content-type'] = type;
				const init = { method: 'POST', body, headers };
				const res = path === '/login' ? await fetch(`${server.url}/admin${path}`, init) : await page(path, init);
				expect(res.status, `${path} ${type}`).toBeGreaterThanOrEqual(400);
				expect(res.status, `${path} ${type}`).toBeLessThan(500);
			}
		}
	});

	it('answers a body-less POST from a non-browser client in JSON', async () => {
		const res = await fetch(`${server.url}/store/carts`, { method: 'POST' });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/application\/json/);
		expect(((await res.json()) as { cart: { id: string } }).cart.id).toMatch(/^cart_/);
		const form = await fetch(`${server.url}/store/carts`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'a=b',
		});
		expect(form.status).toBe(415);
		expect(((await form.json()) as { code: string }).code).toBe('unsupported_media_type');
		const foreign = await fetch(`${server.url}/store/carts`, {
			method: 'POST',
			headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
			body: '{}',
		});
		expect(foreign.status).toBe(403);
		expect(((await foreign.json()) as { code: string }).code).toBe('cross_origin_request');
	});
});

describe('CSRF with a bearer header', () => {
	const evil = 'https://evil.example';

	it('keeps the origin check on when a bogus Bearer rides along with the session cookie', async () => {
		const register = await store(server, 'POST', '/customers', {
			email: 'csrf-bearer@example.com',
			password: 'long enough password',
			first_name: 'Csrf',
			last_name: 'Bearer',
		});
		const cookie = register.headers
			.getSetCookie()
			.find((c) => c.startsWith('commerce_session='))!
			.split(';')[0]!;
		for (const authorization of ['Bearer x', 'Bearer ', `Bearer ${'a'.repeat(40)}`]) {
			const forged = await store(
				server,
				'POST',
				'/customers/me',
				{ first_name: 'Forged' },
				{ cookie, authorization, origin: evil },
			);
			expect(forged.status, authorization).toBe(403);
			expect(forged.json.code).toBe('cross_origin_request');
		}
		const admin403 = await fetch(`${server.url}/admin/api/inventory/default-threshold`, {
			method: 'POST',
			headers: { cookie: boss.cookie, authorization: 'Bearer x', origin: evil, 'content-type': 'application/json' },
			body: JSON.stringify({ threshold: 3 }),
		});
		expect(admin403.status).toBe(403);
		expect((await store(server, 'GET', '/customers/me', undefined, { cookie })).json.customer.first_name).toBe('Csrf');

		// A valid token authenticates by itself; a bogus one on a public route is simply anonymous (medusa-js sends it).
		const token = (
			await store(server, 'POST', '/auth/token', { email: 'csrf-bearer@example.com', password: 'long enough password' })
		).json.access_token as string;
		const withToken = await store(
			server,
			'POST',
			'/customers/me',
			{ first_name: 'Token' },
			{ cookie, authorization: `Bearer ${token}`, origin: evil },
		);
		expect(withToken.status).toBe(200);
		const anonymous = await store(server, 'POST', '/carts', {}, { authorization: 'Bearer bogus' });
		expect(anonymous.status).toBe(200);
		expect((await store(server, 'GET', '/products', undefined, { authorization: 'Bearer bogus' })).status).toBe(200);
	});
});

describe('admin pages keep the CSP floor', () => {
	it("sends default-src, object-src, frame-ancestors 'none', base-uri and form-action beside Astro's hashes", async () => {
		for (const path of ['/login', '/orders', '/inventory']) {
			const res = await (path === '/login' ? fetch(`${server.url}/admin/login`) : page(path));
			expect(res.status, path).toBe(200);
			const csp = res.headers.get('content-security-policy') ?? '';
			expect(csp, path).toMatch(/script-src 'self' 'sha256-/);
			for (const directive of [
				"default-src 'self'",
				"object-src 'none'",
				"frame-ancestors 'none'",
				"base-uri 'self'",
				"form-action 'self'",
			])
				expect(csp, `${path}: ${directive}`).toContain(directive);
		}
	});
});

describe('lockout cannot be turned against the owner', () => {
	it('locks the attacker’s address after 5 wrong passwords but lets the owner in from another address (API and page)', async () => {
		const owner = await adminSession(server, 'owner-lock@example.com', 'admin');
		const attacker = { 'x-forwarded-for': '203.0.113.66' };
		const home = { 'x-forwarded-for': '198.51.100.20' };
		const login = (password: string, from: Record<string, string>) =>
			fetch(`${server.url}/admin/api/auth`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...from },
				body: JSON.stringify({ email: owner.email, password }),
			});
		const pageLogin = (password: string, from: Record<string, string>) =>
			fetch(`${server.url}/admin/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, ...from },
				body: new URLSearchParams({ email: owner.email, password }).toString(),
			});
		for (let i = 0; i < 5; i++) expect((await login(`wrong password ${i}`, attacker)).status).toBe(401);
		const locked = await login(ADMIN_PASSWORD, attacker);
		expect(locked.status).toBe(429);
		expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
		const lockedPage = await pageLogin(ADMIN_PASSWORD, attacker);
		expect(lockedPage.status).toBe(429);
		expect(Number(lockedPage.headers.get('retry-after'))).toBeGreaterThan(0);

		// The owner, elsewhere, is not locked out: API and page.
		expect((await login(ADMIN_PASSWORD, home)).status).toBe(200);
		const ownerPage = await pageLogin(ADMIN_PASSWORD, home);
		expect(ownerPage.status).toBe(303);
		expect(ownerPage.headers.getSetCookie().some((c) => /^commerce_session=[^;]+/.test(c))).toBe(true);
	});
});

import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyCart, store } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The analytics beacon against the built server. Writes are queued and flushed every 2 s, so stored rows are polled
// from the SQLite file; "nothing stored" is proven by a sentinel beacon sent afterwards (the queue keeps order).

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
let server: TestServer;
let productId: string;
let variant: string;

beforeAll(async () => {
	server = await startServer();
	// 150 in stock: enough for every checkout below, whatever ran before.
	const { json } = await store(server, 'GET', '/products?handle=sticker-pack');
	productId = json.products[0].id;
	variant = json.products[0].variants[0].id;
});
afterAll(() => server?.stop());

const newVisit = () => randomBytes(16).toString('hex');

type Row = Record<string, string | number | null>;

function rows(where = '1 = 1', ...params: unknown[]): Row[] {
	const db = new SQLite(server.databasePath, { readonly: true });
	try {
		return db.prepare(`select * from analytics_event where ${where} order by occurred_at, id`).all(...params) as Row[];
	} finally {
		db.close();
	}
}

/** Waits until `where` matches at least `count` rows (the queue flushes within about 2 s). */
async function waitForRows(count: number, where: string, ...params: unknown[]): Promise<Row[]> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const found = rows(where, ...params);
		if (found.length >= count || Date.now() > deadline) return found;
		await new Promise((done) => setTimeout(done, 100));
	}
}

function beacon(body: unknown, headers: Record<string, string> = {}) {
	return fetch(`${server.url}/analytics/events`, {
		method: 'POST',
		// What navigator.sendBeacon sends for a string body; browsers add Origin to every POST (Astro's checkOrigin
		// refuses a text/plain POST without a matching one).
		headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': BROWSER, origin: server.url, ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

/** Sends a valid beacon after the ones under test and waits for it: anything queued before it is stored by then. */
async function settle(): Promise<void> {
	const sentinel = newVisit();
	expect((await beacon({ type: 'page_view', visit_id: sentinel, path: '/sentinel' })).status).toBe(204);
	expect(await waitForRows(1, 'visit_id = ?', sentinel)).toHaveLength(1);
}

describe('POST /analytics/events', () => {
	it('stores a valid batch after the next flush, and answers 204 at once', async () => {
		const visit = newVisit();
		const now = Date.now();
		const started = performance.now();
		const response = await beacon({
			events: [
				{
					type: 'page_view',
					visit_id: visit,
					path: '/products/sticker-pack/?utm_source=mail&email=a@b.c#top',
					occurred_at: now - 2000,
				},
				{
					type: 'product_view',
					visit_id: visit,
					path: '/products/sticker-pack/',
					product_id: productId,
					occurred_at: now - 1000,
				},
				{
					type: 'add_to_cart',
					visit_id: visit,
					path: '/products/sticker-pack/',
					product_id: productId,
					variant_id: variant,
					value: 9000,
					currency: 'usd',
					occurred_at: now,
				},
			],
		});
		const elapsed = performance.now() - started;
		expect(response.status).toBe(204);
		expect(await response.text()).toBe('');
		// The answer does not wait for the 2 s flush.
		expect(elapsed).toBeLessThan(1000);
		expect(rows('visit_id = ?', visit)).toHaveLength(0);

		const stored = await waitForRows(3, 'visit_id = ?', visit);
		expect(stored.map((r) => r.type)).toEqual(['page_view', 'product_view', 'add_to_cart']);
		// The query string and fragment are cut off: they can carry emails and tokens.
		expect(stored[0]!.path).toBe('/products/sticker-pack/');
		expect(stored[2]).toMatchObject({
			product_id: productId,
			variant_id: variant,
			value: 9000,
			currency: 'usd',
			order_id: null,
			occurred_at: new Date(now).toISOString(),
		});
		expect(String(stored[0]!.id)).toMatch(/^aev_/);
	});

	it('stores a single application/json event; an implausible browser clock is replaced by the arrival time', async () => {
		const visit = newVisit();
		const before = new Date().toISOString();
		const response = await beacon(
			{ type: 'view_cart', visit_id: visit, path: '/cart/', occurred_at: '2001-01-01T00:00:00Z' },
			{ 'content-type': 'application/json' },
		);
		expect(response.status).toBe(204);
		const [row] = await waitForRows(1, 'visit_id = ?', visit);
		expect(row).toMatchObject({ type: 'view_cart', path: '/cart/' });
		expect(String(row!.occurred_at) >= before).toBe(true);
		expect(row!.occurred_at).toBe(row!.received_at);
	});

	it('drops DNT, Sec-GPC, cross-site, bot-like and user-agent-less beacons silently (204, nothing stored)', async () => {
		const dropped: string[] = [];
		const send = async (headers: Record<string, string>) => {
			const visit = newVisit();
			dropped.push(visit);
			const response = await beacon({ type: 'page_view', visit_id: visit, path: '/' }, headers);
			expect(response.status, JSON.stringify(headers)).toBe(204);
		};
		await send({ dnt: '1' });
		await send({ 'sec-gpc': '1' });
		await send({ 'sec-fetch-site': 'cross-site' });
		await send({ 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' });
		await send({
			'user-agent':
				'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36',
		});
		await send({ 'user-agent': 'curl/8.5.0' });
		await send({ 'user-agent': 'node' });
		// No User-Agent header at all (fetch always sends one, so a raw request).
		const visit = newVisit();
		dropped.push(visit);
		const body = JSON.stringify({ type: 'page_view', visit_id: visit, path: '/' });
		const status = await new Promise<number>((done, fail) => {
			const url = new URL(`${server.url}/analytics/events`);
			const req = httpRequest(
				{
					host: url.hostname,
					port: url.port,
					path: url.pathname,
					method: 'POST',
					headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), origin: server.url },
				},
				(res) => {
					res.resume();
					done(res.statusCode ?? 0);
				},
			);
			req.on('error', fail);
			req.end(body);
		});
		expect(status).toBe(204);

		await settle();
		expect(rows(`visit_id in (${dropped.map(() => '?').join(', ')})`, ...dropped)).toEqual([]);
	});

	it('refuses oversized, malformed and invalid beacons with a JSON error, and stores none of them', async () => {
		const visit = newVisit();
		const event = { type: 'page_view', visit_id: visit, path: '/' };

		const big = await beacon({ events: [{ ...event, path: `/${'x'.repeat(9000)}` }] });
		expect(big.status).toBe(413);
		expect(await big.json()).toMatchObject({ type: 'invalid_data', code: 'payload_too_large' });

		const cases: [body: unknown, code: string, message: RegExp][] = [
			['{"type": "page_view",', 'invalid_json', /not valid JSON/],
			['[1, 2]', 'invalid_json', /one event object/],
			[{ ...event, visit_id: 'not-hex' }, 'invalid_event', /visit_id/],
			[{ ...event, type: 'login' }, 'invalid_event', /type must be one of/],
			[{ ...event, email: 'shopper@example.com' }, 'invalid_event', /email/],
			[{ ...event, value: 12.5, currency: 'usd' }, 'invalid_event', /value/],
			[{ ...event, value: 1250 }, 'invalid_event', /value and currency/],
			[{ ...event, path: 'products' }, 'invalid_event', /path/],
			[{ ...event, path: `/${'p'.repeat(200)}` }, 'invalid_event', /path/],
			[{ ...event, product_id: "prod_1' or 1=1" }, 'invalid_event', /product_id/],
			[{ events: [] }, 'invalid_event', /empty/],
			[{ events: Array.from({ length: 21 }, () => event) }, 'invalid_event', /at most 20/],
		];
		for (const [body, code, message] of cases) {
			const response = await beacon(body);
			expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
			expect(response.headers.get('content-type')).toContain('application/json');
			const error = await response.json();
			expect(error, JSON.stringify(body).slice(0, 80)).toMatchObject({ type: 'invalid_data', code });
			expect(error.message).toMatch(message);
		}

		const form = await beacon(JSON.stringify(event), { 'content-type': 'application/x-www-form-urlencoded' });
		expect(form.status).toBe(415);
		expect(await form.json()).toMatchObject({ type: 'invalid_data', code: 'unsupported_media_type' });

		await settle();
		expect(rows('visit_id = ?', visit)).toEqual([]);
	});

	it('refuses purchase events from the browser, alone or inside a batch', async () => {
		const visit = newVisit();
		const purchase = { type: 'purchase', visit_id: visit, path: '/order/confirmed/', value: 100, currency: 'usd' };
		for (const body of [purchase, { events: [{ type: 'page_view', visit_id: visit, path: '/' }, purchase] }]) {
			const response = await beacon(body);
			expect(response.status).toBe(400);
			expect(await response.json()).toMatchObject({ type: 'invalid_data', code: 'purchase_not_accepted' });
		}
		await settle();
		expect(rows('visit_id = ?', visit)).toEqual([]);
	});
});

describe('server-side purchase', () => {
	it('a checkout records exactly one purchase with the order total, joined to the visit cookie', async () => {
		const visit = newVisit();
		const cartId = await readyCart(server, {
			items: [{ variantId: variant, quantity: 2 }],
			email: 'analytics@example.com',
		});
		const completed = await store(
			server,
			'POST',
			`/carts/${cartId}/complete`,
			{},
			{ cookie: `commerce_visit=${visit}` },
		);
		expect(completed.status).toBe(200);
		const order = completed.json.data;
		expect(order.total).toBeGreaterThan(0);
		// Completing again answers with the same order and records nothing new.
		const again = await store(server, 'POST', `/carts/${cartId}/complete`, {}, { cookie: `commerce_visit=${visit}` });
		expect(again.json.data.id).toBe(order.id);

		const purchases = await waitForRows(1, "type = 'purchase' and order_id = ?", order.id);
		await settle();
		expect(rows("type = 'purchase' and order_id = ?", order.id)).toHaveLength(1);
		expect(purchases[0]).toMatchObject({
			visit_id: visit,
			cart_id: cartId,
			value: order.total,
			currency: order.currency_code,
			product_id: null,
			path: null,
		});
	});

	it('without a visit cookie, or with DNT, the purchase is recorded without a visit', async () => {
		const plain = await readyCart(server, { items: [{ variantId: variant, quantity: 1 }] });
		const dnt = await readyCart(server, { items: [{ variantId: variant, quantity: 1 }] });
		const first = await store(server, 'POST', `/carts/${plain}/complete`, {});
		const second = await store(
			server,
			'POST',
			`/carts/${dnt}/complete`,
			{},
			{ cookie: `commerce_visit=${newVisit()}`, dnt: '1' },
		);
		for (const done of [first, second]) {
			expect(done.status, JSON.stringify(done.json)).toBe(200);
			const [row] = await waitForRows(1, "type = 'purchase' and order_id = ?", done.json.data.id);
			expect(row).toMatchObject({ visit_id: null, value: done.json.data.total });
		}
	});
});

describe('what is stored', () => {
	it('has no column for an IP address, user agent or email, and no such value anywhere', async () => {
		const db = new SQLite(server.databasePath, { readonly: true });
		try {
			const columns = (db.prepare('pragma table_info(analytics_event)').all() as { name: string }[]).map((c) => c.name);
			expect(columns).toEqual([
				'id',
				'visit_id',
				'type',
				'path',
				'product_id',
				'variant_id',
				'cart_id',
				'order_id',
				'value',
				'currency',
				'occurred_at',
				'received_at',
			]);
			expect(columns.filter((c) => /ip|addr|agent|ua$|email|user|customer/i.test(c))).toEqual([]);
		} finally {
			db.close();
		}
		const everything = JSON.stringify(rows());
		expect(everything).not.toContain('127.0.0.1');
		expect(everything).not.toContain('Chrome/');
		expect(everything).not.toContain('@');
	});
});

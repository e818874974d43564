import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/raw-http.ts';
import { repoRoot, startServer, type TestServer } from '../helpers/server.ts';

// `commerce serve` answers the Store API, the Stripe webhook and the analytics beacon without Astro's pipeline (its
// fast path, server/fast-path.ts); `node dist/server/entry.mjs` runs the same endpoint functions through Astro. The
// two entries must answer alike: same statuses, bodies, cookies and headers.

let fast: TestServer;
let plain: { url: string; child: ChildProcess; output: () => string };
let dir: string;

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'frostbuy-fast-'));
	fast = await startServer({ env: { TRUST_PROXY: '0' } });
	const port = await freePort();
	let output = '';
	const child = spawn(process.execPath, [join(repoRoot, 'dist/server/entry.mjs')], {
		cwd: repoRoot,
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			COMMERCE_DB: join(dir, 'commerce.sqlite'),
			COMMERCE_PUBLIC_URL: `http://127.0.0.1:${port}`,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout?.on('data', (c) => (output += c));
	child.stderr?.on('data', (c) => (output += c));
	plain = { url: `http://127.0.0.1:${port}`, child, output: () => output };
	const deadline = Date.now() + 90_000;
	for (;;) {
		const up = await fetch(`${plain.url}/store/health`).catch(() => undefined);
		if (up?.ok) break;
		if (Date.now() > deadline) throw new Error(`plain entry did not start:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}, 120_000);

afterAll(async () => {
	await fast?.stop();
	if (plain?.child.exitCode === null) {
		const exited = new Promise((done) => plain.child.once('exit', done));
		plain.child.kill('SIGTERM');
		await exited;
	}
	rmSync(dir, { recursive: true, force: true });
});

interface Answer {
	status: number;
	headers: Headers;
	body: string;
}

async function both(path: string, init: RequestInit = {}): Promise<[Answer, Answer]> {
	const call = async (base: string): Promise<Answer> => {
		const response = await fetch(base + path, { redirect: 'manual', ...init });
		return { status: response.status, headers: response.headers, body: await response.text() };
	};
	return [await call(fast.url), await call(plain.url)];
}

const SAME_HEADERS = [
	'content-type',
	'cache-control',
	'x-content-type-options',
	'x-frame-options',
	'referrer-policy',
	'content-security-policy',
	'allow',
];

/** A body without what differs between the two servers: generated ids, timestamps, each one's public origin. */
function normalized(body: string): unknown {
	const local = body.replaceAll(/http:\/\/127\.0\.0\.1:\d+/g, 'ORIGIN');
	return JSON.parse(local, (key, value) => (/(^id$|_id$|_at$)/.test(key) && value !== null ? '…' : value));
}

function expectAlike([viaFast, viaAstro]: [Answer, Answer]) {
	expect(viaFast.status).toBe(viaAstro.status);
	for (const name of SAME_HEADERS)
		expect([name, viaFast.headers.get(name)]).toEqual([name, viaAstro.headers.get(name)]);
	expect(viaFast.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
}

describe('the fast path of commerce serve', () => {
	it('answers catalog reads like Astro does, and takes the fast path after the warm-up', async () => {
		const list = await both('/store/products?limit=3');
		expectAlike(list);
		expect(normalized(list[0].body)).toEqual(normalized(list[1].body));
		// The access line says which requests skipped Astro; the start-up health check loaded the Store API's module.
		await new Promise((resolve) => setTimeout(resolve, 200));
		const lines = fast
			.output()
			.split('\n')
			.filter((line) => line.includes('request completed') && line.includes('"path":"/store/products"'))
			.map((line) => JSON.parse(line) as { route: string; fast?: boolean });
		expect(lines.at(-1)).toMatchObject({ route: '/store/products', fast: true });
	});

	it('answers errors, odd methods and HEAD alike', async () => {
		const missing = await both('/store/products/prod_nope');
		expectAlike(missing);
		expect(normalized(missing[0].body)).toEqual(normalized(missing[1].body));
		const unknown = await both('/store/no-such-route');
		expectAlike(unknown);
		expect(normalized(unknown[0].body)).toEqual(normalized(unknown[1].body));
		const put = await both('/store/products', { method: 'PUT', headers: { 'content-type': 'application/json' } });
		expectAlike(put);
		const head = await both('/store/products?limit=1', { method: 'HEAD' });
		expectAlike(head);
		expect(head[0].body).toBe('');
	});

	it('writes carts and sets session cookies alike', async () => {
		// Each database has its own ids: the same product's first variant on each server.
		const variantIds = (await both('/store/products?limit=1')).map(
			(answer) =>
				(JSON.parse(answer.body) as { products: { variants: { id: string }[] }[] }).products[0]!.variants[0]!.id,
		);
		const created = (await Promise.all(
			[fast.url, plain.url].map(async (base, i) => {
				const response = await fetch(`${base}/store/carts`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ items: [{ variant_id: variantIds[i], quantity: 2 }] }),
				});
				return { status: response.status, headers: response.headers, body: await response.text() };
			}),
		)) as [Answer, Answer];
		expectAlike(created);
		expect(normalized(created[0].body)).toEqual(normalized(created[1].body));
		const [a, b] = created.map((answer) => JSON.parse(answer.body).cart as { items: { quantity: number }[] });
		expect(a!.items.map((item) => item.quantity)).toEqual(b!.items.map((item) => item.quantity));

		const email = `fast-${Date.now()}@example.com`;
		const registered = await both('/store/customers', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, password: 'a long enough passphrase', first_name: 'Fa', last_name: 'St' }),
		});
		expectAlike(registered);
		const cookieNames = (answer: Answer) => answer.headers.getSetCookie().map((cookie) => cookie.split('=')[0]);
		expect(cookieNames(registered[0]).length).toBeGreaterThan(0);
		expect(cookieNames(registered[0])).toEqual(cookieNames(registered[1]));
	});

	it('refuses a malformed body alike', async () => {
		const malformed = await both('/store/carts', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"items":',
		});
		expectAlike(malformed);
		expect(JSON.parse(malformed[0].body)).toEqual(JSON.parse(malformed[1].body));
	});

	it('serves the analytics beacon and the Stripe webhook through the same endpoints', async () => {
		const beacon = JSON.stringify({ type: 'page_view', visit_id: 'a'.repeat(32), path: '/', occurred_at: Date.now() });
		const headers = { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (fast-path test)' };
		// Twice: the first request loads the module through Astro, the second takes the fast path.
		for (let i = 0; i < 2; i++) expectAlike(await both('/analytics/events', { method: 'POST', headers, body: beacon }));
		for (let i = 0; i < 2; i++) expectAlike(await both('/webhooks/stripe', { method: 'GET' }));
	});
});

describe('TRACE under plain `node dist/server/entry.mjs`', () => {
	// Astro's node adapter builds a fetch Request (which undici refuses for TRACE) before any route runs: a plain-text
	// 500. The integration rewrites it to OPTIONS as the entry loads (server/odd-methods.ts), as `commerce serve` does.
	it('answers like commerce serve: 405 + Allow in the Store error format, the admin after authentication', async () => {
		const api = ['/store/products', '/store/carts', '/webhooks/stripe', '/analytics/events', '/metrics'];
		for (const path of api) {
			const [viaServe, viaPlain] = await Promise.all(
				[fast.url, plain.url].map((base) => rawRequest(base, 'TRACE', path)),
			);
			expect(viaPlain!.status, `${path}: ${viaPlain!.text}`).toBe(405);
			expect(viaPlain!.headers['content-type'], path).toMatch(/application\/json/);
			expect(JSON.parse(viaPlain!.text), path).toMatchObject({ type: 'not_allowed', code: 'method_not_allowed' });
			expect(viaPlain!.headers.allow, path).toBe(viaServe!.headers.allow);
			expect(viaPlain!.headers.allow, path).toMatch(/GET|POST/);
		}
		// Anonymous admin API and page, an on-demand page, an unknown path: the same answer as under commerce serve.
		for (const path of ['/admin/api/orders', '/admin/orders', '/account/orders', '/no-such-page']) {
			const [viaServe, viaPlain] = await Promise.all(
				[fast.url, plain.url].map((base) => rawRequest(base, 'TRACE', path)),
			);
			expect(viaPlain!.status, path).toBe(viaServe!.status);
			expect(viaPlain!.status, path).toBeLessThan(500);
		}
		expect(plain.output()).not.toMatch(/HTTP method is unsupported/);
	});
});

describe('V8 heap sizing', () => {
	// Both entries ask V8 to favour memory (runtime/small-heap.ts): commerce serve before it loads the build, plain
	// `node dist/server/entry.mjs` through the call the integration adds to the adapter's server module.
	it('runs both entries with the small-heap heuristics, and the operator report says so', async () => {
		for (const base of [fast.url, plain.url]) {
			const report = (await (await fetch(`${base}/store/health?full=1`)).json()) as {
				process: { v8_heap: string; heap_used_bytes: number };
			};
			expect([base, report.process.v8_heap]).toEqual([base, 'small']);
			expect(report.process.heap_used_bytes).toBeGreaterThan(0);
		}
	});
});

import { createHash } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PAGES } from '../../plugins/commerce/src/index.ts';
import { adminRoutes } from '../../plugins/commerce/src/routes/admin/routes.ts';
import { storeRouter } from '../../plugins/commerce/src/routes/store/routes.ts';
import type { TestCustomer } from '../helpers/account-session.ts';
import { adminSession, customerSession, openDb } from '../helpers/admin.ts';
import { store, variantId } from '../helpers/checkout.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// Malformed input on EVERY route, generated from the route tables (a new route is fuzzed without editing this file):
// the Store API and admin API tables, the admin pages, the analytics beacon and the Stripe webhook, each with wrong
// types, huge and non-integer numbers, deep JSON, a 2 MB body, bad UTF-8, __proto__ keys, odd methods and wrong
// content types. Every answer must be below 500, every API refusal in the Store error format, and no 4xx may leave a
// row changed (a fingerprint of the database before and after each request).

let server: TestServer;
let db: SQLite.Database;
let boss: TestCustomer;
let shopper: TestCustomer;
let cartId: string;
let variant: string;

beforeAll(async () => {
	server = await startServer();
	db = openDb(server);
	boss = await adminSession(server, 'fuzz-admin@example.com', 'admin');
	shopper = await customerSession(server, 'fuzz-shopper@example.com');
	variant = await variantId(server, 'bobcat-cap');
	cartId = (await store(server, 'POST', '/carts', { items: [{ variant_id: variant, quantity: 1 }] })).json.cart.id;
});
afterAll(async () => {
	db?.close();
	await server?.stop();
});

// Tables that change on their own or on any authenticated request: sliding sessions, the analytics queue (flushed
// every 2 s), the instance heartbeat and backup bookkeeping.
const VOLATILE = new Set([
	'auth_session',
	'analytics_event',
	'commerce_instance',
	'commerce_lease',
	'backup_run',
	'kysely_migration',
	'kysely_migration_lock',
]);

function fingerprint(): string {
	const hash = createHash('sha256');
	const tables = db
		.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
		.all() as { name: string }[];
	for (const { name } of tables) {
		if (VOLATILE.has(name)) continue;
		hash.update(name);
		for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).iterate()) hash.update(JSON.stringify(row));
	}
	return hash.digest('hex');
}

interface Variant {
	name: string;
	type?: string;
	body: string | Buffer;
}

const WRONG_VALUES: unknown[] = [1e308, -(2 ** 53), 1.5, 'x'.repeat(5000), [], {}, null];
const KNOWN_KEYS = [
	'quantity',
	'delta',
	'amount',
	'value',
	'threshold',
	'usageLimit',
	'minSubtotal',
	'email',
	'password',
	'variant_id',
	'option_id',
	'provider_id',
	'code',
	'discounts',
	'items',
	'read',
	'reason',
	'region_id',
	'shipping_address',
	'token',
	'events',
	'type',
];

/** Body variants every POST/DELETE gets: each malformation on its own. */
function bodyVariants(): Variant[] {
	const json = 'application/json';
	return [
		{ name: 'array', type: json, body: '[]' },
		{ name: 'string', type: json, body: '"x"' },
		{ name: 'number', type: json, body: '1e308' },
		{ name: 'null', type: json, body: 'null' },
		{ name: 'truncated', type: json, body: '{"a":' },
		{
			name: '__proto__',
			type: json,
			body: '{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"role":"admin"}}}',
		},
		{ name: 'deep array', type: json, body: `${'['.repeat(20_000)}${']'.repeat(20_000)}` },
		{ name: 'deep object', type: json, body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` },
		{ name: '2 MB', type: json, body: `{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}` },
		{
			name: 'bad UTF-8',
			type: json,
			body: Buffer.from([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
		},
		{ name: 'xml', type: 'application/xml', body: '<a>1</a>' },
		{ name: 'text', type: 'text/plain', body: 'hello' },
		{ name: 'form', type: 'application/x-www-form-urlencoded', body: 'quantity=1e308&email[]=x' },
		{ name: 'multipart without boundary', type: 'multipart/form-data', body: 'x' },
		{ name: 'no content type', body: '{"quantity":1}' },
		...WRONG_VALUES.map((value) => ({
			name: `every field ${JSON.stringify(value)?.slice(0, 20)}`,
			type: json,
			body: JSON.stringify(Object.fromEntries(KNOWN_KEYS.map((k) => [k, value]))),
		})),
	];
}

const QUERY_VARIANTS = [
	'?limit=1e308&offset=99999999999999999999999',
	'?limit=-1&offset=1.5',
	`?q=${'a'.repeat(5000)}&email=${'b'.repeat(300)}`,
	'?id[]=a&id[0][x]=1&__proto__[role]=admin&constructor[prototype][x]=1',
	'?display_id=1.5&email[]=x&shipping_address=x',
	`?${'a[]=1&'.repeat(500)}`,
	'?from=2026-13-45&to=x&currency=ZZZZ',
	'?%E0%A4%A=1',
];

const ODD_METHODS = ['TRACE', 'PUT', 'OPTIONS'];

/** A route's path with real ids where the route names a cart or variant, a missing id elsewhere. */
function concrete(path: string): string {
	return path
		.replace(/^\/carts\/:id/, `/carts/${cartId}`)
		.replace(':cart_id', cartId)
		.replace(':variant_id', variant)
		.replace(/:[a-z_]+/g, 'fuzz_missing_id')
		.replace(/\[[a-z_]+\]/g, 'fuzz_missing_id');
}

interface Target {
	label: string;
	path: string;
	method: string;
	cookie?: string;
	/** HTML pages answer in HTML; everything else must answer errors in the Store error format. */
	page?: boolean;
}

const failures: string[] = [];
let requests = 0;
let baseline = '';

async function probe(target: Target, method: string, path: string, variant?: Variant): Promise<void> {
	const headers: Record<string, string> = {};
	if (target.cookie) headers.cookie = target.cookie;
	if (variant?.type) headers['content-type'] = variant.type;
	if (target.page && method === 'POST') headers.origin = server.url;
	const res = await rawRequest(server.url, method, path, headers, method === 'GET' ? undefined : variant?.body);
	requests++;
	const what = `${method} ${path.slice(0, 80)} [${variant?.name ?? 'query'}] → ${res.status}`;
	if (res.status >= 500 || res.status === 0) failures.push(`${what}: ${res.text.slice(0, 200)}`);
	const after = fingerprint();
	if (res.status >= 400 && after !== baseline) failures.push(`${what}: a refused request changed the database`);
	baseline = after;
	if (res.status >= 400 && res.status < 500 && !target.page && res.status !== 405) {
		let body: { type?: unknown; message?: unknown } | null = null;
		try {
			body = JSON.parse(res.text);
		} catch {}
		if (!String(res.headers['content-type']).includes('application/json') || typeof body?.message !== 'string')
			failures.push(`${what}: not the Store error format: ${res.text.slice(0, 120)}`);
	}
}

async function fuzz(target: Target): Promise<void> {
	const path = target.path;
	if (target.method === 'GET') {
		for (const query of QUERY_VARIANTS) await probe(target, 'GET', path + query);
	} else {
		for (const variant of bodyVariants()) await probe(target, target.method, path, variant);
	}
	for (const method of ODD_METHODS) await probe(target, method, path);
}

function targets(): Target[] {
	const list: Target[] = [];
	for (const route of storeRouter.routes) {
		// Logging out would end the session the other routes use.
		const cookie = route.path.startsWith('/auth') && route.method === 'DELETE' ? undefined : shopper.cookie;
		list.push({
			label: `store ${route.method} ${route.path}`,
			path: `/store${concrete(route.path)}`,
			method: route.method,
			cookie,
		});
	}
	for (const route of adminRoutes) {
		const cookie = route.path === '/auth' && route.method === 'DELETE' ? undefined : boss.cookie;
		list.push({
			label: `admin ${route.method} ${route.path}`,
			path: `/admin/api${concrete(route.path)}`,
			method: route.method,
			cookie,
		});
	}
	for (const [path] of ADMIN_PAGES) {
		for (const method of ['GET', 'POST'])
			list.push({
				label: `page ${method} ${path}`,
				path: `/admin${concrete(path)}`,
				method,
				cookie: boss.cookie,
				page: true,
			});
	}
	list.push({ label: 'analytics', path: '/analytics/events', method: 'POST' });
	list.push({ label: 'webhook', path: '/webhooks/stripe', method: 'POST' });
	return list;
}

describe('fuzzing every route from the route tables', () => {
	it('never answers 5xx, answers API refusals in the error format, and changes no row on a 4xx', async () => {
		baseline = fingerprint();
		const all = targets();
		expect(all.length).toBeGreaterThan(100);
		for (const target of all) await fuzz(target);
		expect(requests).toBeGreaterThan(2000);
		expect(failures).toEqual([]);
	}, 600_000);
});

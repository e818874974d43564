// `npm run bench:postgres`: the throughput figures of the scaling plan (system_design.md) for PostgreSQL, in one run
// so they compare as ratios: catalog list reads and 7-call guest checkouts against
// (1) one server on SQLite, (2) one server on PostgreSQL, (3) two servers on one PostgreSQL database with the load
// split between them. Loopback only; PostgreSQL at $BENCH_PG (default postgres://postgres@127.0.0.1:5432).
// Writes tests/output/throughput-postgres.json. Figures, not assertions.
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { startBuiltServer } from './lib/start-built-server.mjs';

const READ_SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 8);
const CHECKOUT_SECONDS = Number(process.env.BENCH_CHECKOUT_SECONDS ?? 12);
const PREFIX = process.env.BENCH_PG_PREFIX ?? 'commerce_bench';
const SERVER = (process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const ADDRESS = {
	first_name: 'Bench',
	last_name: 'Mark',
	address_1: '1 Loop Rd',
	city: 'Frostburg',
	postal_code: '21532',
	country_code: 'us',
};

async function admin(statement) {
	const client = new pg.Client({ connectionString: `${SERVER}/postgres` });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

async function call(base, method, path, body) {
	const response = await fetch(`${base}/store${path}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body && JSON.stringify(body),
	});
	const json = await response.json();
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

async function load(seconds, workers, task) {
	const latencies = [];
	const end = Date.now() + seconds * 1000;
	await Promise.all(
		Array.from({ length: workers }, async (_, worker) => {
			while (Date.now() < end) {
				const start = performance.now();
				await task(worker);
				latencies.push(performance.now() - start);
			}
		}),
	);
	latencies.sort((a, b) => a - b);
	const pct = (p) =>
		Math.round(latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] * 10) / 10;
	return { perSecond: Math.round((latencies.length / seconds) * 10) / 10, p50ms: pct(50), p95ms: pct(95) };
}

/** Reads and checkouts against `urls` (worker n uses urls[n mod length]); stock set high through the first server. */
async function measure(urls, setStock) {
	const { products } = await call(urls[0], 'GET', '/products?handle=snowflake-mug');
	const variant = products[0].variants[0].id;
	await setStock(variant);
	const reads = await load(READ_SECONDS, 16, (w) =>
		call(urls[w % urls.length], 'GET', '/products?limit=12&region_id=reg_us'),
	);
	let flows = 0;
	const checkouts = await load(CHECKOUT_SECONDS, 8, async (w) => {
		const base = urls[w % urls.length];
		const { cart } = await call(base, 'POST', '/carts', { items: [{ variant_id: variant, quantity: 1 }] });
		await call(base, 'POST', `/carts/${cart.id}`, { email: `bench${flows++}@example.com`, shipping_address: ADDRESS });
		const { shipping_options } = await call(base, 'GET', `/shipping-options/${cart.id}`);
		await call(base, 'POST', `/carts/${cart.id}/shipping-methods`, { option_id: shipping_options[0].id });
		await call(base, 'POST', `/carts/${cart.id}/payment-sessions`, {});
		await call(base, 'POST', `/carts/${cart.id}/payment-session`, { provider_id: 'test' });
		const done = await call(base, 'POST', `/carts/${cart.id}/complete`, {});
		if (done.type !== 'order') throw new Error('checkout did not place an order');
	});
	return { catalogReads: reads, checkouts };
}

const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
const results = {};

// 1. SQLite, one server.
{
	const server = await startBuiltServer({ env });
	try {
		const { default: SQLite } = await import('better-sqlite3');
		results.sqliteOneServer = await measure([server.url], async (variant) => {
			const db = new SQLite(server.databasePath);
			db.prepare('update inventory_level set stocked_quantity = 1000000 where variant_id = ?').run(variant);
			db.close();
		});
	} finally {
		await server.stop();
	}
}

// 2 and 3. PostgreSQL, one then two servers, each on a new database.
for (const [name, count] of [
	['postgresOneServer', 1],
	['postgresTwoServers', 2],
]) {
	const database = `${PREFIX}_${Date.now()}`;
	await admin(`create database ${database}`);
	const url = `${SERVER}/${database}`;
	const servers = [];
	try {
		for (let i = 0; i < count; i++) servers.push(await startBuiltServer({ env: { ...env, DATABASE_URL: url } }));
		results[name] = await measure(
			servers.map((s) => s.url),
			async (variant) => {
				const client = new pg.Client({ connectionString: url });
				await client.connect();
				await client.query('update inventory_level set stocked_quantity = 1000000 where variant_id = $1', [variant]);
				await client.end();
			},
		);
	} finally {
		await Promise.all(servers.map((s) => s.stop()));
		await admin(`drop database if exists ${database} with (force)`);
	}
}

const result = {
	measuredAt: new Date().toISOString(),
	machine: `${process.platform} ${process.arch}, Node ${process.version}`,
	workers: { catalogReads: 16, checkouts: 8, requestsPerCheckout: 7 },
	...results,
};
console.log('\nAPI throughput by database (loopback; one run, compare as ratios)\n');
for (const [name, r] of Object.entries(results))
	console.log(
		`${name.padEnd(20)} catalog ${String(r.catalogReads.perSecond).padStart(7)} req/s (p95 ${r.catalogReads.p95ms} ms)   checkout ${String(r.checkouts.perSecond).padStart(6)} orders/s (p95 ${r.checkouts.p95ms} ms)`,
	);
mkdirSync('tests/output', { recursive: true });
writeFileSync('tests/output/throughput-postgres.json', `${JSON.stringify(result, null, '\t')}\n`);

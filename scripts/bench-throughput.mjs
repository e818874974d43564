// `npm run bench` (second part): API throughput of this machine, for the scaling plan in system_design.md §5.
// Loopback only, bounded in time: catalog reads and complete guest checkouts against the built store with a throwaway
// database. Writes tests/output/throughput.json. Figures, not assertions: no test depends on timing.
import { mkdirSync, writeFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { startBuiltServer } from './lib/start-built-server.mjs';

const READ_SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 10);
const CHECKOUT_SECONDS = Number(process.env.BENCH_CHECKOUT_SECONDS ?? 15);
const ADDRESS = {
	first_name: 'Bench',
	last_name: 'Mark',
	address_1: '1 Loop Rd',
	city: 'Frostburg',
	postal_code: '21532',
	country_code: 'us',
};

const server = await startBuiltServer({ env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });

async function call(method, path, body) {
	const response = await fetch(`${server.url}/store${path}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body && JSON.stringify(body),
	});
	const json = await response.json();
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

/** Runs `task` on `workers` concurrent loops for `seconds`; returns operations per second and latency percentiles. */
async function load(seconds, workers, task) {
	const latencies = [];
	const end = Date.now() + seconds * 1000;
	await Promise.all(
		Array.from({ length: workers }, async () => {
			while (Date.now() < end) {
				const start = performance.now();
				await task();
				latencies.push(performance.now() - start);
			}
		}),
	);
	latencies.sort((a, b) => a - b);
	const pct = (p) =>
		Math.round(latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] * 10) / 10;
	return {
		operations: latencies.length,
		perSecond: Math.round((latencies.length / seconds) * 10) / 10,
		p50ms: pct(50),
		p95ms: pct(95),
	};
}

try {
	const { products } = await call('GET', '/products?handle=snowflake-mug');
	const variant = products[0].variants[0].id;
	// Enough stock that the benchmark measures checkout, not sold-out refusals.
	const db = new SQLite(server.databasePath);
	db.prepare('update inventory_level set stocked_quantity = 1000000 where variant_id = ?').run(variant);
	db.close();

	const reads = await load(READ_SECONDS, 16, () => call('GET', '/products?limit=12&region_id=reg_us'));
	let flows = 0;
	const checkouts = await load(CHECKOUT_SECONDS, 8, async () => {
		const { cart } = await call('POST', '/carts', { items: [{ variant_id: variant, quantity: 1 }] });
		await call('POST', `/carts/${cart.id}`, { email: `bench${flows++}@example.com`, shipping_address: ADDRESS });
		const { shipping_options } = await call('GET', `/shipping-options/${cart.id}`);
		await call('POST', `/carts/${cart.id}/shipping-methods`, { option_id: shipping_options[0].id });
		await call('POST', `/carts/${cart.id}/payment-sessions`, {});
		await call('POST', `/carts/${cart.id}/payment-session`, { provider_id: 'test' });
		const done = await call('POST', `/carts/${cart.id}/complete`, {});
		if (done.type !== 'order') throw new Error('checkout did not place an order');
	});
	const result = {
		measuredAt: new Date().toISOString(),
		machine: `${process.platform} ${process.arch}, Node ${process.version}`,
		catalogReads: { workers: 16, ...reads },
		checkouts: {
			workers: 8,
			requestsPerCheckout: 7,
			...checkouts,
			ordersPerDayAtThisRate: Math.round(checkouts.perSecond * 86_400),
		},
	};
	console.log('\nAPI throughput (one Node process, SQLite, loopback)\n');
	console.log(
		`catalog list   ${reads.perSecond} req/s   p50 ${reads.p50ms} ms   p95 ${reads.p95ms} ms   (16 concurrent)`,
	);
	console.log(
		`full checkout  ${checkouts.perSecond} orders/s   p50 ${checkouts.p50ms} ms   p95 ${checkouts.p95ms} ms   (8 concurrent, 7 requests each)`,
	);
	console.log(
		`               = ${result.checkouts.ordersPerDayAtThisRate.toLocaleString('en-US')} orders/day if sustained`,
	);
	mkdirSync('tests/output', { recursive: true });
	writeFileSync('tests/output/throughput.json', `${JSON.stringify(result, null, '\t')}\n`);
} finally {
	await server.stop();
}

// `npm run bench` (third part): the admin dashboard at scale and what shoppers feel while it loads. Places one order in
// the built store, stops it, clones that order (cart, lines, payment) 100,000 times and writes 1,000,000 analytics
// events straight into the SQLite file (behind the app's back, as an import would), restarts the store on it, then
// measures: the start-up rebuild of the rollups, the dashboard (median of 3, API and page), and shoppers' latency
// (catalog and product reads from 8 concurrent loops) idle and while an admin loads the dashboard 3 times — once
// right after the restart (rebuild running) and once after it; and the dashboard API (median of 3) for every range
// length the date form allows (1 to 800 days). Writes tests/output/analytics.json (BENCH_OUT overrides the path).
// BENCH_ORDERS / BENCH_EVENTS scale it (e.g. 1000000 / 10000000). Figures, not assertions.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedHistory } from './lib/seed-history.mjs';
import { startBuiltServer } from './lib/start-built-server.mjs';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SHOPPERS = 8;
const EMAIL = 'bench-admin@frostbuy.test';
const PASSWORD = 'bench-admin-password-42';
const ADDRESS = {
	first_name: 'Bench',
	last_name: 'Mark',
	address_1: '1 Loop Rd',
	city: 'Frostburg',
	postal_code: '21532',
	country_code: 'us',
};
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', COMMERCE_LOG_LEVEL: 'warn' };
const dir = mkdtempSync(join(tmpdir(), 'frostbuy-analytics-bench-'));
const databasePath = join(dir, 'commerce.sqlite');

async function json(url, method = 'GET', body, headers = {}) {
	const response = await fetch(url, {
		method,
		headers: { 'content-type': 'application/json', ...headers },
		body: body && JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 300)}`);
	return { json: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, response };
}

async function placeOneOrder(url) {
	const call = async (method, path, body) => (await json(`${url}/store${path}`, method, body)).json;
	const { products } = await call('GET', '/products?handle=snowflake-mug');
	const variant = products[0].variants[0].id;
	const { cart } = await call('POST', '/carts', { items: [{ variant_id: variant, quantity: 2 }] });
	await call('POST', `/carts/${cart.id}`, { email: 'history@example.com', shipping_address: ADDRESS });
	const { shipping_options } = await call('GET', `/shipping-options/${cart.id}`);
	await call('POST', `/carts/${cart.id}/shipping-methods`, { option_id: shipping_options[0].id });
	await call('POST', `/carts/${cart.id}/payment-sessions`, {});
	await call('POST', `/carts/${cart.id}/payment-session`, { provider_id: 'test' });
	const done = await call('POST', `/carts/${cart.id}/complete`, {});
	if (done.type !== 'order') throw new Error('checkout did not place an order');
}

/** Shoppers: SHOPPERS loops of catalog reads until `stop()`; returns latencies. */
function shoppers(url) {
	const latencies = [];
	let running = true;
	const paths = ['/store/products?limit=12&region_id=reg_us', '/store/products?handle=snowflake-mug', '/store/regions'];
	const loops = Array.from({ length: SHOPPERS }, async (_, n) => {
		for (let i = n; running; i++) {
			const start = performance.now();
			const response = await fetch(`${url}${paths[i % paths.length]}`);
			await response.arrayBuffer();
			latencies.push(performance.now() - start);
		}
	});
	return {
		async stop() {
			running = false;
			await Promise.all(loops);
			return summary(latencies);
		},
	};
}

function summary(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
	const round = (n) => Math.round(n * 10) / 10;
	return { requests: sorted.length, p50ms: round(at(50)), p99ms: round(at(99)), maxms: round(sorted.at(-1) ?? 0) };
}

/** CPU time (user + system, ms) the server process has used so far, from /proc (Linux); null elsewhere. */
function serverCpuMs(pid) {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
	} catch {
		return null;
	}
}

/** Server CPU per dashboard load, without other traffic: steadier than wall time on a shared machine. */
async function dashboardCpu(url, pid, cookie) {
	const before = serverCpuMs(pid);
	for (let i = 0; i < 10; i++) await json(`${url}/admin/api/dashboard`, 'GET', undefined, { cookie });
	const after = serverCpuMs(pid);
	return before === null || after === null ? null : Math.round(((after - before) / 10) * 10) / 10;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The ranges the dashboard's date form allows, from one day to its longest (MAX_RANGE_DAYS = 800), ending today. */
const RANGE_DAYS = [1, 7, 30, 90, 365, 800];

/** Dashboard API median of 3 (wall ms) for each range length, ending today in UTC (the default reporting zone). */
async function dashboardPerRange(url, cookie) {
	const day = (offset) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
	const out = {};
	for (const days of RANGE_DAYS) {
		const times = [];
		for (let i = 0; i < 3; i++) {
			const start = performance.now();
			await json(`${url}/admin/api/dashboard?from=${day(days - 1)}&to=${day(0)}`, 'GET', undefined, { cookie });
			times.push(performance.now() - start);
		}
		out[`${days}d`] = Math.round(median(times));
	}
	return out;
}

/** Three dashboard loads (API, or the admin page) while shoppers browse. */
async function dashboardUnderLoad(url, cookie, kind) {
	const load = shoppers(url);
	await new Promise((r) => setTimeout(r, 500));
	const times = [];
	let body;
	for (let i = 0; i < 3; i++) {
		const start = performance.now();
		const path = kind === 'api' ? '/admin/api/dashboard' : '/admin';
		body = (await json(`${url}${path}`, 'GET', undefined, { cookie })).json;
		times.push(performance.now() - start);
	}
	await new Promise((r) => setTimeout(r, 300));
	const shopper = await load.stop();
	return {
		dashboardMs: times.map((t) => Math.round(t)),
		medianMs: Math.round(median(times)),
		shoppers: shopper,
		orders: kind === 'api' ? body.orders : undefined,
		rebuilding: kind === 'api' ? body.rollups?.rebuilding : undefined,
	};
}

let server;
try {
	server = await startBuiltServer({ env, databasePath, startSeconds: 180 });
	await placeOneOrder(server.url);
	await server.stop();
	const created = spawnSync(
		process.execPath,
		['plugins/commerce/bin/commerce.mjs', 'admin:create', '--email', EMAIL, '--db', databasePath],
		{ input: PASSWORD, env },
	);
	if (created.status !== 0) throw new Error(`admin:create failed: ${created.stderr}`);
	const seeded = seedHistory(databasePath, { orders: ORDERS, events: EVENTS });
	console.log(`seeded ${ORDERS} orders and ${EVENTS} events by cloning rows in ${seeded.ms} ms`);
	// A copy of the seeded database for profiling (BENCH_KEEP_DB=/path/copy.sqlite).
	if (process.env.BENCH_KEEP_DB) copyFileSync(databasePath, process.env.BENCH_KEEP_DB);

	const restartedAt = performance.now();
	server = await startBuiltServer({ env, databasePath, startSeconds: 180 });
	// The first request starts the runtime: migrations, catalog sync, the rollup drift check.
	await json(`${server.url}/store/regions`);
	const firstAnswerMs = Math.round(performance.now() - restartedAt);
	const login = await json(`${server.url}/admin/api/auth`, 'POST', { email: EMAIL, password: PASSWORD });
	const cookie = login.response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('commerce_session='));
	const duringRebuild = await dashboardUnderLoad(server.url, cookie, 'api');
	let rebuilt;
	for (;;) {
		const { json: kpis } = await json(`${server.url}/admin/api/dashboard`, 'GET', undefined, { cookie });
		if (!kpis.rollups.rebuilding) {
			rebuilt = kpis;
			break;
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	const rebuildMs = Math.round(performance.now() - restartedAt);
	const idleLoad = shoppers(server.url);
	await new Promise((r) => setTimeout(r, 4000));
	const idle = await idleLoad.stop();
	const cpuPerDashboardMs = await dashboardCpu(server.url, server.pid, cookie);
	const loadBeforeRanges = os.loadavg()[0];
	const perRange = await dashboardPerRange(server.url, cookie);
	const api = await dashboardUnderLoad(server.url, cookie, 'api');
	const page = await dashboardUnderLoad(server.url, cookie, 'page');
	const result = {
		measuredAt: new Date().toISOString(),
		machine: `${process.platform} ${process.arch}, Node ${process.version}`,
		history: { orders: ORDERS, events: EVENTS, days: 60, seedMs: seeded.ms },
		restart: { firstAnswerMs, rebuildDoneMs: rebuildMs, ordersLast30Days: rebuilt.orders },
		shoppersIdle: idle,
		rightAfterRestart: duringRebuild,
		dashboardServerCpuMs: cpuPerDashboardMs,
		loadAverage: os.loadavg().map((n) => Math.round(n * 10) / 10),
		dashboardApiMedianMsPerRange: perRange,
		loadAverageDuringRanges: Math.round(loadBeforeRanges * 10) / 10,
		dashboardApi: api,
		dashboardPage: page,
	};
	console.log(
		`\nAdmin dashboard at ${ORDERS.toLocaleString('en-US')} orders / ${EVENTS.toLocaleString('en-US')} events\n`,
	);
	console.log(`restart: first answer ${firstAnswerMs} ms, rollups rebuilt ${rebuildMs} ms after start`);
	console.log(
		`right after restart: dashboard median ${duringRebuild.medianMs} ms; shoppers max ${duringRebuild.shoppers.maxms} ms, p99 ${duringRebuild.shoppers.p99ms} ms`,
	);
	console.log(
		`dashboard API: ${cpuPerDashboardMs} ms of server CPU per load (load average ${os.loadavg()[0].toFixed(1)})`,
	);
	console.log(`shoppers idle: p99 ${idle.p99ms} ms, max ${idle.maxms} ms (${SHOPPERS} concurrent)`);
	console.log(
		`dashboard API median per range: ${Object.entries(perRange)
			.map(([range, ms]) => `${range} ${ms} ms`)
			.join(', ')} (load average ${loadBeforeRanges.toFixed(1)})`,
	);
	for (const [name, r] of [
		['dashboard API ', api],
		['dashboard page', page],
	])
		console.log(
			`${name}: median ${r.medianMs} ms (${r.dashboardMs.join(', ')}); shoppers meanwhile max ${r.shoppers.maxms} ms, p99 ${r.shoppers.p99ms} ms`,
		);
	mkdirSync('tests/output', { recursive: true });
	writeFileSync(process.env.BENCH_OUT ?? 'tests/output/analytics.json', `${JSON.stringify(result, null, '\t')}\n`);
} finally {
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
}

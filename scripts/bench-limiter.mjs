// `npm run bench` (limiter part): does the per-address rate limiter stay flat as distinct clients pile up? The guest
// order lookup (10 per address per 10 minutes) is asked from a fresh X-Forwarded-For address per request (the server
// runs with TRUST_PROXY=1 so the header stands for the client): throughput while the limiter holds a few thousand
// addresses, then again once it holds BENCH_LIMITER_ADDRESSES (80,000). The ratio should stay near 1; the hand-written
// limiter it replaced scanned every key past 10,000 (1,337 → 405 req/s at 100k addresses in the probe).
// Writes tests/output/limiter.json. Figures, not assertions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { startBuiltServer } from './lib/start-built-server.mjs';

const ADDRESSES = Number(process.env.BENCH_LIMITER_ADDRESSES ?? 80_000);
const SAMPLE = Number(process.env.BENCH_LIMITER_SAMPLE ?? 4000);
const WORKERS = 16;

const server = await startBuiltServer({ env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', TRUST_PROXY: '1' } });
let next = 0;
const address = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** Sends `count` lookups, each from a new address, on WORKERS loops; returns requests per second. */
async function lookups(count) {
	const last = next + count;
	const start = performance.now();
	await Promise.all(
		Array.from({ length: WORKERS }, async () => {
			while (next < last) {
				const from = address(next++);
				const response = await fetch(
					`${server.url}/store/orders?display_id=1001&email=bench@example.com&shipping_address[postal_code]=21532`,
					{ headers: { 'x-forwarded-for': from } },
				);
				await response.arrayBuffer();
				if (response.status !== 404) throw new Error(`lookup from ${from}: ${response.status}`);
			}
		}),
	);
	return Math.round((count / ((performance.now() - start) / 1000)) * 10) / 10;
}

try {
	await lookups(1000); // warm-up
	const few = await lookups(SAMPLE);
	const fewKeys = next;
	await lookups(Math.max(0, ADDRESSES - next));
	const many = await lookups(SAMPLE);
	const result = {
		measuredAt: new Date().toISOString(),
		guestLookup: { fewAddresses: fewKeys, fewPerSecond: few, manyAddresses: next, manyPerSecond: many },
		ratio: Math.round((many / few) * 100) / 100,
	};
	console.log('\nRate limiter with many distinct client addresses (guest order lookup, one address per request)\n');
	console.log(`guest lookup   ${few} req/s with ${fewKeys.toLocaleString('en-US')} addresses in the limiter`);
	console.log(`               ${many} req/s with ${next.toLocaleString('en-US')} addresses`);
	console.log(`               ratio ${result.ratio} (1 = flat)`);
	mkdirSync('tests/output', { recursive: true });
	writeFileSync('tests/output/limiter.json', `${JSON.stringify(result, null, '\t')}\n`);
} finally {
	await server.stop();
}

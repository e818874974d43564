// A small keep-alive HTTP load generator (node:http), so `npm run bench` needs no extra tool. `concurrency` loops each
// send one request at a time; throughput is completed requests per second of wall time.
import http from 'node:http';

/**
 * @param {{ url: string; method?: string; headers?: Record<string, string>; body?: string }} target
 * @returns {Promise<{ status: number; body: string }>}
 */
export function request(agent, target) {
	return new Promise((resolve, reject) => {
		const req = http.request(target.url, { agent, method: target.method ?? 'GET', headers: target.headers }, (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(target.body);
	});
}

/**
 * Runs `next()`-produced requests on `concurrency` loops for `seconds` (or until `next` returns null).
 * Fails on the first non-2xx answer: a benchmark of error pages measures nothing.
 * @param {{ concurrency: number; seconds?: number; next: () => ({ url: string; method?: string; headers?: Record<string,string>; body?: string } | null) }} opts
 */
export async function load({ concurrency, seconds = 5, next }) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const latencies = [];
	const started = performance.now();
	const end = started + seconds * 1000;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (performance.now() < end) {
				const target = next();
				if (!target) return;
				const t0 = performance.now();
				const res = await request(agent, target);
				if (res.status < 200 || res.status >= 300) {
					throw new Error(`${target.method ?? 'GET'} ${target.url}: ${res.status} ${res.body.slice(0, 300)}`);
				}
				latencies.push(performance.now() - t0);
			}
		}),
	);
	const elapsed = (performance.now() - started) / 1000;
	agent.destroy();
	latencies.sort((a, b) => a - b);
	const pct = (p) => round(latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0);
	return {
		requests: latencies.length,
		seconds: elapsed,
		perSecond: round(latencies.length / elapsed),
		p50ms: pct(50),
		p99ms: pct(99),
	};
}

const round = (n) => Math.round(n * 10) / 10;

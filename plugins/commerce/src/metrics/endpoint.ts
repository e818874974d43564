import { createHash, timingSafeEqual } from 'node:crypto';
import { processState } from '../runtime/process-state.ts';
import { metrics, refreshRuntimeGauges } from './registry.ts';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

function sameSecret(given: string, expected: string): boolean {
	// Hash both so the comparison takes the same time whatever the lengths.
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

/**
 * `GET /metrics` in the Prometheus text format. Off (404) unless `METRICS_TOKEN` is set; then it answers only a
 * request with `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise), so order counts and payment failures are
 * never public.
 */
export async function metricsResponse(
	request: Request,
	env: NodeJS.ProcessEnv = process.env,
	/** Runs once the caller is authorized, before collecting (e.g. start the store so its gauges exist). */
	prepare?: () => Promise<unknown>,
): Promise<Response> {
	const token = env.METRICS_TOKEN?.trim();
	if (!token) {
		return new Response(
			JSON.stringify({
				type: 'not_found',
				message: 'Metrics are off. Set METRICS_TOKEN on the server and scrape with Authorization: Bearer <token>.',
			}),
			{ status: 404, headers: JSON_HEADERS },
		);
	}
	const match = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '');
	if (!match || !sameSecret(match[1].trim(), token)) {
		return new Response(
			JSON.stringify({
				type: 'unauthorized',
				message: 'Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.',
			}),
			{ status: 401, headers: { ...JSON_HEADERS, 'WWW-Authenticate': 'Bearer realm="metrics"' } },
		);
	}
	const m = metrics();
	try {
		await prepare?.();
		await refreshRuntimeGauges(processState().gauges);
	} catch {
		// A database that does not answer must not hide the other metrics: that is when they are needed most.
	}
	return new Response(await m.registry.metrics(), {
		status: 200,
		headers: { 'Content-Type': m.registry.contentType, 'Cache-Control': 'no-store' },
	});
}

import { isBotUserAgent, MAX_BEACON_BYTES, refusesTracking } from '../../core/analytics/events.ts';
import { CommerceError, invalid } from '../../core/errors.ts';
import { parseInput, readBodyText } from '../../http/request.ts';
import { json, methodNotAllowed, storeError } from '../../http/respond.ts';
import { errorResponse } from '../../http/router.ts';
import { getRuntime } from '../../runtime/instance.ts';
import { type EndpointContext, registerFastRoute } from '../../server/fast-routes.ts';
import { eventQueueFor } from '../../services/analytics/event-queue.ts';
import { beaconRows } from '../../services/analytics/record-events.ts';
import { createRateLimiter } from '../../services/rate-limit.ts';
import { beaconBody, type ClientEvent } from './event-validators.ts';

// Generous: a shopper sends a handful per page. Counted per address in memory only; the address is never stored.
const perAddress = createRateLimiter({ name: 'analytics-beacon', limit: 240, windowMs: 60_000 });

/**
 * The analytics route as data, like the routers' tables: its method, size cap and the body schema it declares. The
 * endpoint below parses the body once against it (`readBeacon`) before anything is recorded. It is not a router table
 * because a beacon is answered 204 before its body is read when the visitor opts out, and by its own media types.
 */
export const beaconRoute = { method: 'POST', maxBodyBytes: MAX_BEACON_BYTES, body: beaconBody } as const;

/** Every other method: 405 with `Allow: POST`, in the Store error body. */
export const ALL = (): Response => methodNotAllowed(['POST']);

/** A beacon was taken (or dropped on purpose): nothing to say, and nothing for a cache to keep. */
const accepted = () => new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });

/**
 * POST <analyticsPath>: storefront events from `navigator.sendBeacon` (text/plain) or fetch (application/json),
 * one event or `{ events: [...] }` (≤ 20), at most 8 KB.
 *
 * - 204 without reading the body: `DNT: 1` or `Sec-GPC: 1`, a bot-like or missing user agent, a cross-site request.
 * - 204 after queueing: a valid beacon. The response never waits on the database (the queue writes every 2 s).
 * - 4xx with the Store error body, for developers (a browser ignores a beacon's answer): 400 malformed or invalid
 *   (including a `purchase`, which only the server records), 413 over 8 KB, 415 another content type, 429 flood.
 */
export const POST = async ({ request, clientAddress }: EndpointContext): Promise<Response> => {
	const headers = request.headers;
	if (
		refusesTracking(headers) ||
		isBotUserAgent(headers.get('user-agent')) ||
		headers.get('sec-fetch-site') === 'cross-site'
	)
		return accepted();

	const type = (headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
	if (type !== 'text/plain' && type !== 'application/json') {
		return refused(
			415,
			'Send analytics events as application/json, or as text/plain (navigator.sendBeacon with a string).',
			'unsupported_media_type',
		);
	}
	const limit = await perAddress.hit(clientAddress ?? 'unknown');
	if (!limit.allowed) {
		return storeError(
			'too_many_requests',
			'Too many analytics beacons from this address; try again later.',
			'rate_limited',
			{ 'Retry-After': String(limit.retryAfterSeconds) },
		);
	}

	try {
		const events = await readBeacon(request);
		const runtime = await getRuntime();
		eventQueueFor(runtime.db, runtime.databasePath).push(beaconRows(events, new Date()));
		return accepted();
	} catch (error) {
		return errorResponse(error);
	}
};

/** A refusal in the Store error body with a status of its own (415: another content type). */
const refused = (status: number, message: string, code: string) =>
	json({ type: 'invalid_data', message, code }, status);

/**
 * Reads at most 8 KB and validates it once against the body the route declares: a refusal is a
 * `CommerceError` (400 naming the field, `invalid_json`, `purchase_not_accepted`, 413 when too large).
 */
async function readBeacon(request: Request): Promise<ClientEvent[]> {
	let raw: string;
	try {
		raw = await readBodyText(request, beaconRoute.maxBodyBytes);
	} catch (error) {
		if (error instanceof CommerceError && error.kind === 'too_large')
			throw new CommerceError(
				'too_large',
				`An analytics beacon is at most ${beaconRoute.maxBodyBytes / 1024} KB: send fewer events per beacon.`,
				'payload_too_large',
			);
		throw error;
	}
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		throw invalid('The beacon body is not valid JSON. Send one event object or {"events": [...]}.', 'invalid_json');
	}
	return parseInput(beaconRoute.body, body, 'invalid_event');
}

// `commerce serve` calls these without Astro's pipeline (server/fast-routes.ts).
registerFastRoute('analytics', { ALL, POST });

import type { APIRoute } from 'astro';
import { isBotUserAgent, MAX_BEACON_BYTES, refusesTracking } from '../../core/analytics/events.ts';
import { readBodyText, zodMessage } from '../../http/request.ts';
import { json, storeError } from '../../http/respond.ts';
import { StoreError } from '../../http/store-error.ts';
import { getRuntime } from '../../runtime/instance.ts';
import { eventQueueFor } from '../../services/analytics/event-queue.ts';
import { beaconRows } from '../../services/analytics/record-events.ts';
import { createRateLimiter } from '../../services/rate-limit.ts';
import { beaconBatch, type ClientEvent, clientEvent } from './event-validators.ts';

// Generous: a shopper sends a handful per page. Counted per address in memory only; the address is never stored.
const perAddress = createRateLimiter({ limit: 240, windowMs: 60_000 });

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
export const POST: APIRoute = async ({ request, clientAddress }) => {
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
	const limit = perAddress.hit(clientAddress ?? 'unknown');
	if (!limit.allowed) {
		return storeError(
			'too_many_requests',
			'Too many analytics beacons from this address; try again later.',
			'rate_limited',
			{ 'Retry-After': String(limit.retryAfterSeconds) },
		);
	}

	let raw: string;
	try {
		raw = await readBodyText(request, MAX_BEACON_BYTES);
	} catch (error) {
		if (error instanceof StoreError)
			return refused(
				413,
				`An analytics beacon is at most ${MAX_BEACON_BYTES / 1024} KB: send fewer events per beacon.`,
				'payload_too_large',
			);
		throw error;
	}
	const parsed = parseBeacon(raw);
	if (!parsed.ok) return refused(400, parsed.message, parsed.code);

	const runtime = await getRuntime();
	eventQueueFor(runtime.db, runtime.databasePath).push(beaconRows(parsed.events, new Date()));
	return accepted();
};

/** A refusal in the Store error body; the status says which (400 invalid, 413 too large, 415 wrong type). */
const refused = (status: number, message: string, code: string) =>
	json({ type: 'invalid_data', message, code }, status);

type ParsedBeacon = { ok: true; events: ClientEvent[] } | { ok: false; message: string; code: string };

/** JSON → one event or `{ events }`; a `purchase` anywhere refuses the whole beacon with its own message. */
function parseBeacon(raw: string): ParsedBeacon {
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		return {
			ok: false,
			message: 'The beacon body is not valid JSON. Send one event object or {"events": [...]}.',
			code: 'invalid_json',
		};
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return {
			ok: false,
			message: 'The beacon body must be one event object or {"events": [...]}.',
			code: 'invalid_json',
		};
	}
	const record = body as Record<string, unknown>;
	const batch = 'events' in record;
	const items: unknown[] = batch && Array.isArray(record.events) ? record.events : [record];
	if (items.some((item) => !!item && typeof item === 'object' && (item as { type?: unknown }).type === 'purchase')) {
		return {
			ok: false,
			message: 'purchase events are recorded by the server when an order is placed; browsers cannot send them.',
			code: 'purchase_not_accepted',
		};
	}
	const result = batch ? beaconBatch.safeParse(record) : clientEvent.safeParse(record);
	if (!result.success) return { ok: false, message: zodMessage(result.error), code: 'invalid_event' };
	return { ok: true, events: 'events' in result.data ? result.data.events : [result.data] };
}

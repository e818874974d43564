import { z } from 'zod';
import {
	CLIENT_EVENT_TYPES,
	MAX_EVENTS_PER_BEACON,
	MAX_PATH_LENGTH,
	VISIT_ID_PATTERN,
} from '../../core/analytics/events.ts';
import { INTEGER_RANGES, safeInt } from '../../core/safe-integers.ts';

// Beacon bodies. Strict: an unknown key is a developer's typo (or an attempt to smuggle data such as an email into
// the table), so it is refused with its name rather than silently stored or dropped.

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `must be a ${prefix}_… id`);

/** A pathname; a query string or fragment is cut off (they can carry tokens or emails), the rest is kept as is. */
const path = z
	.string()
	.transform((p) => p.split(/[?#]/, 1)[0]!)
	.pipe(
		z
			.string()
			.max(MAX_PATH_LENGTH, `path must be at most ${MAX_PATH_LENGTH} characters`)
			// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what the path must not hold
			.regex(/^\/[^\s\u0000-\u001f]*$/, 'path must be a pathname starting with /'),
	);

/** Epoch milliseconds or an ISO-8601 timestamp; the server decides whether to believe it. */
const timestamp = z.union([
	safeInt(INTEGER_RANGES.epochMs, 'occurred_at'),
	z
		.string()
		.max(40)
		.refine((s) => !Number.isNaN(Date.parse(s)), 'occurred_at must be an ISO-8601 timestamp or epoch milliseconds')
		.transform((s) => Date.parse(s)),
]);

/** One event as a browser sends it. `purchase` is not among the types: only the server records purchases. */
export const clientEvent = z
	.object({
		type: z.enum(CLIENT_EVENT_TYPES, {
			errorMap: () => ({ message: `type must be one of ${CLIENT_EVENT_TYPES.join(', ')}` }),
		}),
		visit_id: z.string().regex(VISIT_ID_PATTERN, 'visit_id must be 32 lowercase hex digits'),
		path: path.optional(),
		product_id: id('prod').optional(),
		variant_id: id('variant').optional(),
		cart_id: id('cart').optional(),
		value: safeInt(INTEGER_RANGES.minorUnits, 'value').int('value must be an integer amount of minor units').optional(),
		currency: z
			.string()
			.regex(/^[a-z]{3}$/, 'currency must be three lowercase letters')
			.optional(),
		occurred_at: timestamp.optional(),
	})
	.strict()
	.refine((e) => (e.value === undefined) === (e.currency === undefined), {
		message: 'value and currency go together',
		path: ['currency'],
	});

export type ClientEvent = z.output<typeof clientEvent>;

/** A batch beacon: `{ events: [...] }` with 1 to 20 events. A body without `events` is one event (`clientEvent`). */
export const beaconBatch = z
	.object({
		events: z
			.array(clientEvent)
			.min(1, 'events must not be empty')
			.max(MAX_EVENTS_PER_BEACON, `a beacon carries at most ${MAX_EVENTS_PER_BEACON} events`),
	})
	.strict();

const refuse = (ctx: z.RefinementCtx, message: string, code: string) => {
	ctx.addIssue({ code: 'custom', message, params: { code } });
	return z.NEVER;
};

/**
 * The body of `POST <analyticsPath>`: one event or `{ events: [...] }`, always coming out as a list. A `purchase`
 * anywhere refuses the whole beacon with its own code (only the server records purchases); a body that is not an
 * object is `invalid_json`; anything else wrong names its field.
 */
export const beaconBody = z.unknown().transform((body, ctx): ClientEvent[] => {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return refuse(ctx, 'The beacon body must be one event object or {"events": [...]}.', 'invalid_json');
	const record = body as Record<string, unknown>;
	const batch = 'events' in record;
	const items: unknown[] = batch && Array.isArray(record.events) ? record.events : [record];
	if (items.some((item) => !!item && typeof item === 'object' && (item as { type?: unknown }).type === 'purchase'))
		return refuse(
			ctx,
			'purchase events are recorded by the server when an order is placed; browsers cannot send them.',
			'purchase_not_accepted',
		);
	const result = batch ? beaconBatch.safeParse(record) : clientEvent.safeParse(record);
	if (!result.success) {
		for (const issue of result.error.issues) ctx.addIssue(issue);
		return z.NEVER;
	}
	return 'events' in result.data ? result.data.events : [result.data];
});

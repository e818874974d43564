import { z } from 'zod';
import type { AdminOrderAction } from '../../services/admin/orders.ts';
import { dayRange } from '../../services/analytics/dashboard-kpis.ts';

// Request schemas of the admin API, declared on its routes (`routes.ts`) and applied by the router before a handler
// runs. Strict: an unknown key is a typo the merchant should hear about.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write dates as YYYY-MM-DD');
const minorUnits = z.number().int('write amounts in minor units (cents) as whole numbers');

export const loginBody = z
	.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024) })
	.strict();

const todayUtc = () => new Date().toISOString().slice(0, 10);
const daysAgoUtc = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * The dashboard's days and currency; a reversed or too long range is 400. Missing days are left for the route, which
 * fills in the last 30 days up to today in the reporting time zone.
 */
export const dashboardQuery = z
	.object({
		from: day.optional(),
		to: day.optional(),
		currency: z
			.string()
			.regex(/^[a-z]{3}$/)
			.optional(),
	})
	.strict()
	.transform((q, ctx) => {
		const range = { from: q.from, to: q.to, currency: q.currency };
		try {
			dayRange(range.from ?? daysAgoUtc(29), range.to ?? todayUtc());
		} catch (error) {
			ctx.addIssue({
				code: 'custom',
				path: ['from'],
				message: (error as Error).message,
				params: { code: 'invalid_range' },
			});
			return z.NEVER;
		}
		return range;
	});

export const captureBody = z.object({ amount: minorUnits.positive('amount must be above 0').optional() }).strict();

export const emptyBody = z.object({}).strict();

export const cancelBody = z.object({ reason: z.string().max(500).optional() }).strict();

export const shipBody = z
	.object({ carrier: z.string().trim().min(1).max(80), tracking_number: z.string().trim().min(1).max(120) })
	.strict();

export const refundBody = z
	.object({
		amount: minorUnits.positive('amount must be above 0'),
		restock_lines: z
			.array(z.object({ line_id: z.string().min(1), quantity: z.number().int().min(1) }).strict())
			.max(200)
			.optional(),
	})
	.strict();

export const thresholdBody = z.object({ threshold: z.number().int().min(0).nullable() }).strict();

export const defaultThresholdBody = z.object({ threshold: z.number().int().min(0) }).strict();

export const listQuery = z
	.object({
		q: z.string().max(200).optional(),
		unread: z.enum(['true', 'false']).optional(),
		limit: z.coerce.number().int().min(1).max(200).optional(),
		offset: z.coerce.number().int().min(0).optional(),
	})
	.strict();

export const readBody = z.object({ read: z.boolean() }).strict();

type ActionSchema = z.ZodType<AdminOrderAction, z.ZodTypeDef, unknown>;

/** The body of each order action (`POST /orders/:id/<path>`), turned into the service's action. */
export const orderActionBodies: { path: string; body: ActionSchema }[] = [
	{ path: 'capture', body: captureBody.transform((b): AdminOrderAction => ({ type: 'capture', amount: b.amount })) },
	{ path: 'mark-processing', body: emptyBody.transform((): AdminOrderAction => ({ type: 'mark_processing' })) },
	{
		path: 'ship',
		body: shipBody.transform(
			(b): AdminOrderAction => ({ type: 'ship', carrier: b.carrier, trackingNumber: b.tracking_number }),
		),
	},
	{ path: 'deliver', body: emptyBody.transform((): AdminOrderAction => ({ type: 'deliver' })) },
	{ path: 'cancel', body: cancelBody.transform((b): AdminOrderAction => ({ type: 'cancel', reason: b.reason })) },
	{
		path: 'refund',
		body: refundBody.transform(
			(b): AdminOrderAction => ({
				type: 'refund',
				amount: b.amount,
				restockLines: b.restock_lines?.map((l) => ({ lineId: l.line_id, quantity: l.quantity })),
			}),
		),
	},
];

import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write dates as YYYY-MM-DD');
const minorUnits = z.number().int('write amounts in minor units (cents) as whole numbers');

export const loginBody = z
	.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024) })
	.strict();

export const dashboardQuery = z
	.object({
		from: day.optional(),
		to: day.optional(),
		currency: z
			.string()
			.regex(/^[a-z]{3}$/)
			.optional(),
	})
	.strict();

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

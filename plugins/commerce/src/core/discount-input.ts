import { z } from 'zod';
import { INTEGER_RANGES, safeInt } from './safe-integers.ts';

// The rules of a discount as a merchant writes them (seed option, CLI, admin API and admin pages). Pure and free of
// the database, so `options.ts` (and with it astro.config.mjs) can validate seed discounts without loading a service.

const minorUnits = safeInt(INTEGER_RANGES.minorUnits, 'amount').int(
	'write amounts in minor units (cents) as whole numbers',
);
const usage = (label: string, min: number) => safeInt({ min, max: INTEGER_RANGES.usageCount.max }, label);

/**
 * A discount as a merchant defines it. Amounts are minor units; fixed amounts and minimum subtotals need a currency
 * because $5 and €5 are different discounts. Product and category restrictions are handles, resolved by the service.
 */
export const discountInput = z
	.object({
		code: z
			.string()
			.trim()
			.min(3)
			.max(64)
			.regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "-" and "_" only'),
		description: z.string().max(200).optional(),
		type: z.enum(['percentage', 'fixed', 'free_shipping']),
		/** Percent (10 = 10 %) for percentage, minor units for fixed, 0 for free shipping. */
		value: z
			.number()
			.min(0)
			.max(INTEGER_RANGES.minorUnits.max, `value must be at most ${INTEGER_RANGES.minorUnits.max}`)
			.default(0),
		currency: z
			.string()
			.regex(/^[a-z]{3}$/)
			.optional(),
		minSubtotal: minorUnits.optional(),
		maxDiscountAmount: minorUnits.optional(),
		startsAt: z.string().datetime({ offset: true }).optional(),
		endsAt: z.string().datetime({ offset: true }).optional(),
		usageLimit: usage('usageLimit', 1).optional(),
		usageCount: usage('usageCount', 0).default(0),
		perCustomerLimit: usage('perCustomerLimit', 1).optional(),
		disabled: z.boolean().default(false),
		/** Restrict to these product handles and/or category handles. */
		productHandles: z.array(z.string()).optional(),
		categoryHandles: z.array(z.string()).optional(),
	})
	.strict()
	.superRefine((d, ctx) => {
		if (d.type === 'percentage' && (d.value <= 0 || d.value > 100))
			ctx.addIssue({ code: 'custom', path: ['value'], message: 'a percentage must be above 0 and at most 100' });
		if (d.type === 'fixed' && (!Number.isInteger(d.value) || d.value <= 0))
			ctx.addIssue({
				code: 'custom',
				path: ['value'],
				message: 'a fixed amount is a positive whole number of minor units',
			});
		if ((d.type === 'fixed' || d.minSubtotal !== undefined || d.maxDiscountAmount !== undefined) && !d.currency) {
			ctx.addIssue({ code: 'custom', path: ['currency'], message: 'give the currency of the amounts, e.g. usd' });
		}
		if (d.startsAt && d.endsAt && d.startsAt >= d.endsAt)
			ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
		if (d.usageLimit !== undefined && d.usageCount > d.usageLimit)
			ctx.addIssue({ code: 'custom', path: ['usageCount'], message: 'cannot exceed usageLimit' });
	});

/** What a merchant writes (defaults still missing). */
export type DiscountInput = z.input<typeof discountInput>;
/** Validated rules with defaults filled in: what the discount service takes. */
export type DiscountRules = z.output<typeof discountInput>;

import type { Kysely } from 'kysely';
import { z } from 'zod';
import { insertDiscount, normalizeCode } from '../db/repositories/discount-repository.ts';
import type { Database } from '../db/types.ts';

type Db = Kysely<Database>;

const minorUnits = z.number().int('write amounts in minor units (cents) as whole numbers').min(0);

/**
 * A coupon as a merchant defines it (seed, CLI, admin API). Amounts are minor units; fixed amounts and minimum
 * subtotals need a currency because $5 and €5 are different discounts.
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
		value: z.number().min(0).default(0),
		currency: z
			.string()
			.regex(/^[a-z]{3}$/)
			.optional(),
		minSubtotal: minorUnits.optional(),
		maxDiscountAmount: minorUnits.optional(),
		startsAt: z.string().datetime({ offset: true }).optional(),
		endsAt: z.string().datetime({ offset: true }).optional(),
		usageLimit: z.number().int().min(1).optional(),
		usageCount: z.number().int().min(0).default(0),
		perCustomerLimit: z.number().int().min(1).optional(),
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

export type DiscountInput = z.input<typeof discountInput>;

/** Creates a coupon; product and category handles are resolved to ids, unknown ones are an error. */
export async function createDiscount(db: Db, raw: DiscountInput, now = new Date()): Promise<string> {
	const input = discountInput.parse(raw);
	const productIds = input.productHandles?.length ? await resolveHandles(db, 'product', input.productHandles) : [];
	const categoryIds = input.categoryHandles?.length
		? await resolveHandles(db, 'product_category', input.categoryHandles)
		: [];
	return insertDiscount(
		db,
		{
			code: input.code,
			description: input.description ?? null,
			type: input.type,
			value: input.type === 'free_shipping' ? 0 : input.value,
			currencyCode: input.currency ?? null,
			minSubtotal: input.minSubtotal ?? null,
			maxDiscountAmount: input.maxDiscountAmount ?? null,
			startsAt: input.startsAt ? new Date(input.startsAt).toISOString() : null,
			endsAt: input.endsAt ? new Date(input.endsAt).toISOString() : null,
			usageLimit: input.usageLimit ?? null,
			usageCount: input.usageCount,
			perCustomerLimit: input.perCustomerLimit ?? null,
			isDisabled: input.disabled,
			productIds,
			categoryIds,
		},
		now.toISOString(),
	);
}

async function resolveHandles(db: Db, table: 'product' | 'product_category', handles: string[]): Promise<string[]> {
	const rows = await db.selectFrom(table).select(['id', 'handle']).where('handle', 'in', handles).execute();
	const missing = handles.filter((h) => !rows.some((r) => r.handle === h));
	if (missing.length)
		throw new Error(`Unknown ${table === 'product' ? 'product' : 'category'} handle(s): ${missing.join(', ')}`);
	return rows.map((r) => r.id);
}

/** Creates the seed coupons whose codes do not exist yet; existing ones (maybe edited by the merchant) are left alone. */
export async function seedDiscounts(db: Db, discounts: DiscountInput[], now = new Date()): Promise<string[]> {
	const created: string[] = [];
	for (const discount of discounts) {
		const exists = await db
			.selectFrom('discount')
			.select('id')
			.where('code', '=', normalizeCode(discount.code))
			.executeTakeFirst();
		if (exists) continue;
		await createDiscount(db, discount, now);
		created.push(normalizeCode(discount.code));
	}
	return created;
}

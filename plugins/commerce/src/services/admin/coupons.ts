import type { CommerceDb } from '../../db/client.ts';
import { normalizeCode } from '../../db/repositories/discount-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { Discount } from '../../db/types.ts';
import { parseInput } from '../../http/request.ts';
import { invalidData, notFound, StoreError } from '../../http/store-error.ts';
import { createDiscount, type DiscountInput, discountInput } from '../discount-admin.ts';

type Db = CommerceDb;

/** A coupon with its restrictions (product and category ids) and how often it was used. */
export interface CouponRow extends Discount {
	productIds: string[];
	categoryIds: string[];
	/** Orders that used it (`discount_usage` rows). */
	usedBy: number;
}

/** Every coupon, newest first, with usage counts. */
export async function listCoupons(db: Db): Promise<CouponRow[]> {
	const [discounts, conditions, usage] = await Promise.all([
		db.selectFrom('discount').selectAll().orderBy('created_at', 'desc').orderBy('code').execute(),
		db.selectFrom('discount_condition').selectAll().execute(),
		db
			.selectFrom('discount_usage')
			.select(['discount_id', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('discount_id')
			.execute(),
	]);
	return discounts.map((d) => ({
		...d,
		productIds: conditions.filter((c) => c.discount_id === d.id && c.target_type === 'product').map((c) => c.target_id),
		categoryIds: conditions
			.filter((c) => c.discount_id === d.id && c.target_type === 'category')
			.map((c) => c.target_id),
		usedBy: Number(usage.find((u) => u.discount_id === d.id)?.n ?? 0),
	}));
}

/** One coupon, or null. */
export async function getCoupon(db: Db, id: string): Promise<CouponRow | null> {
	return (await listCoupons(db)).find((c) => c.id === id) ?? null;
}

const isUniqueViolation = (error: unknown) => error instanceof Error && /UNIQUE constraint failed/.test(error.message);
const duplicate = (code: string) =>
	new StoreError(
		'duplicate_error',
		`A coupon with code ${normalizeCode(code)} already exists. Edit it or choose another code.`,
		'duplicate_code',
	);

/** Creates a coupon from `discountInput` (every rule of the Store API); a taken code is 422, an unknown handle 400. */
export async function createCoupon(db: Db, raw: unknown): Promise<CouponRow> {
	const input = parseInput(discountInput, raw) as DiscountInput;
	let id: string;
	try {
		id = await writeTransaction(db, (trx) => createDiscount(trx, input));
	} catch (error) {
		if (isUniqueViolation(error)) throw duplicate(input.code);
		if (error instanceof Error && error.message.startsWith('Unknown '))
			throw invalidData(error.message, 'unknown_handle');
		throw error;
	}
	return (await getCoupon(db, id)) as CouponRow;
}

async function resolveIds(
	db: Db,
	table: 'product' | 'product_category',
	handles: string[] | undefined,
): Promise<string[]> {
	if (!handles?.length) return [];
	const rows = await db.selectFrom(table).select(['id', 'handle']).where('handle', 'in', handles).execute();
	const missing = handles.filter((h) => !rows.some((r) => r.handle === h));
	if (missing.length)
		throw invalidData(
			`Unknown ${table === 'product' ? 'product' : 'category'} handle(s): ${missing.join(', ')}`,
			'unknown_handle',
		);
	return rows.map((r) => r.id);
}

/**
 * Replaces a coupon's rules with a full `discountInput` (what the edit form sends); its usage count is kept, so
 * editing never resets how often it was used.
 */
export async function editCoupon(db: Db, id: string, raw: unknown): Promise<CouponRow> {
	const input = parseInput(discountInput, raw);
	const existing = await db.selectFrom('discount').select('id').where('id', '=', id).executeTakeFirst();
	if (!existing) throw notFound(`Coupon with id ${id} was not found`);
	const productIds = await resolveIds(db, 'product', input.productHandles);
	const categoryIds = await resolveIds(db, 'product_category', input.categoryHandles);
	const at = new Date().toISOString();
	try {
		await writeTransaction(db, async (trx) => {
			await trx
				.updateTable('discount')
				.set({
					code: normalizeCode(input.code),
					description: input.description ?? null,
					type: input.type,
					value: input.type === 'free_shipping' ? 0 : input.value,
					currency_code: input.currency ?? null,
					min_subtotal: input.minSubtotal ?? null,
					max_discount_amount: input.maxDiscountAmount ?? null,
					starts_at: input.startsAt ? new Date(input.startsAt).toISOString() : null,
					ends_at: input.endsAt ? new Date(input.endsAt).toISOString() : null,
					usage_limit: input.usageLimit ?? null,
					per_customer_limit: input.perCustomerLimit ?? null,
					is_disabled: input.disabled ? 1 : 0,
					updated_at: at,
				})
				.where('id', '=', id)
				.execute();
			await trx.deleteFrom('discount_condition').where('discount_id', '=', id).execute();
			const conditions = [
				...productIds.map((target_id) => ({ discount_id: id, target_type: 'product' as const, target_id })),
				...categoryIds.map((target_id) => ({ discount_id: id, target_type: 'category' as const, target_id })),
			];
			if (conditions.length) await trx.insertInto('discount_condition').values(conditions).execute();
		});
	} catch (error) {
		if (isUniqueViolation(error)) throw duplicate(input.code);
		throw error;
	}
	return (await getCoupon(db, id)) as CouponRow;
}

/** Disables a coupon (it stays listed with its usage; carts can no longer apply it). */
export async function disableCoupon(db: Db, id: string): Promise<CouponRow> {
	const result = await db
		.updateTable('discount')
		.set({ is_disabled: 1, updated_at: new Date().toISOString() })
		.where('id', '=', id)
		.executeTakeFirst();
	if (!result.numUpdatedRows) throw notFound(`Coupon with id ${id} was not found`);
	return (await getCoupon(db, id)) as CouponRow;
}

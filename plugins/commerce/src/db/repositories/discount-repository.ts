import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Database, Discount, DiscountRuleType } from '../types.ts';

type Db = Kysely<Database>;

/** A discount with its optional product/category restriction. */
export interface DiscountWithConditions extends Discount {
	productIds: string[] | null;
	categoryIds: string[] | null;
}

async function withConditions(db: Db, rows: Discount[]): Promise<DiscountWithConditions[]> {
	if (!rows.length) return [];
	const conditions = await db
		.selectFrom('discount_condition')
		.selectAll()
		.where(
			'discount_id',
			'in',
			rows.map((r) => r.id),
		)
		.execute();
	return rows.map((row) => {
		const own = conditions.filter((c) => c.discount_id === row.id);
		const products = own.filter((c) => c.target_type === 'product').map((c) => c.target_id);
		const categories = own.filter((c) => c.target_type === 'category').map((c) => c.target_id);
		const restricted = own.length > 0;
		return { ...row, productIds: restricted ? products : null, categoryIds: restricted ? categories : null };
	});
}

/** Codes are case-insensitive: stored and looked up upper-case. */
export const normalizeCode = (code: string) => code.trim().toUpperCase();

export async function findDiscountByCode(db: Db, code: string): Promise<DiscountWithConditions | undefined> {
	const row = await db.selectFrom('discount').selectAll().where('code', '=', normalizeCode(code)).executeTakeFirst();
	return row ? (await withConditions(db, [row]))[0] : undefined;
}

export async function findDiscountsByIds(db: Db, ids: string[]): Promise<DiscountWithConditions[]> {
	if (!ids.length) return [];
	const rows = await db.selectFrom('discount').selectAll().where('id', 'in', ids).execute();
	return withConditions(db, rows);
}

/** Records that an order used a discount (what `countCustomerUsage` counts); in the order's transaction. */
export async function insertDiscountUsage(
	db: Db,
	usage: { discountId: string; customerKey: string; orderId: string },
	at: string,
): Promise<void> {
	await db
		.insertInto('discount_usage')
		.values({
			id: newId('dusg'),
			discount_id: usage.discountId,
			customer_key: usage.customerKey,
			order_id: usage.orderId,
			created_at: at,
		})
		.execute();
}

/** Orders already placed with this code by this customer (`cus_…`) or guest (`email:<address>`). */
export async function countCustomerUsage(db: Db, discountId: string, customerKey: string): Promise<number> {
	const row = await db
		.selectFrom('discount_usage')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('discount_id', '=', discountId)
		.where('customer_key', '=', customerKey)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export interface NewDiscount {
	code: string;
	description?: string | null;
	type: DiscountRuleType;
	value: number;
	currencyCode?: string | null;
	minSubtotal?: number | null;
	maxDiscountAmount?: number | null;
	startsAt?: string | null;
	endsAt?: string | null;
	usageLimit?: number | null;
	usageCount?: number;
	perCustomerLimit?: number | null;
	isDisabled?: boolean;
	productIds?: string[];
	categoryIds?: string[];
}

export async function insertDiscount(db: Db, input: NewDiscount, at: string): Promise<string> {
	const id = newId('disc');
	await db
		.insertInto('discount')
		.values({
			id,
			code: normalizeCode(input.code),
			description: input.description ?? null,
			type: input.type,
			value: input.value,
			currency_code: input.currencyCode ?? null,
			min_subtotal: input.minSubtotal ?? null,
			max_discount_amount: input.maxDiscountAmount ?? null,
			starts_at: input.startsAt ?? null,
			ends_at: input.endsAt ?? null,
			usage_limit: input.usageLimit ?? null,
			usage_count: input.usageCount ?? 0,
			per_customer_limit: input.perCustomerLimit ?? null,
			is_disabled: input.isDisabled ? 1 : 0,
			created_at: at,
			updated_at: at,
		})
		.execute();
	const conditions = [
		...(input.productIds ?? []).map((target_id) => ({ discount_id: id, target_type: 'product' as const, target_id })),
		...(input.categoryIds ?? []).map((target_id) => ({ discount_id: id, target_type: 'category' as const, target_id })),
	];
	if (conditions.length) await db.insertInto('discount_condition').values(conditions).execute();
	return id;
}

/**
 * Consumes one use atomically: the conditional UPDATE is the check and the write in one statement, so concurrent
 * orders can never push usage past the limit. Returns false when the limit is reached (checkout issue uses it).
 */
export async function consumeDiscountUsage(db: Db, discountId: string, at: string): Promise<boolean> {
	const result = await db
		.updateTable('discount')
		.set((eb) => ({ usage_count: eb('usage_count', '+', 1), updated_at: at }))
		.where('id', '=', discountId)
		.where((eb) => eb.or([eb('usage_limit', 'is', null), eb('usage_count', '<', eb.ref('usage_limit'))]))
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

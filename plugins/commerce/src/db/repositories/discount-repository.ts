import type { Kysely, Selectable } from 'kysely';
import { databaseDialect } from '../dialect.ts';
import { newId } from '../ids.ts';
import { forUpdate } from '../transaction.ts';
import type { Database, DiscountConditionTable, DiscountRuleType, DiscountTable } from '../types.ts';

type Db = Kysely<Database>;

/** A discount code with its rules and restriction, as every layer above the database sees it. */
export interface Discount {
	id: string;
	/** Upper-case; codes are case-insensitive. */
	code: string;
	description: string | null;
	type: DiscountRuleType;
	/** Percent for `percentage`, minor units for `fixed`, 0 for `free_shipping`. */
	value: number;
	/** The currency of `value` (fixed), `minSubtotal` and `maxDiscountAmount`; null = any currency. */
	currencyCode: string | null;
	minSubtotal: number | null;
	maxDiscountAmount: number | null;
	/** ISO-8601; `startsAt` inclusive, `endsAt` exclusive. */
	startsAt: string | null;
	endsAt: string | null;
	usageLimit: number | null;
	usageCount: number;
	perCustomerLimit: number | null;
	isDisabled: boolean;
	/** The lines it applies to: products or categories listed; both null when it applies to every line. */
	productIds: string[] | null;
	categoryIds: string[] | null;
	createdAt: string;
	updatedAt: string;
}

/** A discount with the number of orders that used it (`discount_usage` rows), for the admin. */
export interface DiscountWithUsage extends Discount {
	usedBy: number;
}

/** The rules written when a discount is created or edited (ids already resolved from handles; [] = no restriction). */
export type DiscountFields = Omit<
	Discount,
	'id' | 'usageCount' | 'productIds' | 'categoryIds' | 'createdAt' | 'updatedAt'
> & { productIds: string[]; categoryIds: string[] };

/** Codes are case-insensitive: stored and looked up upper-case. */
export const normalizeCode = (code: string) => code.trim().toUpperCase();

/** The one row → domain mapping of a discount: 0/1 flags become booleans, conditions become the restriction lists. */
export function toDiscount(row: Selectable<DiscountTable>, conditions: Selectable<DiscountConditionTable>[]): Discount {
	const own = conditions.filter((c) => c.discount_id === row.id);
	const restricted = own.length > 0;
	return {
		id: row.id,
		code: row.code,
		description: row.description,
		type: row.type,
		value: row.value,
		currencyCode: row.currency_code,
		minSubtotal: row.min_subtotal,
		maxDiscountAmount: row.max_discount_amount,
		startsAt: row.starts_at,
		endsAt: row.ends_at,
		usageLimit: row.usage_limit,
		usageCount: row.usage_count,
		perCustomerLimit: row.per_customer_limit,
		isDisabled: row.is_disabled === 1,
		productIds: restricted ? own.filter((c) => c.target_type === 'product').map((c) => c.target_id) : null,
		categoryIds: restricted ? own.filter((c) => c.target_type === 'category').map((c) => c.target_id) : null,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
	};
}

async function withConditions(db: Db, rows: Selectable<DiscountTable>[]): Promise<Discount[]> {
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
	return rows.map((row) => toDiscount(row, conditions));
}

export async function findDiscountByCode(db: Db, code: string): Promise<Discount | undefined> {
	const row = await db.selectFrom('discount').selectAll().where('code', '=', normalizeCode(code)).executeTakeFirst();
	return row ? (await withConditions(db, [row]))[0] : undefined;
}

export async function findDiscountById(db: Db, id: string): Promise<Discount | undefined> {
	const row = await db.selectFrom('discount').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? (await withConditions(db, [row]))[0] : undefined;
}

export async function findDiscountsByIds(db: Db, ids: string[]): Promise<Discount[]> {
	if (!ids.length) return [];
	const rows = await db.selectFrom('discount').selectAll().where('id', 'in', ids).execute();
	return withConditions(db, rows);
}

/**
 * Locks the discounts on a cart (in id order, so two checkouts never wait on each other crosswise) until the caller's
 * transaction ends: the per-customer usage counted after this sees every order placed before.
 */
export async function lockCartDiscounts(db: Db, cartId: string): Promise<void> {
	// SQLite's write transaction already holds the database's only write lock: nothing to lock, no query to run.
	if (databaseDialect(db) !== 'postgres') return;
	await forUpdate(
		db,
		db
			.selectFrom('discount')
			.select('id')
			.where('id', 'in', (eb) => eb.selectFrom('cart_discount').select('discount_id').where('cart_id', '=', cartId))
			.orderBy('id'),
	).execute();
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

/** The id of the discount with this code (any case), if there is one. */
export async function findDiscountIdByCode(db: Db, code: string): Promise<string | undefined> {
	const row = await db.selectFrom('discount').select('id').where('code', '=', normalizeCode(code)).executeTakeFirst();
	return row?.id;
}

/** Every discount, newest first, with how many orders used it. */
export async function listDiscountsWithUsage(db: Db): Promise<DiscountWithUsage[]> {
	const [rows, conditions, usage] = await Promise.all([
		db.selectFrom('discount').selectAll().orderBy('created_at', 'desc').orderBy('code').execute(),
		db.selectFrom('discount_condition').selectAll().execute(),
		db
			.selectFrom('discount_usage')
			.select(['discount_id', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('discount_id')
			.execute(),
	]);
	const used = new Map(usage.map((u) => [u.discount_id, Number(u.n)]));
	return rows.map((row) => ({ ...toDiscount(row, conditions), usedBy: used.get(row.id) ?? 0 }));
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

const ruleColumns = (fields: DiscountFields, at: string) => ({
	code: normalizeCode(fields.code),
	description: fields.description,
	type: fields.type,
	value: fields.value,
	currency_code: fields.currencyCode,
	min_subtotal: fields.minSubtotal,
	max_discount_amount: fields.maxDiscountAmount,
	starts_at: fields.startsAt,
	ends_at: fields.endsAt,
	usage_limit: fields.usageLimit,
	per_customer_limit: fields.perCustomerLimit,
	is_disabled: fields.isDisabled ? 1 : 0,
	updated_at: at,
});

async function insertConditions(db: Db, discountId: string, fields: DiscountFields): Promise<void> {
	const conditions = [
		...fields.productIds.map((target_id) => ({ discount_id: discountId, target_type: 'product' as const, target_id })),
		...fields.categoryIds.map((target_id) => ({
			discount_id: discountId,
			target_type: 'category' as const,
			target_id,
		})),
	];
	if (conditions.length) await db.insertInto('discount_condition').values(conditions).execute();
}

/** Inserts a discount and its restriction; returns its id. Run it in a transaction (two tables). */
export async function insertDiscount(db: Db, fields: DiscountFields, usageCount: number, at: string): Promise<string> {
	const id = newId('disc');
	await db
		.insertInto('discount')
		.values({ id, ...ruleColumns(fields, at), usage_count: usageCount, created_at: at })
		.execute();
	await insertConditions(db, id, fields);
	return id;
}

/**
 * Replaces a discount's rules and restriction; its usage count is kept. False when there is no such discount. Run it
 * in a transaction (two tables).
 */
export async function replaceDiscountRules(db: Db, id: string, fields: DiscountFields, at: string): Promise<boolean> {
	const result = await db.updateTable('discount').set(ruleColumns(fields, at)).where('id', '=', id).executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) return false;
	await db.deleteFrom('discount_condition').where('discount_id', '=', id).execute();
	await insertConditions(db, id, fields);
	return true;
}

/** Disables a discount (it stays listed with its usage); false when there is none with this id. */
export async function disableDiscountRow(db: Db, id: string, at: string): Promise<boolean> {
	const result = await db
		.updateTable('discount')
		.set({ is_disabled: 1, updated_at: at })
		.where('id', '=', id)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
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

import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../types.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Catalog size for the health route and sync reports. */
export async function countCatalog(
	db: Db,
): Promise<{ products: number; activeProducts: number; variants: number; categories: number }> {
	const row = await db
		.selectNoFrom((eb) => [
			eb
				.selectFrom('product')
				.select((e) => e.fn.countAll<number>().as('n'))
				.as('products'),
			eb
				.selectFrom('product')
				.where('active', '=', 1)
				.select((e) => e.fn.countAll<number>().as('n'))
				.as('active_products'),
			eb
				.selectFrom('product_variant')
				.where('active', '=', 1)
				.select((e) => e.fn.countAll<number>().as('n'))
				.as('variants'),
			eb
				.selectFrom('product_category')
				.select((e) => e.fn.countAll<number>().as('n'))
				.as('categories'),
		])
		.executeTakeFirstOrThrow();
	return {
		products: Number(row.products),
		activeProducts: Number(row.active_products),
		variants: Number(row.variants),
		categories: Number(row.categories),
	};
}

/** Stock per SKU (stocked, reserved, available) — used by tests, the CLI and later the Store API. */
export async function stockBySku(
	db: Db,
): Promise<Map<string, { stocked: number; reserved: number; available: number }>> {
	const rows = await db
		.selectFrom('inventory_level as il')
		.innerJoin('product_variant as v', 'v.id', 'il.variant_id')
		.select(['v.sku', 'il.stocked_quantity', 'il.reserved_quantity'])
		.execute();
	return new Map(
		rows.map((r) => [
			r.sku,
			{
				stocked: r.stocked_quantity,
				reserved: r.reserved_quantity,
				available: r.stocked_quantity - r.reserved_quantity,
			},
		]),
	);
}

/** Sum of ledger deltas per variant; equals inventory_level.stocked_quantity when the ledger is consistent. */
export async function ledgerSumsByVariant(db: Db): Promise<Map<string, number>> {
	const rows = await db
		.selectFrom('inventory_ledger')
		.select(['variant_id', sql<number>`sum(delta)`.as('total')])
		.groupBy('variant_id')
		.execute();
	return new Map(rows.map((r) => [r.variant_id, Number(r.total)]));
}

/** Products or categories: the two things a discount can be restricted to, named by handle. */
export type HandleKind = 'product' | 'category';

const handleTable = (kind: HandleKind) => (kind === 'product' ? 'product' : 'product_category');

/** `{ id, handle }` of the products (or categories) with these handles; unknown handles are simply absent. */
export async function findIdsByHandles(
	db: Db,
	kind: HandleKind,
	handles: string[],
): Promise<{ id: string; handle: string }[]> {
	if (!handles.length) return [];
	return db.selectFrom(handleTable(kind)).select(['id', 'handle']).where('handle', 'in', handles).execute();
}

/** `{ id, handle }` of the products (or categories) with these ids; unknown ids are simply absent. */
export async function findHandlesByIds(
	db: Db,
	kind: HandleKind,
	ids: string[],
): Promise<{ id: string; handle: string }[]> {
	if (!ids.length) return [];
	return db.selectFrom(handleTable(kind)).select(['id', 'handle']).where('id', 'in', ids).execute();
}

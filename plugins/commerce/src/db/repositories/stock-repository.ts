import { type Kysely, sql } from 'kysely';
import { type LedgerEntry, MAX_STOCK_LEVEL, type StockMove, type StockMoveResult } from '../../core/inventory/stock.ts';
import { compiledQuery, insertRows } from '../compiled-query.ts';
import { containsLiterally } from '../dialect.ts';
import { newId } from '../ids.ts';
import type { Database, InventoryLedgerEntry } from '../types.ts';

// The only module that writes `inventory_level` and `inventory_ledger` (tests/unit/stock-writers.test.ts checks it).
// Stock moves through `applyStockMove`, called only by `services/inventory/move-stock.ts`.

type Db = Kysely<Database>;

const toLedgerEntry = (row: InventoryLedgerEntry): LedgerEntry => ({
	id: row.id,
	variantId: row.variant_id,
	delta: row.delta,
	quantityAfter: row.quantity_after,
	reason: row.reason,
	referenceId: row.reference_id,
	actor: row.actor,
	note: row.note,
	createdAt: row.created_at,
});

/**
 * Moves stock and writes its ledger row, inside the caller's transaction. The check and the write are one conditional
 * UPDATE (taking: `stocked − reserved ≥ units`; returning: the level stays ≤ MAX_STOCK_LEVEL), so concurrent
 * movements can never oversell or overflow; a refusal changes nothing and says why.
 */
// Every order line takes stock with this statement: compiled once (compiled-query.ts).
const takeStock = compiledQuery((db: Db, delta: number, at: string, variantId: string, quantity: number) =>
	db
		.updateTable('inventory_level')
		.set((eb) => ({ stocked_quantity: eb('stocked_quantity', '+', delta), updated_at: at }))
		.where('variant_id', '=', variantId)
		.where((eb) => eb(eb('stocked_quantity', '-', eb.ref('reserved_quantity')), '>=', quantity))
		.returning('stocked_quantity'),
);

export async function applyStockMove(db: Db, move: StockMove, at: string): Promise<StockMoveResult> {
	const { variantId, delta } = move;
	const updated =
		delta < 0
			? (await takeStock(db, delta, at, variantId, -delta)).rows[0]
			: await db
					.updateTable('inventory_level')
					.set((eb) => ({ stocked_quantity: eb('stocked_quantity', '+', delta), updated_at: at }))
					.where('variant_id', '=', variantId)
					.where((eb) => eb(eb('stocked_quantity', '+', delta), '<=', MAX_STOCK_LEVEL))
					.returning('stocked_quantity')
					.executeTakeFirst();
	if (!updated) {
		const level = await db
			.selectFrom('inventory_level')
			.select(['stocked_quantity', 'reserved_quantity'])
			.where('variant_id', '=', variantId)
			.executeTakeFirst();
		if (!level) return { ok: false, reason: 'not_stocked' };
		if (delta < 0)
			return { ok: false, reason: 'insufficient', available: level.stocked_quantity - level.reserved_quantity };
		return { ok: false, reason: 'above_limit', stocked: level.stocked_quantity };
	}
	const row: InventoryLedgerEntry = {
		id: newId('invl'),
		variant_id: variantId,
		delta,
		quantity_after: updated.stocked_quantity,
		reason: move.reason,
		reference_id: move.ref,
		actor: move.actor,
		note: move.note ?? null,
		created_at: at,
	};
	await insertRows(db, 'inventory_ledger', [{ ...row }]);
	return { ok: true, stocked: updated.stocked_quantity, entry: toLedgerEntry(row) };
}

/** Gives a new variant its stock record at 0 units (the opening balance then arrives as a `sync_initial` move). */
export async function openStockLevel(db: Db, variantId: string, at: string): Promise<void> {
	await db
		.insertInto('inventory_level')
		.values({ variant_id: variantId, stocked_quantity: 0, low_stock_threshold: null, updated_at: at })
		.onConflict((oc) => oc.column('variant_id').doNothing())
		.execute();
}

/** Sets (or with null clears) a variant's own low-stock threshold; false when the variant has no stock record. */
export async function setLowStockThreshold(
	db: Db,
	variantId: string,
	threshold: number | null,
	at: string,
): Promise<boolean> {
	const result = await db
		.updateTable('inventory_level')
		.set({ low_stock_threshold: threshold, updated_at: at })
		.where('variant_id', '=', variantId)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

/** A variant's stock with what identifies it to a merchant. */
export interface StockLevelRow {
	variantId: string;
	sku: string;
	productTitle: string;
	productHandle: string;
	variantTitle: string;
	stocked: number;
	reserved: number;
	/** The variant's own threshold, or null when the shop default applies. */
	lowStockThreshold: number | null;
}

/** Every stocked variant whose SKU, product title or variant title contains `q` (literally, any case), by SKU. */
export async function listStockLevels(db: Db, q?: string): Promise<StockLevelRow[]> {
	let select = stockLevelQuery(db);
	const text = q?.trim().toLowerCase();
	if (text) {
		// Not LIKE: the search text is matched literally (no % or _ wildcards).
		select = select.where((eb) =>
			eb.or([
				containsLiterally(db, sql`lower(v.sku)`, text),
				containsLiterally(db, sql`lower(p.title)`, text),
				containsLiterally(db, sql`lower(v.title)`, text),
			]),
		);
	}
	const rows = await select.orderBy('v.sku').execute();
	return rows.map(toStockLevel);
}

/** A variant's ledger, newest first. */
export async function listLedgerEntries(db: Db, variantId: string, limit: number): Promise<LedgerEntry[]> {
	const rows = await db
		.selectFrom('inventory_ledger')
		.selectAll()
		.where('variant_id', '=', variantId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
	return rows.map(toLedgerEntry);
}

/** Variants whose stocked quantity differs from the sum of their ledger deltas: always empty unless the data is corrupt. */
export async function findLedgerMismatches(
	db: Db,
): Promise<{ variantId: string; stocked: number; ledgerSum: number }[]> {
	const rows = await db
		.selectFrom('inventory_level as i')
		.leftJoin(
			(eb) =>
				eb
					.selectFrom('inventory_ledger')
					.select(['variant_id', sql<number>`sum(delta)`.as('total')])
					.groupBy('variant_id')
					.as('l'),
			(join) => join.onRef('l.variant_id', '=', 'i.variant_id'),
		)
		.select(['i.variant_id', 'i.stocked_quantity', 'l.total'])
		.execute();
	return rows
		.map((r) => ({ variantId: r.variant_id, stocked: r.stocked_quantity, ledgerSum: Number(r.total ?? 0) }))
		.filter((r) => r.stocked !== r.ledgerSum);
}

/** The stock of the variants with these SKUs (for imports by SKU); SKUs without a stock record are missing. */
export async function findStockLevelsBySku(db: Db, skus: string[]): Promise<StockLevelRow[]> {
	if (!skus.length) return [];
	const rows = await stockLevelQuery(db).where('v.sku', 'in', skus).execute();
	return rows.map(toStockLevel);
}

/** One variant's stock with its SKU and titles, or null when it has no stock record. */
const stockLevelOf = compiledQuery((db: Db, variantId: string) =>
	stockLevelQuery(db).where('i.variant_id', '=', variantId),
);

export async function findStockLevel(db: Db, variantId: string): Promise<StockLevelRow | null> {
	const row = (await stockLevelOf(db, variantId)).rows[0];
	return row ? toStockLevel(row) : null;
}

/** A stock level with the SKU and titles a person recognises (the base of the list and the finders above). */
function stockLevelQuery(db: Db) {
	return db
		.selectFrom('inventory_level as i')
		.innerJoin('product_variant as v', 'v.id', 'i.variant_id')
		.innerJoin('product as p', 'p.id', 'v.product_id')
		.select([
			'i.variant_id',
			'v.sku',
			'v.title as variant_title',
			'p.title as product_title',
			'p.handle',
			'i.stocked_quantity',
			'i.reserved_quantity',
			'i.low_stock_threshold',
		]);
}

type StockLevelRecord = Awaited<ReturnType<ReturnType<typeof stockLevelQuery>['executeTakeFirstOrThrow']>>;

function toStockLevel(r: StockLevelRecord): StockLevelRow {
	return {
		variantId: r.variant_id,
		sku: r.sku,
		productTitle: r.product_title,
		productHandle: r.handle,
		variantTitle: r.variant_title,
		stocked: r.stocked_quantity,
		reserved: r.reserved_quantity,
		lowStockThreshold: r.low_stock_threshold,
	};
}

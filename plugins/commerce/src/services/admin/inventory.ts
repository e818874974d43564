import { sql } from 'kysely';
import { z } from 'zod';
import type { CommerceDb } from '../../db/client.ts';
import { newId } from '../../db/ids.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { InventoryLedgerEntry } from '../../db/types.ts';
import { parseInput } from '../../http/request.ts';
import { invalidData, notFound } from '../../http/store-error.ts';
import { DEFAULT_LOW_STOCK_THRESHOLD } from '../analytics/dashboard-kpis.ts';

type Db = CommerceDb;

/** The `commerce_setting` key of the shop-wide low-stock threshold. */
export const DEFAULT_THRESHOLD_SETTING = 'inventory.default_low_stock_threshold';

/** One variant's stock as the admin sees it; `available` = stocked − reserved. */
export interface InventoryRow {
	variantId: string;
	sku: string;
	productTitle: string;
	productHandle: string;
	variantTitle: string;
	stocked: number;
	reserved: number;
	available: number;
	/** The variant's own threshold, or null when the shop default applies. */
	threshold: number | null;
	effectiveThreshold: number;
	lowStock: boolean;
}

export const inventoryQuery = z
	.object({
		/** Part of the SKU, product title or variant title. */
		q: z.string().max(200).optional(),
		low_stock: z.enum(['true', 'false']).optional(),
	})
	.strict();

/** The shop-wide low-stock threshold (`commerce_setting`), 5 when never set. */
export async function getDefaultThreshold(db: Db): Promise<number> {
	const row = await db
		.selectFrom('commerce_setting')
		.select('value')
		.where('key', '=', DEFAULT_THRESHOLD_SETTING)
		.executeTakeFirst();
	const value = row ? Number(row.value) : NaN;
	return Number.isInteger(value) && value >= 0 ? value : DEFAULT_LOW_STOCK_THRESHOLD;
}

/** Sets the shop-wide low-stock threshold. */
export async function setDefaultThreshold(db: Db, threshold: number): Promise<void> {
	if (!Number.isInteger(threshold) || threshold < 0)
		throw invalidData('threshold must be a whole number of at least 0.');
	await db
		.insertInto('commerce_setting')
		.values({ key: DEFAULT_THRESHOLD_SETTING, value: String(threshold) })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value: String(threshold) }))
		.execute();
}

/** Every stocked variant matching `q`, optionally only those at or below their threshold, ordered by SKU. */
export async function listInventory(
	db: Db,
	raw: z.input<typeof inventoryQuery> = {},
): Promise<{ inventory: InventoryRow[]; defaultThreshold: number }> {
	const query = parseInput(inventoryQuery, raw);
	const defaultThreshold = await getDefaultThreshold(db);
	let select = db
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
	if (query.q?.trim()) {
		// instr, not LIKE: the search text is matched literally (no % or _ wildcards).
		const q = query.q.trim().toLowerCase();
		select = select.where((eb) =>
			eb.or([
				eb(sql`instr(lower(v.sku), ${q})`, '>', 0),
				eb(sql`instr(lower(p.title), ${q})`, '>', 0),
				eb(sql`instr(lower(v.title), ${q})`, '>', 0),
			]),
		);
	}
	const rows = await select.orderBy('v.sku').execute();
	const inventory = rows.map((r): InventoryRow => {
		const effectiveThreshold = r.low_stock_threshold ?? defaultThreshold;
		const available = r.stocked_quantity - r.reserved_quantity;
		return {
			variantId: r.variant_id,
			sku: r.sku,
			productTitle: r.product_title,
			productHandle: r.handle,
			variantTitle: r.variant_title,
			stocked: r.stocked_quantity,
			reserved: r.reserved_quantity,
			available,
			threshold: r.low_stock_threshold,
			effectiveThreshold,
			lowStock: available <= effectiveThreshold,
		};
	});
	return { inventory: query.low_stock === 'true' ? inventory.filter((r) => r.lowStock) : inventory, defaultThreshold };
}

export const adjustInput = z
	.object({
		/** Units added (positive) or removed (negative). */
		delta: z
			.number()
			.int()
			.refine((n) => n !== 0, 'delta must not be 0'),
		/** Why, e.g. `received`, `damaged`, `count correction`. */
		reason: z.string().trim().min(1).max(80),
		note: z.string().max(500).optional(),
	})
	.strict();

/**
 * Changes a variant's stock and writes one `admin_adjustment` ledger row (actor = the admin's email, note = reason and
 * note) in the same transaction; stock never goes below 0 (a 400 names what is there).
 */
export async function adjustInventory(
	db: Db,
	variantId: string,
	raw: z.input<typeof adjustInput> | Record<string, unknown>,
	actor: string,
): Promise<{ stocked: number; entry: InventoryLedgerEntry }> {
	const input = parseInput(adjustInput, raw);
	return writeTransaction(db, async (trx) => {
		const level = await trx
			.selectFrom('inventory_level')
			.select('stocked_quantity')
			.where('variant_id', '=', variantId)
			.executeTakeFirst();
		if (!level) throw notFound(`Variant with id ${variantId} has no stock record.`);
		const after = level.stocked_quantity + input.delta;
		if (after < 0)
			throw invalidData(
				`Cannot remove ${-input.delta}: only ${level.stocked_quantity} in stock, and stock cannot go below 0.`,
				'stock_below_zero',
			);
		const at = new Date().toISOString();
		await trx
			.updateTable('inventory_level')
			.set({ stocked_quantity: after, updated_at: at })
			.where('variant_id', '=', variantId)
			.execute();
		const entry: InventoryLedgerEntry = {
			id: newId('invl'),
			variant_id: variantId,
			delta: input.delta,
			quantity_after: after,
			reason: 'admin_adjustment',
			reference_id: null,
			actor,
			note: input.note ? `${input.reason}: ${input.note}` : input.reason,
			created_at: at,
		};
		await trx.insertInto('inventory_ledger').values(entry).execute();
		return { stocked: after, entry };
	});
}

/** Sets (or with null clears) a variant's own low-stock threshold. */
export async function setVariantThreshold(db: Db, variantId: string, threshold: number | null): Promise<void> {
	if (threshold !== null && (!Number.isInteger(threshold) || threshold < 0))
		throw invalidData('threshold must be a whole number of at least 0, or null.');
	const result = await db
		.updateTable('inventory_level')
		.set({ low_stock_threshold: threshold, updated_at: new Date().toISOString() })
		.where('variant_id', '=', variantId)
		.executeTakeFirst();
	if (!result.numUpdatedRows) throw notFound(`Variant with id ${variantId} has no stock record.`);
}

/** A variant's ledger, newest first; Σ delta equals its stocked quantity. */
export async function inventoryLedger(db: Db, variantId: string, limit = 200): Promise<InventoryLedgerEntry[]> {
	return db
		.selectFrom('inventory_ledger')
		.selectAll()
		.where('variant_id', '=', variantId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
}

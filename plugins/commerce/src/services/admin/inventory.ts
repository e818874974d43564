import { z } from 'zod';
import { invalid, notFound } from '../../core/errors.ts';
import { type LedgerEntry, MAX_STOCK_LEVEL } from '../../core/inventory/stock.ts';
import { INTEGER_RANGES, safeInt } from '../../core/safe-integers.ts';
import type { CommerceDb } from '../../db/client.ts';
import { putSetting } from '../../db/repositories/setting-repository.ts';
import {
	listLedgerEntries,
	listStockLevels,
	type StockLevelRow,
	setLowStockThreshold,
} from '../../db/repositories/stock-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { DEFAULT_THRESHOLD_SETTING, getDefaultThreshold } from '../inventory/low-stock-threshold.ts';
import { moveStock } from '../inventory/move-stock.ts';

type Db = CommerceDb;

export { DEFAULT_THRESHOLD_SETTING, getDefaultThreshold };

/** One variant's stock as the admin sees it; `available` = stocked − reserved. */
export interface InventoryRow extends Omit<StockLevelRow, 'lowStockThreshold'> {
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

/** Sets the shop-wide low-stock threshold. */
export async function setDefaultThreshold(db: Db, threshold: number): Promise<void> {
	if (!Number.isSafeInteger(threshold) || threshold < 0 || threshold > MAX_STOCK_LEVEL)
		throw invalid(`threshold must be a whole number from 0 to ${MAX_STOCK_LEVEL}.`);
	await putSetting(db, DEFAULT_THRESHOLD_SETTING, String(threshold));
}

/** Every stocked variant matching `q`, optionally only those at or below their threshold, ordered by SKU. */
export async function listInventory(
	db: Db,
	query: z.output<typeof inventoryQuery> = {},
): Promise<{ inventory: InventoryRow[]; defaultThreshold: number }> {
	const defaultThreshold = await getDefaultThreshold(db);
	const inventory = (await listStockLevels(db, query.q)).map(({ lowStockThreshold, ...level }): InventoryRow => {
		const effectiveThreshold = lowStockThreshold ?? defaultThreshold;
		const available = level.stocked - level.reserved;
		return {
			...level,
			available,
			threshold: lowStockThreshold,
			effectiveThreshold,
			lowStock: available <= effectiveThreshold,
		};
	});
	return { inventory: query.low_stock === 'true' ? inventory.filter((r) => r.lowStock) : inventory, defaultThreshold };
}

export const adjustInput = z
	.object({
		/** Units added (positive) or removed (negative); never more than a variant can hold. */
		delta: safeInt(INTEGER_RANGES.stockDelta, 'delta').refine((n) => n !== 0, 'delta must not be 0'),
		/** Why, e.g. `received`, `damaged`, `count correction`. */
		reason: z.string().trim().min(1).max(80),
		note: z.string().max(500).optional(),
	})
	.strict();

export type AdjustInput = z.output<typeof adjustInput>;

/**
 * Changes a variant's stock through `moveStock` with one `admin_adjustment` ledger row (actor = the admin's email,
 * note = reason and note). Stock never goes below 0 and never above `MAX_STOCK_LEVEL`: a 400 names what is there.
 */
export async function adjustInventory(
	db: Db,
	variantId: string,
	input: AdjustInput,
	actor: string,
): Promise<{ stocked: number; entry: LedgerEntry }> {
	return writeTransaction(db, async (trx) => {
		const moved = await moveStock(trx, {
			variantId,
			delta: input.delta,
			reason: 'admin_adjustment',
			ref: null,
			actor,
			note: input.note ? `${input.reason}: ${input.note}` : input.reason,
		});
		if (moved.ok) return { stocked: moved.stocked, entry: moved.entry };
		if (moved.reason === 'not_stocked') throw notFound(`Variant with id ${variantId} has no stock record.`);
		if (moved.reason === 'insufficient')
			throw invalid(
				`Cannot remove ${-input.delta}: only ${moved.available} in stock, and stock cannot go below 0.`,
				'stock_below_zero',
			);
		throw invalid(
			`Cannot add ${input.delta}: ${moved.stocked} are in stock and a variant holds at most ${MAX_STOCK_LEVEL}.`,
			'stock_above_limit',
		);
	});
}

/** Sets (or with null clears) a variant's own low-stock threshold. */
export async function setVariantThreshold(db: Db, variantId: string, threshold: number | null): Promise<void> {
	if (threshold !== null && (!Number.isSafeInteger(threshold) || threshold < 0 || threshold > MAX_STOCK_LEVEL))
		throw invalid(`threshold must be a whole number from 0 to ${MAX_STOCK_LEVEL}, or null.`);
	if (!(await setLowStockThreshold(db, variantId, threshold, new Date().toISOString())))
		throw notFound(`Variant with id ${variantId} has no stock record.`);
}

/** A variant's ledger, newest first; Σ delta equals its stocked quantity. */
export async function inventoryLedger(db: Db, variantId: string, limit = 200): Promise<LedgerEntry[]> {
	return listLedgerEntries(db, variantId, limit);
}

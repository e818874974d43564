/**
 * The vocabulary of stock movements and the rules every movement obeys, free of I/O. The one writer of stock is
 * `services/inventory/move-stock.ts` (through `db/repositories/stock-repository.ts`); this module says what it may do.
 */

/** Why stock changed; every change writes one ledger row with one of these. */
export type StockReason = 'sync_initial' | 'order' | 'cancel' | 'admin_adjustment' | 'refund_restock' | 'import';

/**
 * The most units one variant may hold. Far above any real shelf, far below what breaks integer columns (PostgreSQL
 * `integer` ends at 2^31 − 1) or floating point, so a typo such as `1e308` is refused instead of becoming "unlimited".
 */
export const MAX_STOCK_LEVEL = 1_000_000_000;

/** One stock movement: `delta` units (negative takes, positive returns) of one variant, and why. */
export interface StockMove {
	variantId: string;
	/** Whole units; negative takes stock, positive puts it back. */
	delta: number;
	reason: StockReason;
	/** What caused it, e.g. the order id; null for an adjustment without one. */
	ref: string | null;
	/** Who: `checkout`, `catalog-sync`, `customer:<id>`, an admin's email. */
	actor: string;
	/** Free text for people (an adjustment's reason). */
	note?: string | null;
}

/** One inventory-ledger row: Σ `delta` of a variant equals its stocked quantity. */
export interface LedgerEntry {
	id: string;
	variantId: string;
	delta: number;
	quantityAfter: number;
	reason: StockReason;
	referenceId: string | null;
	actor: string;
	note: string | null;
	createdAt: string;
}

/**
 * What a movement did. Refusals are values (the caller words them for its user): the variant has no stock record,
 * fewer units are available than it takes (stock never goes below zero, and nothing is clamped), or the level would
 * pass `MAX_STOCK_LEVEL`.
 */
export type StockMoveResult =
	| { ok: true; stocked: number; entry: LedgerEntry }
	| { ok: false; reason: 'not_stocked' }
	| { ok: false; reason: 'insufficient'; available: number }
	| { ok: false; reason: 'above_limit'; stocked: number };

/** Why a movement is malformed before any stock is read (not a whole number, or larger than any level), else null. */
export function stockMoveProblem(move: Pick<StockMove, 'delta'>): string | null {
	if (!Number.isSafeInteger(move.delta)) return 'A stock change must be a whole number of units.';
	if (Math.abs(move.delta) > MAX_STOCK_LEVEL)
		return `A stock change must be between -${MAX_STOCK_LEVEL} and ${MAX_STOCK_LEVEL} units.`;
	return null;
}

import type { Kysely } from 'kysely';
import { invalid } from '../../core/errors.ts';
import { type StockMove, type StockMoveResult, stockMoveProblem } from '../../core/inventory/stock.ts';
import { applyStockMove, openStockLevel } from '../../db/repositories/stock-repository.ts';
import type { Database } from '../../db/types.ts';
import { queueLowStockIfCrossed } from '../webhooks/webhook-events.ts';
import { queueBackInStockIfRestocked } from './stock-alerts.ts';

/**
 * The one writer of stock. Every change of a variant's stocked quantity — checkout, cancellation restock, refund
 * restock, admin adjustment, opening stock from the catalog sync — goes through here and writes exactly one
 * inventory-ledger row in the same statement pair, inside the caller's transaction (`trx`), so Σ ledger delta always
 * equals the stocked quantity. Taking more than is available is refused (nothing clamped); the result says why, and
 * the caller words it for its user. A malformed delta (not a whole number, beyond `MAX_STOCK_LEVEL`) throws `invalid`.
 */
export async function moveStock(
	trx: Kysely<Database>,
	move: StockMove,
	at = new Date().toISOString(),
): Promise<StockMoveResult> {
	const problem = stockMoveProblem(move);
	if (problem) throw invalid(problem, 'invalid_stock_change');
	const result = await applyStockMove(trx, move, at);
	// A sale (or adjustment) that takes the variant to its low-stock threshold tells the merchant's webhooks, in this
	// same transaction.
	if (result.ok && move.delta < 0) {
		await queueLowStockIfCrossed(trx, move.variantId, result.stocked - move.delta, result.stocked, at);
	}
	// A restock (adjustment, cancellation, CSV import) that makes a sold-out variant available again queues the
	// back-in-stock emails of its confirmed alerts, in this same transaction.
	if (result.ok && move.delta > 0) {
		await queueBackInStockIfRestocked(trx, move.variantId, result.stocked - move.delta, result.stocked, at);
	}
	return result;
}

/**
 * Creates the stock record of a variant seen for the first time with its opening quantity (a `sync_initial` movement,
 * so the ledger starts with it). From then on the database owns the variant's stock.
 */
export async function openStock(
	trx: Kysely<Database>,
	variantId: string,
	quantity: number,
	actor: string,
	at = new Date().toISOString(),
): Promise<StockMoveResult> {
	await openStockLevel(trx, variantId, at);
	return moveStock(
		trx,
		{
			variantId,
			delta: quantity,
			reason: 'sync_initial',
			ref: null,
			actor,
			note: 'opening stock from the product file',
		},
		at,
	);
}

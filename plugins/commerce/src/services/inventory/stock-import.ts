import { CommerceError } from '../../core/errors.ts';
import { MAX_STOCK_LEVEL } from '../../core/inventory/stock.ts';
import { parseStockCsv, type StockCsvError, type StockCsvMode, stockCsv } from '../../core/inventory/stock-csv.ts';
import type { CommerceDb } from '../../db/client.ts';
import { newId } from '../../db/ids.ts';
import { findStockLevelsBySku, listStockLevels } from '../../db/repositories/stock-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { moveStock } from './move-stock.ts';

// Stock CSV import (admin page, CLI, `POST <admin>/api/inventory/import`): every line is checked against the
// database inside one write transaction; any bad line rolls the whole file back, and a dry run always rolls back, so
// the preview shows exactly what the import would do. Each change is one `moveStock` with reason `import`, the
// import's id as ref and the user as actor.

/** What one line did (or, in a dry run, would do). */
export interface ImportedLine {
	line: number;
	sku: string;
	variantId: string;
	before: number;
	after: number;
	delta: number;
}

export interface StockImportResult {
	importId: string;
	dryRun: boolean;
	mode: StockCsvMode;
	lines: ImportedLine[];
	/** Lines whose quantity changes (a delta of 0 writes no ledger row). */
	changed: number;
}

/** Rolls the dry run's transaction back after it computed everything. */
class DryRunDone extends Error {
	constructor(readonly result: StockImportResult) {
		super('dry run');
	}
}

const refused = (errors: StockCsvError[]) =>
	new CommerceError(
		'invalid',
		`The stock file has ${errors.length} bad line${errors.length === 1 ? '' : 's'}; nothing was changed. Fix ${errors.length === 1 ? 'it' : 'them'} and import again (line ${errors[0].line}: ${errors[0].message})`,
		'invalid_csv',
		{ errors: errors.map((e) => ({ line: e.line, sku: e.sku, message: e.message })) },
	);

/** Imports (or previews, `dryRun`) a stock CSV; bad lines throw `invalid_csv` with every line's problem. */
export async function importStockCsv(
	db: CommerceDb,
	text: string,
	opts: { dryRun: boolean; actor: string },
): Promise<StockImportResult> {
	const parsed = parseStockCsv(text);
	if (parsed.mode === null) throw refused(parsed.errors);
	const mode = parsed.mode;
	const importId = newId('simp');
	const at = new Date().toISOString();
	try {
		return await writeTransaction(db, async (trx) => {
			const levels = new Map(
				(
					await findStockLevelsBySku(
						trx,
						parsed.lines.map((l) => l.sku),
					)
				).map((l) => [l.sku, l]),
			);
			// Rows that broke a rule are reported together with those the database refuses, in file order.
			const errors: StockCsvError[] = [...parsed.errors];
			const lines: ImportedLine[] = [];
			for (const row of parsed.lines) {
				const level = levels.get(row.sku);
				if (!level) {
					errors.push({ line: row.line, sku: row.sku, message: `No product variant has the SKU ${row.sku}.` });
					continue;
				}
				const after = mode === 'stock' ? row.value : level.stocked + row.value;
				const delta = after - level.stocked;
				if (after < 0) {
					errors.push({
						line: row.line,
						sku: row.sku,
						message: `Taking ${-row.value} would leave ${after}; only ${level.stocked} in stock.`,
					});
					continue;
				}
				if (after > MAX_STOCK_LEVEL) {
					errors.push({ line: row.line, sku: row.sku, message: `The result ${after} exceeds ${MAX_STOCK_LEVEL}.` });
					continue;
				}
				if (delta !== 0) {
					const moved = await moveStock(
						trx,
						{
							variantId: level.variantId,
							delta,
							reason: 'import',
							ref: importId,
							actor: opts.actor,
							note: 'CSV import',
						},
						at,
					);
					if (!moved.ok) {
						errors.push({ line: row.line, sku: row.sku, message: `Stock could not change (${moved.reason}).` });
						continue;
					}
				}
				lines.push({ line: row.line, sku: row.sku, variantId: level.variantId, before: level.stocked, after, delta });
			}
			// Throwing rolls back every move made above: a file with any bad line changes nothing.
			if (errors.length) throw refused(errors.sort((x, y) => x.line - y.line));
			const result: StockImportResult = {
				importId,
				dryRun: opts.dryRun,
				mode,
				lines,
				changed: lines.filter((l) => l.delta !== 0).length,
			};
			if (opts.dryRun) throw new DryRunDone(result);
			return result;
		});
	} catch (error) {
		if (error instanceof DryRunDone) return error.result;
		throw error;
	}
}

/** Every stocked variant's current quantity as a `sku,stock` CSV (the import's format). */
export async function exportStockCsv(db: CommerceDb): Promise<string> {
	return stockCsv(await listStockLevels(db));
}

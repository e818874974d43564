import { parse } from 'csv-parse/sync';
import { MAX_STOCK_LEVEL } from './stock.ts';

// The stock CSV format (import and export): a header row `sku,stock` (set each SKU's stocked quantity) or `sku,delta`
// (add or take units), then one SKU per row. Parsed with csv-parse (quotes, commas in quoted SKUs, CRLF, a BOM); the
// rules of each row are checked here, without I/O, so a preview and the import report the same per-line errors.

export type StockCsvMode = 'stock' | 'delta';

export interface StockCsvLine {
	/** The line number in the file (the header is line 1). */
	line: number;
	sku: string;
	/** The new stocked quantity (`stock`) or the change (`delta`). */
	value: number;
}

export interface StockCsvError {
	line: number;
	sku: string | null;
	message: string;
}

/**
 * The good rows and the bad ones. `mode` is null when the file as a whole is unusable (not CSV, no header, too long):
 * then `errors` says why and there are no lines.
 */
export type ParsedStockCsv =
	| { mode: StockCsvMode; lines: StockCsvLine[]; errors: StockCsvError[] }
	| { mode: null; lines: []; errors: StockCsvError[] };

/** The most rows one import takes (a file beyond it is split by the merchant, or imported with the CLI twice). */
export const MAX_IMPORT_ROWS = 10_000;

const HEADER_HELP =
	'The first line must be the header `sku,stock` (set quantities) or `sku,delta` (add or take units).';

/** Parses and checks a stock CSV: every good row, and the error of every bad one. */
export function parseStockCsv(text: string): ParsedStockCsv {
	let parsed: { record: string[]; info: { lines: number } }[];
	try {
		parsed = parse(text, {
			bom: true,
			skip_empty_lines: true,
			trim: true,
			relax_column_count: true,
			info: true,
		}) as unknown as typeof parsed;
	} catch (error) {
		const line = (error as { lines?: number }).lines ?? 1;
		return {
			mode: null,
			lines: [],
			errors: [{ line, sku: null, message: `Not valid CSV: ${(error as Error).message}` }],
		};
	}
	const records = parsed.map((p) => p.record);
	if (!records.length)
		return { mode: null, lines: [], errors: [{ line: 1, sku: null, message: `The file is empty. ${HEADER_HELP}` }] };
	const header = records[0].map((h) => h.toLowerCase());
	const mode: StockCsvMode | null =
		header.length === 2 && header[0] === 'sku' && (header[1] === 'stock' || header[1] === 'delta')
			? (header[1] as StockCsvMode)
			: null;
	if (!mode)
		return {
			mode: null,
			lines: [],
			errors: [{ line: 1, sku: null, message: `${HEADER_HELP} Found "${records[0].join(',')}".` }],
		};
	if (records.length - 1 > MAX_IMPORT_ROWS)
		return {
			mode: null,
			lines: [],
			errors: [
				{
					line: 1,
					sku: null,
					message: `At most ${MAX_IMPORT_ROWS} rows per import; this file has ${records.length - 1}.`,
				},
			],
		};

	const lines: StockCsvLine[] = [];
	const errors: StockCsvError[] = [];
	const seen = new Map<string, number>();
	for (const { record: cells, info } of parsed.slice(1)) {
		// The file's own line number (blank lines are skipped but counted), as a text editor shows it.
		const line = info.lines;
		const sku = cells[0] ?? '';
		const raw = cells[1] ?? '';
		const problem = rowProblem(cells, mode, seen);
		if (problem) {
			errors.push({ line, sku: sku || null, message: problem });
			continue;
		}
		seen.set(sku, line);
		lines.push({ line, sku, value: Number(raw) });
	}

	if (!lines.length && !errors.length)
		errors.push({ line: 2, sku: null, message: 'The file has a header but no rows.' });
	return { mode, lines, errors };
}

/** Why one data row is refused, or null. */
function rowProblem(cells: string[], mode: StockCsvMode, seen: Map<string, number>): string | null {
	const [sku = '', raw = ''] = cells;
	if (cells.length !== 2) return `Expected 2 columns (sku,${mode}), found ${cells.length}.`;
	if (!sku) return 'The SKU is empty.';
	if (seen.has(sku)) return `SKU ${sku} is already on line ${seen.get(sku)}; give each SKU once.`;
	if (!/^[+-]?\d+$/.test(raw)) return `"${raw}" is not a whole number.`;
	const value = Number(raw);
	if (mode === 'stock' && (value < 0 || value > MAX_STOCK_LEVEL))
		return `stock must be from 0 to ${MAX_STOCK_LEVEL}; got ${raw}.`;
	if (mode === 'delta' && Math.abs(value) > MAX_STOCK_LEVEL)
		return `delta must be between -${MAX_STOCK_LEVEL} and ${MAX_STOCK_LEVEL}; got ${raw}.`;
	return null;
}

/** One CSV cell: quoted when it holds a comma, quote or line break (quotes doubled). */
function cell(text: string): string {
	return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The current stock as a `sku,stock` file that `parseStockCsv` reads back unchanged. */
export function stockCsv(rows: { sku: string; stocked: number }[]): string {
	return `sku,stock\n${rows.map((r) => `${cell(r.sku)},${r.stocked}`).join('\n')}${rows.length ? '\n' : ''}`;
}

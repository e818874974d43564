import { z } from 'zod';
import { exportStockCsv, importStockCsv, type StockImportResult } from '../../services/inventory/stock-import.ts';
import { type AdminRoute, actorOf, areaRoute, noStore } from './area-route.ts';

// Stock CSV in the admin API: `POST /inventory/import` (`text/csv` body, `?dry_run=1` previews) and
// `GET /inventory/export.csv` in the same `sku,stock` format.

const csvBody = z
	.string()
	.refine(
		(text) => text.trim().length > 0,
		'Send the CSV as the request body (Content-Type: text/csv), e.g. "sku,stock\\nMUG-1,12".',
	);

const importQuery = z
	.object({ dry_run: z.enum(['1', 'true', '0', 'false']).optional() })
	.strict()
	.transform((q) => ({ dryRun: q.dry_run === '1' || q.dry_run === 'true' }));

const toImportResponse = (r: StockImportResult) => ({
	import_id: r.importId,
	dry_run: r.dryRun,
	mode: r.mode,
	changed: r.changed,
	lines: r.lines.map((l) => ({
		line: l.line,
		sku: l.sku,
		variant_id: l.variantId,
		before: l.before,
		after: l.after,
		delta: l.delta,
	})),
});

export const stockImportRoutes: AdminRoute[] = [
	areaRoute('inventory', {
		method: 'POST',
		path: '/inventory/import',
		bodyFormat: 'text',
		// 10,000 rows of SKU and quantity fit easily.
		maxBodyBytes: 1024 * 1024,
		body: csvBody,
		query: importQuery,
		handler: async (ctx) =>
			toImportResponse(
				await importStockCsv(ctx.runtime.db, ctx.body, { dryRun: ctx.query.dryRun, actor: actorOf(ctx.auth) }),
			),
	}),
	areaRoute('inventory', {
		method: 'GET',
		path: '/inventory/export.csv',
		handler: async (ctx) =>
			new Response(await exportStockCsv(ctx.runtime.db), {
				headers: {
					'Content-Type': 'text/csv; charset=utf-8',
					'Content-Disposition': `attachment; filename="stock-${new Date().toISOString().slice(0, 10)}.csv"`,
					...noStore,
				},
			}),
	}),
];

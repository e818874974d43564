import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { CommerceError } from '../core/errors.ts';
import { type DatabaseTarget, openDatabase } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { exportStockCsv, importStockCsv } from '../services/inventory/stock-import.ts';

// `commerce stock:import <file> [--dry-run]` and `commerce stock:export [file]`: the admin's CSV import and export
// for scripts and large files, through the same service (one transaction, per-line errors, ledger reason `import`).

function readInput(file: string): string {
	return readFileSync(file === '-' ? 0 : file, 'utf8');
}

export async function stockImportCommand(
	target: DatabaseTarget,
	file: string | undefined,
	opts: { dryRun?: boolean; actor?: string },
): Promise<number> {
	if (!file) {
		console.error('Usage: commerce stock:import <file.csv|-> [--dry-run] [--actor <email>]');
		return 2;
	}
	let text: string;
	try {
		text = readInput(file);
	} catch (error) {
		console.error(`Cannot read ${file}: ${(error as Error).message}`);
		return 1;
	}
	const db = openDatabase(target);
	try {
		await migrateToLatest(db);
		const actor = opts.actor ?? `cli:${userInfo().username}`;
		const result = await importStockCsv(db, text, { dryRun: opts.dryRun === true, actor });
		for (const l of result.lines) {
			const sign = l.delta > 0 ? '+' : '';
			console.log(`line ${l.line}  ${l.sku}  ${l.before} → ${l.after} (${sign}${l.delta})`);
		}
		console.log(
			result.dryRun
				? `dry run: ${result.changed} of ${result.lines.length} SKUs would change; nothing was written.`
				: `imported: ${result.changed} of ${result.lines.length} SKUs changed (import ${result.importId}, actor ${actor}).`,
		);
		return 0;
	} catch (error) {
		if (error instanceof CommerceError) {
			console.error(error.message);
			for (const e of error.details.errors ?? [])
				console.error(`  line ${e.line}${e.sku ? ` (${e.sku})` : ''}: ${e.message}`);
			return 1;
		}
		console.error((error as Error).message);
		return 1;
	} finally {
		await db.destroy();
	}
}

export async function stockExportCommand(target: DatabaseTarget, out: string | undefined): Promise<number> {
	const db = openDatabase(target);
	try {
		await migrateToLatest(db);
		const csv = await exportStockCsv(db);
		if (out && out !== '-') {
			writeFileSync(out, csv);
			console.error(`stock written to ${out}`);
		} else process.stdout.write(csv);
		return 0;
	} catch (error) {
		console.error((error as Error).message);
		return 1;
	} finally {
		await db.destroy();
	}
}

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCustomer } from '../helpers/account-session.ts';
import { adminSession, openDb } from '../helpers/admin.ts';
import { repoRoot, startServer, type TestServer } from '../helpers/server.ts';

// Stock CSV import and export through the real server and the CLI: a preview with per-line errors that changes
// nothing, one transaction with ledger rows (reason import, the admin's email), delta files, and the export format
// that imports back unchanged.

let server: TestServer;
let boss: TestCustomer;
let dir: string;

beforeAll(async () => {
	server = await startServer();
	boss = await adminSession(server, 'stock-admin@example.com', 'admin');
	dir = mkdtempSync(join(tmpdir(), 'frostbuy-stock-'));
});
afterAll(async () => {
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
});

async function importCsv(csv: string, query = '', who: TestCustomer | null = boss, type = 'text/csv') {
	const res = await fetch(`${server.url}/admin/api/inventory/import${query}`, {
		method: 'POST',
		headers: { 'content-type': type, ...(who ? { cookie: who.cookie } : {}) },
		body: csv,
	});
	return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function exportCsv(): Promise<string> {
	const res = await fetch(`${server.url}/admin/api/inventory/export.csv`, { headers: { cookie: boss.cookie } });
	expect(res.headers.get('content-type')).toMatch(/text\/csv/);
	return res.text();
}

const stockOf = (csv: string) =>
	new Map(
		csv
			.trim()
			.split('\n')
			.slice(1)
			.map((l) => {
				const i = l.lastIndexOf(',');
				return [l.slice(0, i), Number(l.slice(i + 1))] as const;
			}),
	);

describe('stock CSV import', () => {
	it('exports sku,stock for every stocked variant', async () => {
		const csv = await exportCsv();
		expect(csv.split('\n')[0]).toBe('sku,stock');
		expect(stockOf(csv).size).toBeGreaterThan(3);
	});

	it('refuses a file with one bad line in the preview and in the import, listing each bad line; nothing changes', async () => {
		const before = await exportCsv();
		const [a, b] = [...stockOf(before).keys()];
		const csv = `sku,stock\n${a},7\nNO-SUCH-SKU,3\n${b},-2\n`;
		const preview = await importCsv(csv, '?dry_run=1');
		expect(preview.status).toBe(400);
		expect(preview.json).toMatchObject({
			type: 'invalid_data',
			code: 'invalid_csv',
			message: expect.stringMatching(/nothing was changed/),
		});
		// Every bad line at once, in file order: the row that breaks a rule and the SKU the catalog does not know.
		expect(preview.json.errors).toEqual([
			{ line: 3, sku: 'NO-SUCH-SKU', message: expect.stringMatching(/No product variant/) },
			{ line: 4, sku: b, message: expect.stringMatching(/stock must be from 0/) },
		]);
		const real = await importCsv(`sku,stock\n${a},7\nNO-SUCH-SKU,3\n`);
		expect(real.status).toBe(400);
		expect(await exportCsv()).toBe(before);
	});

	it('previews, then imports absolute quantities in one transaction with ledger rows', async () => {
		const before = stockOf(await exportCsv());
		const [a, b] = [...before.keys()];
		const csv = `sku,stock\r\n${a},${before.get(a)! + 5}\r\n\r\n"${b}",${before.get(b)}\r\n`;
		const preview = await importCsv(csv, '?dry_run=1');
		expect(preview.status).toBe(200);
		expect(preview.json).toMatchObject({ dry_run: true, mode: 'stock', changed: 1 });
		expect(preview.json.lines).toEqual([
			expect.objectContaining({ line: 2, sku: a, before: before.get(a), after: before.get(a)! + 5, delta: 5 }),
			expect.objectContaining({ line: 4, sku: b, delta: 0 }),
		]);
		expect(stockOf(await exportCsv()).get(a)).toBe(before.get(a));

		const done = await importCsv(csv);
		expect(done.status).toBe(200);
		expect(done.json).toMatchObject({ dry_run: false, changed: 1 });
		expect(stockOf(await exportCsv()).get(a)).toBe(before.get(a)! + 5);
		const db = openDb(server);
		try {
			const rows = db
				.prepare('select delta, reason, actor, reference_id as ref from inventory_ledger where reference_id = ?')
				.all(done.json.import_id);
			expect(rows).toEqual([
				{ delta: 5, reason: 'import', actor: 'stock-admin@example.com', ref: done.json.import_id },
			]);
		} finally {
			db.close();
		}
	});

	it('applies sku,delta files and refuses taking more than is stocked', async () => {
		const before = stockOf(await exportCsv());
		const [a] = [...before.keys()];
		const ok = await importCsv(`SKU,Delta\n${a},-2\n`);
		expect(ok.status).toBe(200);
		expect(stockOf(await exportCsv()).get(a)).toBe(before.get(a)! - 2);
		const tooMany = await importCsv(`sku,delta\n${a},-${before.get(a)! + 100}\n`, '?dry_run=1');
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.errors[0]).toMatchObject({ line: 2, sku: a, message: expect.stringMatching(/only/) });
	});

	it('answers bad requests with Medusa errors and refuses staff-less callers', async () => {
		for (const [csv, pattern] of [
			['', /request body/],
			['name,qty\nA,1\n', /header/],
			['sku,stock\n', /no rows/],
			['sku,stock\nA,1,2\n', /2 columns/],
			['sku,stock\nA,1.5\n', /whole number/],
			['sku,stock\nA,1\nA,2\n', /already on line 2/],
			['sku,stock\n"A,1\n', /Not valid CSV/],
		] as const) {
			const res = await importCsv(csv, '?dry_run=1');
			expect(res.status, csv).toBe(400);
			expect(res.json.type, csv).toBe('invalid_data');
			// The message names the first problem; `errors` lists every line's.
			expect(JSON.stringify(res.json), csv).toMatch(pattern);
		}
		expect((await importCsv('sku,stock\nA,1\n', '?dry_run=maybe')).status).toBe(400);
		expect((await importCsv('sku,stock\nA,1\n', '', null)).status).toBe(401);
	});

	it('imports and exports with the CLI through the same rules', async () => {
		const run = promisify(execFile);
		const cli = join(repoRoot, 'plugins/commerce/bin/commerce.mjs');
		const exported = join(dir, 'stock.csv');
		await run(process.execPath, [cli, 'stock:export', exported, '--db', server.databasePath]);
		const before = stockOf(await exportCsv());
		const [a] = [...before.keys()];
		const bad = join(dir, 'bad.csv');
		writeFileSync(bad, `sku,delta\n${a},1\nGHOST,1\n`);
		const refused = await run(process.execPath, [cli, 'stock:import', bad, '--db', server.databasePath]).catch(
			(e) => e,
		);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/line 3 \(GHOST\)/);
		const good = join(dir, 'good.csv');
		writeFileSync(good, `sku,delta\n${a},3\n`);
		const { stdout } = await run(process.execPath, [cli, 'stock:import', good, '--db', server.databasePath]);
		expect(stdout).toMatch(/imported: 1 of 1/);
		expect(stockOf(await exportCsv()).get(a)).toBe(before.get(a)! + 3);
	});
});

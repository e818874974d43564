import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../plugins/commerce/src/cli/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// Every CLI command works on the database the server would use: DATABASE_URL, else the site's database.url option
// (dist/commerce.json), else the SQLite file. PostgreSQL only (vitest.config.ts: POSTGRES_ONLY_UNIT_TESTS): the
// SQLite file named by the site must stay unwritten while PostgreSQL is selected.

let testDb: TestDatabase;
let site: string;
const cwd = process.cwd();
const saved = { DATABASE_URL: process.env.DATABASE_URL, COMMERCE_DB: process.env.COMMERCE_DB };
const quiet = () => [vi.spyOn(console, 'log'), vi.spyOn(console, 'error'), vi.spyOn(process.stderr, 'write')];

beforeAll(async () => {
	testDb = await createTestDatabase('clidb');
	site = mkdtempSync(join(tmpdir(), 'frostbuy-cli-db-'));
	mkdirSync(join(site, 'dist'));
	// The products of the demo site, so `sync` has something to write.
	writeFileSync(
		join(site, 'dist', 'commerce.json'),
		JSON.stringify({ databasePath: 'db/site.sqlite', productsDir: join(cwd, 'content/products'), storeName: 'T' }),
	);
	process.chdir(site);
});
afterEach(() => {
	vi.restoreAllMocks();
	for (const [key, value] of Object.entries(saved))
		if (value === undefined) delete process.env[key];
		else process.env[key] = value;
});
afterAll(async () => {
	process.chdir(cwd);
	await testDb.destroy();
	rmSync(site, { recursive: true, force: true });
});

const sqliteFile = () => join(site, 'db', 'site.sqlite');

describe('the CLI picks the database as the server does', () => {
	it('runs every data command against DATABASE_URL, never the SQLite file', async () => {
		process.env.DATABASE_URL = testDb.target;
		delete process.env.COMMERCE_DB;
		const out = quiet()[0];
		expect(await main(['sync'])).toBe(0);
		const variants = await testDb.db.selectFrom('product_variant').select('sku').execute();
		expect(variants.length).toBeGreaterThan(0);
		await testDb.db
			.insertInto('analytics_event')
			.values({
				id: 'ev_cli_1',
				visit_id: 'a'.repeat(32),
				type: 'product_view',
				path: '/products/x',
				product_id: null,
				variant_id: null,
				cart_id: null,
				order_id: null,
				value: null,
				currency: null,
				occurred_at: '2026-10-01T12:00:00.000Z',
				received_at: '2026-10-01T12:00:01.000Z',
			})
			.execute();

		expect(await main(['analytics:rebuild', '--json', '--time-zone', 'UTC'])).toBe(0);
		const traffic = await testDb.db.selectFrom('analytics_traffic_day').selectAll().execute();
		expect(traffic).toEqual([expect.objectContaining({ day: '2026-10-01', product_view: 1 })]);

		const csv = join(site, 'stock.csv');
		expect(await main(['stock:export', csv])).toBe(0);
		expect(readFileSync(csv, 'utf8')).toContain(variants[0].sku);

		expect(await main(['analytics:prune', '--keep-days', '1', '--json'])).toBe(0);
		expect(await testDb.db.selectFrom('analytics_event').select('id').execute()).toEqual([]);
		// Pruning raw events keeps the rollups.
		expect(await testDb.db.selectFrom('analytics_traffic_day').select('day').execute()).toHaveLength(1);

		expect(await main(['prune', '--json'])).toBe(0);
		expect(await main(['reconcile', '--json'])).toBe(0);
		expect(out.mock.calls.flat().join('\n')).not.toContain('site.sqlite');
		expect(existsSync(sqliteFile())).toBe(false);
	});

	it("uses the site's database.url option when DATABASE_URL is unset, and DATABASE_URL over it", async () => {
		delete process.env.DATABASE_URL;
		const settings = join(site, 'dist', 'commerce.json');
		const json = JSON.parse(readFileSync(settings, 'utf8'));
		writeFileSync(settings, JSON.stringify({ ...json, database: { url: testDb.target } }));
		quiet();
		await testDb.db.deleteFrom('analytics_traffic_day').execute();
		expect(await main(['analytics:rebuild', '--json', '--time-zone', 'UTC'])).toBe(0);
		expect(existsSync(sqliteFile())).toBe(false);
		// An environment URL wins: a database that does not exist makes the command fail instead of using the option.
		process.env.DATABASE_URL = `${testDb.target}_missing`;
		expect(await main(['analytics:rebuild', '--json'])).toBe(1);
		writeFileSync(settings, JSON.stringify(json));
	});
});

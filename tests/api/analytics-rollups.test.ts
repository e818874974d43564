import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { seedHistory } from '../../scripts/lib/seed-history.mjs';
import { admin, adminSession } from '../helpers/admin.ts';
import { readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The acceptance's situation at a small scale: a history cloned straight into the SQLite file of a stopped store
// (behind the app's back: no rollups written), then the built store restarted on it. The start-up check notices,
// rebuilds in the background, and the dashboard ends with the figures of the raw rows.

const dir = mkdtempSync(join(tmpdir(), 'frostbuy-rollup-api-'));
const databasePath = join(dir, 'commerce.sqlite');
let server: TestServer | undefined;
afterAll(async () => {
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
});

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('rows written behind the app', () => {
	it('are in the dashboard after a restart (background rebuild)', async () => {
		server = await startServer({ databasePath });
		const mug = await variantId(server, 'snowflake-mug');
		const cart = await readyCart(server, { items: [{ variantId: mug, quantity: 2 }], email: 'seed@example.com' });
		expect((await store(server, 'POST', `/carts/${cart}/complete`, {})).json.type).toBe('order');
		await server.stop();

		const now = Date.now();
		seedHistory(databasePath, { orders: 3000, events: 20_000, days: 20, now });
		server = await startServer({ databasePath });
		expect(server.output()).toMatch(/analytics: rebuilding the rollups \(orders: 3001 stored, 1 in the rollups/);
		const boss = await adminSession(server, 'boss@frostbuy.test', 'admin');
		const from = day(now - 29 * 86_400_000);
		const to = day(now);
		let kpis = (await admin(server, boss, 'GET', `/dashboard?from=${from}&to=${to}`)).json;
		for (let i = 0; kpis.rollups.rebuilding && i < 300; i++) {
			await new Promise((r) => setTimeout(r, 100));
			kpis = (await admin(server, boss, 'GET', `/dashboard?from=${from}&to=${to}`)).json;
		}
		expect(kpis.rollups.rebuilding).toBeNull();

		const db = new SQLite(databasePath, { readonly: true });
		const counted = db
			.prepare(`select count(*) as n from orders where status <> 'canceled' and created_at >= ?`)
			.get(`${from}T00:00:00.000Z`) as { n: number };
		const canceled = db.prepare(`select count(*) as n from orders where status = 'canceled'`).get() as { n: number };
		const revenue = db
			.prepare(
				`select sum(max(0, o.total - coalesce(p.amount_refunded, 0))) as r from orders o left join payment p on p.order_id = o.id where o.status <> 'canceled' and o.currency_code = ?`,
			)
			.get(kpis.currency) as { r: number };
		db.close();
		expect(kpis.orders).toBe(counted.n);
		expect(kpis.orders).toBeGreaterThan(2800);
		expect(kpis.canceledOrders).toBe(canceled.n);
		expect(kpis.revenue).toBe(revenue.r);
		// Five events per visit id in the clone: 20,000 events are 4,000 visits (a few split by midnight count twice).
		expect(kpis.visits).toBeGreaterThanOrEqual(4000);
		expect(kpis.visits).toBeLessThan(4100);
		expect(kpis.funnel.addToCart).toBeGreaterThanOrEqual(4000);

		// Restarted again: nothing to rebuild.
		await server.stop();
		server = await startServer({ databasePath });
		expect(server.output()).not.toMatch(/rebuilding the rollups/);
	}, 120_000);
});

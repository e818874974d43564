import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import { ordersCsv } from '../../plugins/commerce/src/services/admin/orders.ts';

// The CSV export streams keyset batches of 500: every order exactly once, newest first, across batch boundaries and
// equal timestamps, and the first bytes arrive before the whole file is read.

let dir: string;
let db: CommerceDb;
const COUNT = 1203;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'frostbuy-csv-'));
	db = openDatabase(join(dir, 'commerce.sqlite'));
	await migrateToLatest(db);
	const carts = [];
	const orders = [];
	for (let i = 0; i < COUNT; i++) {
		// Three orders share each timestamp: the keyset must fall back to display_id.
		const at = new Date(Date.parse('2026-11-01T00:00:00.000Z') + Math.floor(i / 3) * 60_000).toISOString();
		carts.push({
			id: `cart_${i}`,
			email: null,
			customer_id: null,
			region_id: 'reg_us',
			currency_code: 'usd',
			shipping_address_id: null,
			billing_address_id: null,
			client_ip: null,
			user_agent: null,
			metadata: null,
			completed_at: at,
			created_at: at,
			updated_at: at,
		});
		orders.push({
			id: `order_${i}`,
			display_id: 1000 + i,
			cart_id: `cart_${i}`,
			customer_id: null,
			email: i % 2 ? 'odd@example.com' : 'even@example.com',
			region_id: 'reg_us',
			currency_code: 'usd',
			tax_rate: 0,
			status: 'pending',
			payment_status: 'captured',
			fulfillment_status: 'not_fulfilled',
			subtotal: 1000,
			discount_total: 0,
			shipping_total: 0,
			shipping_tax_total: 0,
			item_tax_total: 0,
			tax_total: 0,
			total: 1000 + i,
			shipping_option_id: null,
			shipping_method_name: null,
			shipping_address_id: null,
			billing_address_id: null,
			carrier: null,
			tracking_number: null,
			canceled_at: null,
			created_at: at,
			updated_at: at,
		});
	}
	for (let i = 0; i < COUNT; i += 50) {
		await db
			.insertInto('cart')
			.values(carts.slice(i, i + 50))
			.execute();
		await db
			.insertInto('orders')
			.values(orders.slice(i, i + 50))
			.execute();
	}
});

afterAll(async () => {
	await db?.destroy();
	rmSync(dir, { recursive: true, force: true });
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
	const decoder = new TextDecoder();
	let text = '';
	let chunks = 0;
	for await (const chunk of stream) {
		text += decoder.decode(chunk);
		chunks++;
	}
	return { text, chunks };
}

describe('orders CSV export', () => {
	it('streams every order once, newest first, in batches', async () => {
		const { text, chunks } = await readAll(ordersCsv(db, {}));
		const rows = text.trimEnd().split('\r\n');
		expect(rows[0]).toMatch(/^display_id,id,created_at/);
		const ids = rows.slice(1).map((r) => Number(JSON.parse(r.split(',')[0]!)));
		expect(ids).toHaveLength(COUNT);
		expect(new Set(ids).size).toBe(COUNT);
		expect(ids).toEqual([...ids].sort((a, b) => b - a));
		// Header, three batches of 500/500/203.
		expect(chunks).toBe(4);
	});

	it('keeps the filter across batches', async () => {
		const { text } = await readAll(ordersCsv(db, { email: 'odd@' } as never));
		const rows = text.trimEnd().split('\r\n').slice(1);
		expect(rows).toHaveLength(Math.floor(COUNT / 2));
		expect(rows.every((r) => r.includes('odd@example.com'))).toBe(true);
	});
});

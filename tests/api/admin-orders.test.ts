import type SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, type TestCustomer } from '../helpers/account-session.ts';
import { admin, adminSession, openDb } from '../helpers/admin.ts';
import { variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// Admin order actions over HTTP against a built server in manual-capture mode (COMMERCE_CAPTURE_METHOD), real SMTP on
// loopback: capture and refund limits, restock and the ledger invariant, the shipping email, inventory adjustments,
// the CSV export.

let server: TestServer;
let smtp: TestSmtpServer;
let db: SQLite.Database;
let boss: TestCustomer;
let staff: TestCustomer;
let hoodie: string;
let mug: string;

beforeAll(async () => {
	smtp = await startSmtpServer();
	server = await startServer({
		env: { SMTP_URL: smtp.url, MAIL_FROM: 'FrostBuy <orders@frostbuy.test>', COMMERCE_CAPTURE_METHOD: 'manual' },
	});
	hoodie = await variantId(server, 'classic-hoodie', 'M');
	mug = await variantId(server, 'snowflake-mug');
	boss = await adminSession(server, 'orders-admin@example.com', 'admin');
	staff = await adminSession(server, 'orders-staff@example.com', 'staff');
	db = openDb(server);
});
afterAll(async () => {
	db?.close();
	await server?.stop();
	await smtp?.close();
});

const stock = (variant: string) =>
	(db.prepare('select stocked_quantity as q from inventory_level where variant_id = ?').get(variant) as { q: number })
		.q;
const guestOrder = (email: string, items = [{ variantId: hoodie, quantity: 2 }]) =>
	placeOrder(server, null, { items, email });

/** Σ ledger delta per variant next to its stocked quantity: the two must always agree. */
function ledgerMismatches(): unknown[] {
	return db
		.prepare(
			`select i.variant_id, i.stocked_quantity, coalesce((select sum(delta) from inventory_ledger l where l.variant_id = i.variant_id), 0) as total
			 from inventory_level i where i.stocked_quantity != coalesce((select sum(delta) from inventory_ledger l where l.variant_id = i.variant_id), 0)`,
		)
		.all();
}

describe('capture', () => {
	it('refuses over-capture with a clear 400, then captures part of the authorization once', async () => {
		const order = await guestOrder('capture@example.com');
		expect(order.payment_status).toBe('awaiting');
		const over = await admin(server, staff, 'POST', `/orders/${order.id}/capture`, { amount: order.total + 1 });
		expect(over.status).toBe(400);
		expect(over.json).toMatchObject({ type: 'invalid_data', code: 'capture_exceeds_authorized' });
		expect(over.json.message).toMatch(/at most \$/);

		const part = await admin(server, staff, 'POST', `/orders/${order.id}/capture`, { amount: order.total - 100 });
		expect(part.status).toBe(200);
		expect(part.json.order.payment).toMatchObject({ amount_captured: order.total - 100 });
		expect(part.json.order.events.at(-1)).toMatchObject({
			type: 'payment_captured',
			actor: 'orders-staff@example.com',
		});

		// Partial capture happens once: the rest of the authorization is released, not captured later.
		const again = await admin(server, staff, 'POST', `/orders/${order.id}/capture`, { amount: 100 });
		expect(again.status).toBe(400);
	});
});

describe('refund', () => {
	it('refunds part (partially_refunded, per-line restock), then refuses more than captured minus refunded', async () => {
		const order = await guestOrder('refund@example.com');
		expect((await admin(server, boss, 'POST', `/orders/${order.id}/capture`, {})).status).toBe(200);
		const before = stock(hoodie);
		const detail = await admin(server, boss, 'GET', `/orders/${order.id}`);
		const line = detail.json.order.lines[0];

		const half = Math.floor(order.total / 2);
		const refund = await admin(server, boss, 'POST', `/orders/${order.id}/refund`, {
			amount: half,
			restock_lines: [{ line_id: line.id, quantity: 1 }],
		});
		expect(refund.status).toBe(200);
		expect(refund.json.order.order).toMatchObject({ payment_status: 'partially_refunded' });
		expect(refund.json.order.payment).toMatchObject({ amount_refunded: half });
		expect(stock(hoodie)).toBe(before + 1);
		expect(
			db
				.prepare("select actor, delta from inventory_ledger where reason = 'refund_restock' and reference_id = ?")
				.all(order.id),
		).toEqual([{ actor: 'orders-admin@example.com', delta: 1 }]);

		const over = await admin(server, boss, 'POST', `/orders/${order.id}/refund`, { amount: order.total - half + 1 });
		expect(over.status).toBe(400);
		expect(over.json).toMatchObject({ type: 'invalid_data', code: 'refund_exceeds_captured' });
		expect(over.json.message).toMatch(/at most \$/);
		expect(
			(db.prepare('select amount_refunded as r from payment where order_id = ?').get(order.id) as { r: number }).r,
		).toBe(half);
		expect(ledgerMismatches()).toEqual([]);
	});
});

describe('cancel', () => {
	it('voids the authorization, restocks every line and keeps Σ ledger delta = stock for every variant', async () => {
		const before = { hoodie: stock(hoodie), mug: stock(mug) };
		const order = await guestOrder('cancel@example.com', [
			{ variantId: hoodie, quantity: 2 },
			{ variantId: mug, quantity: 3 },
		]);
		expect(stock(hoodie)).toBe(before.hoodie - 2);
		const res = await admin(server, staff, 'POST', `/orders/${order.id}/cancel`, { reason: 'customer called' });
		expect(res.status).toBe(200);
		expect(res.json.order.order).toMatchObject({ status: 'canceled', fulfillment_status: 'canceled' });
		expect({ hoodie: stock(hoodie), mug: stock(mug) }).toEqual(before);
		expect(
			db
				.prepare("select count(*) as n from inventory_ledger where reason = 'cancel' and reference_id = ?")
				.get(order.id),
		).toEqual({ n: 2 });
		expect(ledgerMismatches()).toEqual([]);
		expect((await admin(server, staff, 'POST', `/orders/${order.id}/cancel`, {})).status).toBe(400);
	});
});

describe('ship', () => {
	it('ships with carrier and tracking number and emails the customer', async () => {
		const order = await guestOrder('ship@example.com');
		expect((await admin(server, staff, 'POST', `/orders/${order.id}/capture`, {})).status).toBe(200);
		expect((await admin(server, staff, 'POST', `/orders/${order.id}/ship`, { carrier: 'UPS' })).status).toBe(400);
		expect((await admin(server, staff, 'POST', `/orders/${order.id}/mark-processing`, {})).status).toBe(200);
		const shipped = await admin(server, staff, 'POST', `/orders/${order.id}/ship`, {
			carrier: 'UPS',
			tracking_number: '1Z999AA10123456784',
		});
		expect(shipped.status).toBe(200);
		expect(shipped.json.order.order).toMatchObject({
			fulfillment_status: 'shipped',
			carrier: 'UPS',
			tracking_number: '1Z999AA10123456784',
		});
		const subject = `Order #${order.display_id} shipped — FrostBuy`;
		await expect.poll(() => smtp.messages.filter((m) => m.subject === subject).length, { timeout: 10_000 }).toBe(1);
		const mail = smtp.messages.find((m) => m.subject === subject)!;
		expect(mail.text).toContain('1Z999AA10123456784');
		expect((await admin(server, staff, 'POST', `/orders/${order.id}/deliver`, {})).json.order.order).toMatchObject({
			status: 'completed',
		});
	});
});

describe('inventory', () => {
	it('adjusts stock with a ledger row naming the admin, never below 0, and lists low stock', async () => {
		const before = stock(mug);
		const add = await admin(server, staff, 'POST', `/inventory/${mug}/adjust`, {
			delta: 5,
			reason: 'received',
			note: 'PO 17',
		});
		expect(add.status).toBe(200);
		expect(add.json).toMatchObject({
			stocked: before + 5,
			entry: { reason: 'admin_adjustment', actor: 'orders-staff@example.com', delta: 5, quantity_after: before + 5 },
		});
		const below = await admin(server, staff, 'POST', `/inventory/${mug}/adjust`, {
			delta: -(before + 6),
			reason: 'damaged',
		});
		expect(below.status).toBe(400);
		expect(below.json.code).toBe('stock_below_zero');
		expect(stock(mug)).toBe(before + 5);
		// A typo such as 1e308 is not a stock level: refused, nothing stored.
		const huge = await admin(server, staff, 'POST', `/inventory/${mug}/adjust`, { delta: 1e308, reason: 'typo' });
		expect(huge.status).toBe(400);
		expect(huge.json.type).toBe('invalid_data');
		expect(stock(mug)).toBe(before + 5);

		expect((await admin(server, staff, 'POST', `/inventory/${mug}/threshold`, { threshold: before + 5 })).status).toBe(
			200,
		);
		const low = await admin(server, staff, 'GET', '/inventory?low_stock=true');
		expect(low.json.inventory.map((r: { variantId: string }) => r.variantId)).toContain(mug);
		const ledger = await admin(server, staff, 'GET', `/inventory/${mug}/ledger`);
		expect(ledger.json.ledger.reduce((sum: number, row: { delta: number }) => sum + row.delta, 0)).toBe(before + 5);
		expect(ledgerMismatches()).toEqual([]);
	});
});

describe('orders list and CSV export', () => {
	it('filters by email and exports a header row with formula cells neutralised', async () => {
		const order = await guestOrder('csv@example.com');
		await admin(server, boss, 'POST', `/orders/${order.id}/capture`, {});
		await admin(server, boss, 'POST', `/orders/${order.id}/mark-processing`, {});
		await admin(server, boss, 'POST', `/orders/${order.id}/ship`, {
			carrier: "=cmd|' /C calc'!A0",
			tracking_number: '+1 555',
		});
		const list = await admin(server, boss, 'GET', '/orders?email=csv@&limit=5');
		expect(list.json).toMatchObject({ count: 1, limit: 5, offset: 0 });
		const csv = await admin(server, boss, 'GET', '/orders.csv?email=csv@example.com');
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
		const rows = csv.text.trim().split('\r\n');
		expect(rows[0]).toMatch(/^display_id,id,created_at,email,status/);
		expect(rows).toHaveLength(2);
		expect(rows[1]).toContain(`"'=cmd|' /C calc'!A0"`);
		expect(rows[1]).toContain(`"'+1 555"`);
		expect(rows[1]).not.toMatch(/(^|,)"=/);
		// Money as decimals next to the currency code, not minor units.
		const header = rows[0]!.split(',');
		const cells = rows[1]!.split(',');
		expect(cells[header.indexOf('currency_code')]).toBe('"usd"');
		expect(cells[header.indexOf('total')]).toBe(`"${(order.total / 100).toFixed(2)}"`);
	});
});

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../helpers/account-session.ts';
import { readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// The order confirmation is written to the outbox in the order's transaction, so an order that committed has its email
// even if the process dies before sending it: a server killed with SIGKILL while the mail server was down sends the
// confirmation, exactly once, after it restarts on the same database file.

let smtp: TestSmtpServer;
let dir: string;

beforeAll(async () => {
	smtp = await startSmtpServer();
	dir = mkdtempSync(join(tmpdir(), 'frostbuy-outbox-'));
});
afterAll(async () => {
	await smtp?.close();
	rmSync(dir, { recursive: true, force: true });
});

/** An SMTP URL where nothing listens (a port just freed). */
async function deadSmtpUrl(): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise((resolve) => server.close(resolve));
	return `smtp://127.0.0.1:${port}`;
}

const confirmation = (db: SQLite.Database, orderId: string) =>
	db
		.prepare('select status, attempts, last_error from outbox where dedupe_key = ?')
		.get(`order_confirmation:${orderId}`) as
		| { status: string; attempts: number; last_error: string | null }
		| undefined;

describe('outbox after a crash', () => {
	it('sends the confirmation of an order committed before a SIGKILL once the server is back', async () => {
		const databasePath = join(dir, 'commerce.sqlite');
		const first = await startServer({
			databasePath,
			env: { SMTP_URL: await deadSmtpUrl(), COMMERCE_OUTBOX_RETRY_MS: '200', COMMERCE_OUTBOX_POLL_MS: '100' },
		});
		let orderId: string;
		let displayId: number;
		try {
			const mug = await variantId(first, 'snowflake-mug');
			const order = await placeOrder(first, null, {
				items: [{ variantId: mug, quantity: 1 }],
				email: 'crash@example.com',
			});
			orderId = order.id;
			displayId = order.display_id;
			const db = new SQLite(databasePath, { readonly: true });
			try {
				// Committed with the order; the mail server is down, so its first delivery failed and it waits for a retry.
				await expect.poll(() => confirmation(db, orderId)?.last_error ?? null, { timeout: 10_000 }).not.toBeNull();
				expect(confirmation(db, orderId)).toMatchObject({ status: 'pending', attempts: expect.any(Number) });
			} finally {
				db.close();
			}
		} finally {
			await first.kill();
		}
		expect(smtp.messages).toHaveLength(0);

		const second = await startServer({ databasePath, env: { SMTP_URL: smtp.url, COMMERCE_OUTBOX_POLL_MS: '100' } });
		try {
			await smtp.waitFor(1, 15_000);
			expect(smtp.messages.map((m) => m.subject)).toEqual([`Order #${displayId} confirmed — FrostBuy`]);
			expect(smtp.messages[0].to).toEqual(['crash@example.com']);
			// Delivered once: marked sent, and nothing more arrives on later polls.
			await new Promise((resolve) => setTimeout(resolve, 500));
			expect(smtp.messages).toHaveLength(1);
			const db = new SQLite(databasePath, { readonly: true });
			try {
				expect(confirmation(db, orderId)).toMatchObject({ status: 'sent' });
				expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
			} finally {
				db.close();
			}
		} finally {
			await second.stop();
		}
	});
});

describe('SIGKILL under checkout load', () => {
	it('keeps the file intact, every acknowledged order, and a ledger that sums to the stock of every variant', async () => {
		const databasePath = join(dir, 'load.sqlite');
		const first = await startServer({ databasePath });
		const acknowledged: string[] = [];
		try {
			const items = [
				{ variantId: await variantId(first, 'snowflake-mug'), quantity: 1 },
				{ variantId: await variantId(first, 'bobcat-cap'), quantity: 1 },
			];
			const carts: string[] = [];
			for (let i = 0; i < 24; i++) carts.push(await readyCart(first, { items, email: `load${i}@example.com` }));
			// Eight checkouts at a time; the server is killed once a few have been answered, with others in flight.
			let next = 0;
			let killed = false;
			await Promise.all(
				Array.from({ length: 8 }, async () => {
					while (next < carts.length && !killed) {
						const cart = carts[next++]!;
						try {
							const done = await store(first, 'POST', `/carts/${cart}/complete`, {});
							if (done.status === 200 && done.json.type === 'order') acknowledged.push(done.json.data.id as string);
						} catch {
							// The connection died with the server: not acknowledged, so the order may or may not exist.
						}
						if (acknowledged.length >= 6 && !killed) {
							killed = true;
							await first.kill();
						}
					}
				}),
			);
		} finally {
			await first.kill();
		}
		expect(acknowledged.length).toBeGreaterThanOrEqual(6);

		const second = await startServer({ databasePath });
		try {
			expect((await store(second, 'GET', '/health')).status).toBe(200);
			const db = new SQLite(databasePath, { readonly: true });
			try {
				expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
				const present = new Set((db.prepare('select id from orders').all() as { id: string }[]).map((r) => r.id));
				for (const id of acknowledged) expect(present.has(id), id).toBe(true);
				const drift = db
					.prepare(
						`select l.variant_id, l.stocked_quantity as stocked, coalesce(sum(g.delta), 0) as ledger
						   from inventory_level l left join inventory_ledger g on g.variant_id = l.variant_id
						  group by l.variant_id having stocked <> ledger`,
					)
					.all();
				expect(drift).toEqual([]);
				// Every order line took its stock: one 'order' ledger row per line of every order that exists.
				const lines = db.prepare('select count(*) as n from order_line').get() as { n: number };
				const taken = db.prepare("select count(*) as n from inventory_ledger where reason = 'order'").get() as {
					n: number;
				};
				expect(taken.n).toBe(lines.n);
			} finally {
				db.close();
			}
		} finally {
			await second.stop();
		}
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCustomer } from '../helpers/account-session.ts';
import { admin, adminSession } from '../helpers/admin.ts';
import { store } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { expectShopFooter } from '../helpers/shop-email.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// Back-in-stock alerts through the real server and a real SMTP server: a request for a sold-out variant (no account),
// the double opt-in link, the restock by CSV import that emails the confirmed address once (and not the unconfirmed
// one) with the shop's address and support contact like every email, and the admin's list of waiting requests.

let server: TestServer;
let smtp: TestSmtpServer;
let boss: TestCustomer;

beforeAll(async () => {
	smtp = await startSmtpServer();
	server = await startServer({ env: { SMTP_URL: smtp.url, COMMERCE_OUTBOX_POLL_MS: '100' } });
	boss = await adminSession(server, 'alerts-admin@example.com', 'admin');
});
afterAll(async () => {
	await server?.stop();
	await smtp?.close();
});

const importCsv = (csv: string) =>
	fetch(`${server.url}/admin/api/inventory/import`, {
		method: 'POST',
		headers: { 'content-type': 'text/csv', cookie: boss.cookie },
		body: csv,
	});

const mailsTo = (email: string) => smtp.messages.filter((m) => m.to.includes(email));

describe('back-in-stock alerts', () => {
	it('emails each confirmed address once when a sold-out variant is restocked', async () => {
		const { json } = await admin(server, boss, 'GET', '/inventory');
		const [row, inStock] = json.inventory as { variantId: string; sku: string }[];
		expect((await importCsv(`sku,stock\n${row.sku},0\n`)).status).toBe(200);

		const ask = (email: string, variant = row.variantId) =>
			store(server, 'POST', '/stock-alerts', { variant_id: variant, email });
		const first = await ask('Fan@Example.com');
		expect(first.status).toBe(200);
		expect(first.json.stock_alert).toMatchObject({
			variant_id: row.variantId,
			email: 'fan@example.com',
			status: 'pending',
		});
		expect((await ask('lurker@example.com')).status).toBe(200);

		await expect.poll(() => mailsTo('fan@example.com').length, { timeout: 10_000 }).toBe(1);
		const confirmation = mailsTo('fan@example.com')[0];
		expect(confirmation.subject).toMatch(/Confirm your back-in-stock alert/);
		const link = /https?:\/\/\S+\/store\/stock-alerts\/confirm\?token=[\w-]+/.exec(confirmation.text)?.[0];
		expect(link).toBeTruthy();

		const waiting = await admin(server, boss, 'GET', `/inventory/${row.variantId}/alerts`);
		expect(waiting.json.stock_alerts.map((a: { email: string; status: string }) => [a.email, a.status]).sort()).toEqual(
			[
				['fan@example.com', 'pending'],
				['lurker@example.com', 'pending'],
			],
		);

		const confirmed = await fetch(link!.replace(/^https?:\/\/[^/]+/, server.url));
		expect(confirmed.status).toBe(200);
		expect(await confirmed.text()).toMatch(/Alert confirmed/);
		// Asking again once confirmed sends nothing more.
		expect((await ask('fan@example.com')).json.stock_alert.status).toBe('confirmed');

		expect((await importCsv(`sku,delta\n${row.sku},4\n`)).status).toBe(200);
		await expect
			.poll(() => mailsTo('fan@example.com').filter((m) => /back in stock/.test(m.subject)).length, { timeout: 10_000 })
			.toBe(1);
		const back = mailsTo('fan@example.com').find((m) => /back in stock/.test(m.subject))!;
		expect(back.text).toMatch(new RegExp(`${server.url}/products/[\\w-]+/`));
		// The restock that queued it knew no options: the footer comes from them at delivery, as in every email.
		expectShopFooter(back, server.url);
		expectShopFooter(confirmation, server.url);
		expect(mailsTo('lurker@example.com').filter((m) => /back in stock/.test(m.subject))).toHaveLength(0);
		const after = await admin(server, boss, 'GET', `/inventory/${row.variantId}/alerts`);
		expect(after.json.stock_alerts.find((a: { email: string }) => a.email === 'fan@example.com').status).toBe(
			'notified',
		);

		// Sold out and back again: the address was told once, and is not told twice.
		await importCsv(`sku,stock\n${row.sku},0\n`);
		await importCsv(`sku,stock\n${row.sku},3\n`);
		await new Promise((resolve) => setTimeout(resolve, 800));
		expect(mailsTo('fan@example.com').filter((m) => /back in stock/.test(m.subject))).toHaveLength(1);

		// Refusals in the Medusa error format.
		const available = await ask('fan@example.com', inStock.variantId);
		expect(available.status).toBe(400);
		expect(available.json.code).toBe('variant_in_stock');
		expect((await ask('not-an-email')).status).toBe(400);
		expect((await ask('fan@example.com', 'variant_nope')).status).toBe(404);
		const bogus = await fetch(`${server.url}/store/stock-alerts/confirm?token=${'x'.repeat(43)}`);
		expect(bogus.status).toBe(404);
		expect((await fetch(`${server.url}/store/stock-alerts/confirm`)).status).toBe(400);
	});
});

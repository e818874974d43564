import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCustomer } from '../helpers/account-session.ts';
import { adminSession, openDb } from '../helpers/admin.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { store } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// Issue 13 item 15: the admin answers a contact message from the inbox (Chromium, 1366 px and 390 px); the answer goes
// to the sender by email (real SMTP on loopback) with their message quoted, and the thread stays under the message.

let server: TestServer;
let smtp: TestSmtpServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let boss: TestCustomer;

beforeAll(async () => {
	smtp = await startSmtpServer();
	[server, browser] = await Promise.all([
		startServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'FrostBuy <orders@frostbuy.test>' } }),
		launchBrowser(),
	]);
	boss = await adminSession(server, `messages.${Date.now()}@frostbuy.test`, 'admin');
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await smtp?.close();
});

async function adminPage(width: number): Promise<Page> {
	const context = await browser.newContext({ viewport: { width, height: 900 } });
	const [name, value] = boss.cookie.split('=') as [string, string];
	await context.addCookies([{ name, value, url: server.url }]);
	return context.newPage();
}

describe('admin messages: reply by email, thread kept', () => {
	for (const width of [1366, 390]) {
		it(`answers twice; each answer is emailed and listed under the message (${width} px)`, async () => {
			const sender = `asker.${width}@example.com`;
			const sent = await store(
				server,
				'POST',
				'/contact',
				{ name: 'Robin', email: sender, subject: `Sizes ${width}`, message: 'Does the hoodie run small?' },
				{ 'x-forwarded-for': `10.13.0.${width % 250}` },
			);
			expect(sent.status).toBeLessThan(300);

			const page = await adminPage(width);
			await page.goto(`${server.url}/admin/messages`);
			const card = page.locator('article', { hasText: `Sizes ${width}` });
			// An empty reply is refused by the form itself (required), nothing is sent.
			await card.getByRole('button', { name: 'Send reply' }).click();
			await expect(smtp.messages.filter((m) => m.to.includes(sender))).toHaveLength(0);

			await card.getByLabel('Reply to Robin by email').fill('It runs true to size.\nTake your usual one.');
			await Promise.all([page.waitForURL(/flash=/), card.getByRole('button', { name: 'Send reply' }).click()]);
			await expect(page.getByText('Reply sent by email.').isVisible()).resolves.toBe(true);
			await expect.poll(() => smtp.messages.filter((m) => m.to.includes(sender)).length, { timeout: 10_000 }).toBe(1);
			const first = smtp.messages.find((m) => m.to.includes(sender))!;
			expect(first.subject).toBe(`Re: Sizes ${width}`);
			expect(first.text).toContain('It runs true to size.');
			expect(first.text).toContain('> Does the hoodie run small?');
			expect(first.text).toContain('101 Braddock Road');

			// A second answer quotes the first one too; both stay listed under the message, oldest first, and it is read.
			const again = page.locator('article', { hasText: `Sizes ${width}` });
			await again.getByLabel('Reply to Robin by email').fill('PS: exchanges are free.');
			await Promise.all([page.waitForURL(/flash=/), again.getByRole('button', { name: 'Send reply' }).click()]);
			await expect.poll(() => smtp.messages.filter((m) => m.to.includes(sender)).length, { timeout: 10_000 }).toBe(2);
			const second = smtp.messages.filter((m) => m.to.includes(sender))[1]!;
			expect(second.text).toContain('PS: exchanges are free.');
			expect(second.text).toContain('> It runs true to size.');
			const thread = page.locator('article', { hasText: `Sizes ${width}` }).locator('.fb-thread__reply');
			await expect(thread.allTextContents()).resolves.toEqual([
				expect.stringContaining('It runs true to size.'),
				expect.stringContaining('PS: exchanges are free.'),
			]);
			await expect(
				page
					.locator('article', { hasText: `Sizes ${width}` })
					.getByRole('button', { name: 'Mark unread' })
					.count(),
			).resolves.toBe(1);
			expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
				0,
			);
			await page.context().close();
		});
	}

	it('keeps the replies in the database with the admin who wrote them', async () => {
		const db = openDb(server);
		try {
			const rows = db.prepare('select author, body from contact_reply order by created_at').all() as {
				author: string;
				body: string;
			}[];
			expect(rows.length).toBeGreaterThanOrEqual(4);
			expect(new Set(rows.map((r) => r.author))).toEqual(new Set([boss.email]));
		} finally {
			db.close();
		}
	});
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCustomer } from '../helpers/account-session.ts';
import { admin, adminSession } from '../helpers/admin.ts';
import { launchBrowser, watchForErrors } from '../helpers/browser.ts';
import { readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The admin speaks people (Chromium, 1366 px and 390 px): order states and timeline in words and money, never raw
// field values or minor units, and only the actions the order's state allows.

let server: TestServer;
let browser: Browser;
let staff: TestCustomer;

/** Raw Medusa values and raw minor-unit amounts a merchant must never read. */
const RAW =
	/partially_refunded|requires_action|not_fulfilled|not_paid|payment_refunded|order_placed|amount: \d|\b(pending|awaiting)\b/;

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	expect((await store(server, 'GET', '/products?limit=1')).status).toBe(200);
	staff = await adminSession(server, `readable.${Date.now()}@frostbuy.test`, 'admin');
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function placedOrder(email = 'readable@example.com'): Promise<{ id: string; display_id: number; total: number }> {
	const cartId = await readyCart(server, {
		items: [{ variantId: await variantId(server, 'snowflake-mug'), quantity: 2 }],
		email,
	});
	const completed = await store(server, 'POST', `/carts/${cartId}/complete`, {});
	expect(completed.status).toBe(200);
	return completed.json.data;
}

async function adminPage(width: number): Promise<{ page: Page; problems: string[] }> {
	const context = await browser.newContext({ viewport: { width, height: 900 } });
	const [name, value] = staff.cookie.split('=') as [string, string];
	await context.addCookies([{ name, value, url: server.url }]);
	const page = await context.newPage();
	return { page, problems: watchForErrors(page) };
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();

describe('admin order page in words', () => {
	for (const width of [1366, 390]) {
		it(`shows states, address and timeline readably, and only valid actions (${width} px)`, async () => {
			const order = await placedOrder();
			const { page, problems } = await adminPage(width);
			await page.goto(`${server.url}/admin/orders/${order.id}`);
			const body = async () => (await page.locator('main').textContent()) ?? '';
			expect(await body()).not.toMatch(RAW);
			// A new order: it can be packed, shipped or canceled; nothing to deliver yet.
			const forms = async () =>
				(
					await page.locator('form[aria-label]').evaluateAll((list) => list.map((f) => f.getAttribute('aria-label')))
				).filter((label) => label !== 'Sign out');
			const fresh = await forms();
			expect(fresh).toContain('Ship');
			expect(fresh).toContain('Cancel order');
			expect(fresh).not.toContain('Mark delivered');
			await expect(page.locator('[data-field="shipping_address"]').textContent()).resolves.toContain(
				'Frostburg, 21532',
			);

			// Shipped and half refunded through the admin API; the page then reads in words and money.
			expect(
				(await admin(server, staff, 'POST', `/orders/${order.id}/ship`, { carrier: 'UPS', tracking_number: '1Z9' }))
					.status,
			).toBe(200);
			const half = Math.floor(order.total / 2);
			expect((await admin(server, staff, 'POST', `/orders/${order.id}/refund`, { amount: half })).status).toBe(200);
			await page.reload();
			await expect(text(page, '[data-field="status"]')).resolves.toBe('Shipped');
			await expect(text(page, '[data-field="payment_status"]')).resolves.toBe('Partially refunded');
			await expect(text(page, '[data-field="fulfillment_status"]')).resolves.toBe('Shipped');
			const timeline = await page.locator('#timeline').textContent();
			expect(timeline).toContain('Order placed');
			expect(timeline).toContain('Refund issued');
			expect(timeline).toContain(`Amount: $${(half / 100).toFixed(2)}`);
			expect(await body()).not.toMatch(RAW);
			const later = await forms();
			expect(later).not.toContain('Ship');
			expect(later).not.toContain('Mark processing');
			expect(later).toContain('Mark delivered');
			expect(later).toContain('Refund');

			expect(
				await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
			).toBeLessThanOrEqual(0);
			expect(problems).toEqual([]);
			await page.context().close();
		});
	}

	it('lists orders with readable states and says "1 order", not "1 orders"', async () => {
		const email = `one.${Date.now()}@example.com`;
		await placedOrder(email);
		const { page } = await adminPage(1366);
		await page.goto(`${server.url}/admin/orders?email=${encodeURIComponent(email)}`);
		await expect(page.locator('main').textContent()).resolves.toMatch(/\b1 order\b/);
		await expect(page.locator('#orders').textContent()).resolves.not.toMatch(RAW);
		const options = await page.getByLabel('Payment').locator('option').allTextContents();
		expect(options).toContain('Partially refunded');
		expect(options.join(' ')).not.toMatch(RAW);
		await page.context().close();
	});

	it('names the admin after the store and offers staff a way back in when they forget their password', async () => {
		const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
		await page.goto(`${server.url}/admin/login`);
		await expect(page.title()).resolves.toBe('Sign in · FrostBuy admin');
		await Promise.all([
			page.waitForURL(/\/account\/forgot-password\/$/),
			page.getByRole('link', { name: 'Forgot your password?' }).click(),
		]);
		await page.getByLabel('Email').waitFor();
		await page.close();
	});
});

import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asCustomer, placeOrder, registerCustomer, TEST_PASSWORD } from '../helpers/account-session.ts';
import { adminSession } from '../helpers/admin.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// axe-core in Chromium on the pages shoppers and merchants use most, with items in the cart (some names, such as the
// cart badge's, only exist then), at a phone and a desktop width: no violations at all. axe is injected with
// Playwright's addScriptTag, so the context bypasses the page CSP (which rightly refuses scripts it did not hash).

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let server: TestServer;
let browser: Browser;
let orderId: string;
let customerEmail: string;
let adminCookie: string;

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	customerEmail = `axe.${Date.now()}@example.com`;
	const customer = await registerCustomer(server, customerEmail);
	await asCustomer(server, customer, 'POST', '/customers/me/addresses', {
		address: {
			first_name: 'Sam',
			last_name: 'Bobcat',
			address_1: '101 Braddock Road',
			city: 'Frostburg',
			province: 'MD',
			postal_code: '21532',
			country_code: 'us',
		},
	});
	const order = await placeOrder(server, customer, {
		items: [{ variantId: await variantId(server, 'classic-hoodie', 'M'), quantity: 1 }],
	});
	orderId = order.id;
	adminCookie = (await adminSession(server, `axe-admin.${Date.now()}@frostbuy.test`, 'admin')).cookie;
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

interface Violation {
	id: string;
	impact: string;
	help: string;
	nodes: { target: string[]; failureSummary: string }[];
}

/** Runs axe on the page as it is now; resolves with its violations in a readable form. */
async function audit(page: Page): Promise<string[]> {
	await page.addScriptTag({ path: AXE });
	const violations = await page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: unknown[] }> } }).axe;
		return (await axe.run(document)).violations;
	});
	return (violations as Violation[]).map(
		(v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
	);
}

async function shopper(viewport: { width: number; height: number }): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport, bypassCSP: true, isMobile: viewport.width < 500 });
	const page = await context.newPage();
	// Signed in, with the hoodie in the cart.
	await page.goto(`${server.url}/account/login/`);
	await page.getByLabel('Email').fill(customerEmail);
	await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
	await Promise.all([page.waitForURL(/\/account\/$/), page.getByRole('button', { name: 'Sign in' }).click()]);
	await page.goto(`${server.url}/products/snowflake-mug/`);
	await page.locator('#add-to-cart [data-stock-live]').waitFor();
	await page.getByRole('button', { name: 'Add to cart' }).click();
	await page.locator('[data-cart-count]').waitFor();
	await page.close();
	return context;
}

/** Each page with what shows it is ready (islands hydrated, data loaded). */
const STOREFRONT: { path: string; ready: string }[] = [
	{ path: '/', ready: '[data-cart-count]' },
	{ path: '/categories/apparel/', ready: '[data-cart-count]' },
	{ path: '/products/classic-hoodie/', ready: '#add-to-cart [data-stock-live]' },
	{ path: '/cart/', ready: '[data-total="total"]' },
	{ path: '/checkout/', ready: '.cart-shipping__option' },
	{ path: '/account/login/', ready: '[data-cart-count]' },
	{ path: '/account/orders/', ready: '[data-cart-count]' },
];

describe('axe-core finds no violations', () => {
	for (const viewport of [
		{ width: 390, height: 844 },
		{ width: 1366, height: 900 },
	]) {
		it(`on the storefront pages at ${viewport.width} px`, async () => {
			const context = await shopper(viewport);
			const page = await context.newPage();
			const found: Record<string, string[]> = {};
			for (const { path, ready } of STOREFRONT) {
				await page.goto(`${server.url}${path}`);
				await page.locator(ready).first().waitFor();
				if (path === '/account/orders/')
					await page
						.getByRole('link', { name: /Order #\d+/ })
						.first()
						.waitFor();
				const violations = await audit(page);
				if (violations.length) found[path] = violations;
			}
			expect(found).toEqual({});
			await context.close();
		});

		it(`on the admin dashboard and order detail at ${viewport.width} px`, async () => {
			const context = await browser.newContext({ viewport, bypassCSP: true });
			const [name, value] = adminCookie.split('=') as [string, string];
			await context.addCookies([{ name, value, url: server.url }]);
			const page = await context.newPage();
			const found: Record<string, string[]> = {};
			for (const path of ['/admin', `/admin/orders/${orderId}`]) {
				await page.goto(`${server.url}${path}`);
				expect(new URL(page.url()).pathname).toBe(path);
				const violations = await audit(page);
				if (violations.length) found[path] = violations;
			}
			expect(found).toEqual({});
			await context.close();
		});
	}
});

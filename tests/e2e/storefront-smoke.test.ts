import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS, watchForErrors } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	mkdirSync(SCREENSHOTS, { recursive: true });
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('storefront in Chromium', () => {
	it('goes from the catalog to a product page with no console errors', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchForErrors(page);
		await page.goto(`${server.url}/`);
		// The hero is the home page's own heading (any h1 would pass for an error page or another route).
		expect(await page.title()).toMatch(/FrostBuy/);
		expect((await page.locator('h1#hero-title').textContent())?.trim()).toBe(
			'Campus gear for cold mornings and late study nights',
		);
		const cards = page.locator('#catalog-grid li');
		expect(await cards.count()).toBeGreaterThanOrEqual(8);
		await page.screenshot({ path: join(SCREENSHOTS, 'home.png'), fullPage: true });

		const hoodie = page.locator('#catalog-grid a[href*="/products/classic-hoodie"]').first();
		await Promise.all([page.waitForURL(/\/products\/classic-hoodie\/?$/), hoodie.click()]);
		await expect(page.locator('h1').textContent()).resolves.toContain('Hoodie');
		// biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node; visible text is the point
		const body = await page.locator('main').innerText();
		expect(body).toContain('$39.99');
		expect(body).toMatch(/Free shipping over \$35/i);
		expect(body).toMatch(/30-day returns/i);
		// Size selector placeholder: a radio per size, the sold-out one disabled.
		expect(await page.locator('#add-to-cart input[type="radio"]').count()).toBe(4);
		expect(await page.locator('#add-to-cart input[type="radio"]:disabled').count()).toBeGreaterThanOrEqual(1);
		await page.screenshot({ path: join(SCREENSHOTS, 'product.png'), fullPage: true });
		expect(problems).toEqual([]);
		await page.close();
	});

	it('fits a phone screen without horizontal scrolling', async () => {
		const page = await browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
		const problems = watchForErrors(page);
		for (const path of ['/', '/categories/apparel/', '/products/stadium-jacket/']) {
			await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth,
			);
			expect(overflow, path).toBeLessThanOrEqual(0);
		}
		await page.screenshot({ path: join(SCREENSHOTS, 'product-mobile.png'), fullPage: true });
		expect(problems).toEqual([]);
		// The 404 page itself answers 404, which the browser logs; only its layout is checked.
		const missing = await page.goto(`${server.url}/no-such-page`, { waitUntil: 'load' });
		expect(missing?.status()).toBe(404);
		expect(
			await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
		).toBeLessThanOrEqual(0);
		await page.screenshot({ path: join(SCREENSHOTS, 'not-found-mobile.png') });
		await page.close();
	});
});

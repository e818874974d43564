import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, VIEWPORTS, watchForErrors } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// Catalog search as shoppers use it (Chromium, phone and desktop): from the header of any page, by tag words,
// with filters kept in the URL (reload, share), and an impossible price range explained at the field.

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('catalog search', () => {
	for (const { name, ...options } of VIEWPORTS) {
		it(`searches from a category page's header by a tag, and keeps the filters in the URL (${name})`, async () => {
			const context = await browser.newContext(options);
			const page = await context.newPage();
			const problems = watchForErrors(page);
			await page.goto(`${server.url}/categories/accessories/`);
			await page.getByLabel('Search products').fill('bobcats');
			await Promise.all([page.waitForURL(/\/\?q=bobcats#catalog$/), page.getByLabel('Search products').press('Enter')]);

			const results = page.locator('#catalog-grid-results');
			await results.waitFor();
			const titles = await results.locator('.product-card__title').allTextContents();
			// Tagged `bobcats`: the cap and the paw tee.
			expect(titles.map((t) => t.trim()).sort()).toEqual(
				expect.arrayContaining(['Bobcat Paw Dad Cap', 'Bobcat Paw Tee']),
			);
			await expect(page.getByLabel('Search', { exact: true }).inputValue()).resolves.toBe('bobcats');

			// A sort and a price filter go into the URL; a reload (or a shared link) restores them.
			await page.getByLabel('Sort by').selectOption('-price');
			await page.getByLabel(/Max price/).fill('30');
			await expect.poll(() => new URL(page.url()).searchParams.get('max')).toBe('30');
			const url = new URL(page.url());
			expect(url.searchParams.get('q')).toBe('bobcats');
			expect(url.searchParams.get('sort')).toBe('-price');
			await page.reload();
			await results.waitFor();
			await expect(page.getByLabel(/Max price/).inputValue()).resolves.toBe('30');
			await expect(page.getByLabel('Sort by').inputValue()).resolves.toBe('-price');
			await expect(page.getByLabel('Search', { exact: true }).inputValue()).resolves.toBe('bobcats');

			// Min above max: said at the field; no request, no "search is unavailable".
			await page.getByLabel(/Min price/).fill('50');
			await page.locator('#catalog-range-error', { hasText: /minimum price is above the maximum/ }).waitFor();
			await expect(page.getByLabel(/Max price/).getAttribute('aria-invalid')).resolves.toBe('true');
			await expect(page.locator('.catalog-search').textContent()).resolves.not.toMatch(/unavailable/);

			expect(
				await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
			).toBeLessThanOrEqual(0);
			expect(problems).toEqual([]);
			await context.close();
		});
	}
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, watchForErrors } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The product page's islands load through the plugin's own loader (`@frostbuy/commerce/islands/*.astro`,
// islands/define-island.ts) instead of Astro's island runtime: the page's 12 KB gz JavaScript budget.

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('product page islands in Chromium', () => {
	it('hydrate without Astro island runtime, keep the prerendered price, and hydrate again when re-inserted', async () => {
		const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
		const problems = watchForErrors(page);
		await page.goto(`${server.url}/products/classic-hoodie/`);
		await page.locator('commerce-cart-indicator[data-hydrated]').waitFor({ state: 'attached' });
		await page.locator('commerce-add-to-cart[data-hydrated] [data-stock-live]').waitFor();
		// No island of Astro's on the page, so none of its loader either.
		expect(
			await page.evaluate(() => [
				document.querySelectorAll('astro-island').length,
				!!customElements.get('astro-island'),
			]),
		).toEqual([0, false]);
		// The buy bar's price is the prerendered markup, with its region data for the region switcher.
		await expect(page.locator('.buy-bar__price .price[data-prices] .price__amount').textContent()).resolves.toBe(
			'$39.99',
		);

		// A client-side router swaps elements out and in: the island unmounts with its element and hydrates again.
		const emptied = await page.evaluate(() => {
			const island = document.querySelector('commerce-add-to-cart');
			if (!island?.parentNode) return null;
			const [parent, next] = [island.parentNode, island.nextSibling];
			island.remove();
			const left = island.childNodes.length;
			parent.insertBefore(island, next);
			return left;
		});
		expect(emptied).toBe(0);
		await page.locator('commerce-add-to-cart[data-hydrated] [data-stock-live]').waitFor();
		expect(await page.locator('commerce-add-to-cart form.variant-form').count()).toBe(1);
		await page.locator('.buy-bar').getByRole('button', { name: 'Add to cart' }).click();
		await expect(page.locator('[data-cart-count]').textContent()).resolves.toBe('1');
		await expect(page.locator('.buy-bar__price .price__amount').textContent()).resolves.toBe('$39.99');
		expect(problems).toEqual([]);
		await page.close();
	});

	it('offers the back-in-stock form for a sold-out combination and sends it', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchForErrors(page);
		await page.goto(`${server.url}/products/stadium-jacket/`);
		await page.locator('commerce-add-to-cart [data-stock-live]').waitFor();
		expect(await page.locator('form.stock-alert').count()).toBe(0);
		// Gold in L is sold out (neither value is, so both radios stay enabled).
		await page.locator('#add-to-cart label', { hasText: /^L$/ }).click();
		await page.locator('#add-to-cart label', { hasText: /^Gold$/ }).click();
		await page.locator('[data-stock-badge]', { hasText: 'Sold out' }).waitFor();
		await page.getByLabel("Email me when it's back").fill('waiting@example.com');
		await page.getByRole('button', { name: 'Notify me' }).click();
		await page.locator('form.stock-alert [role="status"]', { hasText: /Check your inbox/ }).waitFor();
		expect(problems).toEqual([]);
		await page.close();
	});
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, VIEWPORTS, watchForErrors } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The region switcher in the header of every page: euros are reachable, the choice persists across pages and
// reloads, and an existing cart is re-priced in the new currency (Chromium, phone and desktop widths).

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

const region = (page: Page) => page.getByLabel('Region and currency');

describe('region and currency switcher', () => {
	for (const { name, ...options } of VIEWPORTS) {
		it(`switches the storefront and an existing cart to euros, and remembers it (${name})`, async () => {
			const context = await browser.newContext(options);
			const page = await context.newPage();
			const problems = watchForErrors(page);

			// Every storefront page has it.
			for (const path of ['/', '/categories/apparel/', '/contact/', '/cart/', '/account/login/']) {
				await page.goto(`${server.url}${path}`);
				await expect(region(page).isVisible(), path).resolves.toBe(true);
			}

			await page.goto(`${server.url}/products/canvas-tote/`);
			await expect(page.locator('.product__price .price__amount').textContent()).resolves.toBe('$17.99');
			await page.locator('#add-to-cart [data-stock-live]').waitFor();
			await page.getByRole('button', { name: 'Add to cart' }).click();
			await page.locator('[data-cart-count]').waitFor();

			await Promise.all([page.waitForEvent('load'), region(page).selectOption({ label: 'European Union (EUR €)' })]);
			await expect(region(page).inputValue()).resolves.toBe('reg_eu');
			await expect(page.locator('.product__price .price__amount').textContent()).resolves.toBe('€16.49');

			// The cart was moved to the EU region: same line, euro price.
			await page.goto(`${server.url}/cart/`);
			await page.locator('[data-total="subtotal"]').waitFor();
			await expect(page.locator('[data-total="subtotal"] dd').textContent()).resolves.toBe('€16.49');
			const cart = await page.evaluate(async () => {
				const response = await fetch(`/store/carts/${localStorage.getItem('commerce_cart_id')}`);
				return (await response.json()).cart;
			});
			expect(cart.region_id).toBe('reg_eu');
			expect(cart.items).toHaveLength(1);
			expect(cart.items[0].unit_price).toBe(1649);

			// The choice persists: the home page shows euro prices after a reload, the checkout ships within the EU.
			await page.goto(`${server.url}/`);
			await page.reload();
			await expect(region(page).inputValue()).resolves.toBe('reg_eu');
			await expect(
				page
					.locator('.product-card', { hasText: 'Frostburg Canvas Tote' })
					.first()
					.locator('.price__amount')
					.textContent(),
			).resolves.toBe('€16.49');
			await page.goto(`${server.url}/checkout/`);
			await page.getByLabel('Country').waitFor();
			const countries = await page.getByLabel('Country').locator('option').allTextContents();
			expect(countries).toContain('Germany');
			expect(countries).not.toContain('United States');

			// And back to dollars.
			await Promise.all([page.waitForEvent('load'), region(page).selectOption('reg_us')]);
			await page.goto(`${server.url}/cart/`);
			await expect(page.locator('[data-total="subtotal"] dd').textContent()).resolves.toBe('$17.99');
			expect(
				await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
			).toBeLessThanOrEqual(0);
			expect(problems).toEqual([]);
			await context.close();
		});
	}
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS, watchForErrors } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The islands against the real Store API: the built demo served with a fresh database (FROSTBURG10 is seeded).

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

interface ApiCart {
	id: string;
	items: { quantity: number; description: string }[];
	subtotal: number;
	discount_total: number;
	tax_total: number;
	total: number;
}

/** "$76.30" or "−$8.00" → 7630 / 800 (minor units, sign dropped: the row says what it is). */
const cents = (text: string | null) => Math.round(Number((text ?? '').replace(/[^0-9.]/g, '')) * 100);

async function apiCart(page: Page): Promise<ApiCart> {
	const id = await page.evaluate(() => localStorage.getItem('commerce_cart_id'));
	expect(id).toMatch(/^cart_/);
	const response = await fetch(`${server.url}/store/carts/${id}`);
	return ((await response.json()) as { cart: ApiCart }).cart;
}

const totalRow = (page: Page, key: string) => page.locator(`[data-total="${key}"] dd`).textContent();

describe('cart islands in Chromium', () => {
	it('adds a size to the cart, applies a code, shows API errors inline and empties the cart', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchForErrors(page);

		await page.goto(`${server.url}/products/classic-hoodie/`);
		// Live stock replaces the build-time badge once the island has talked to the API.
		await page.locator('#add-to-cart [data-stock-live]').waitFor();
		await page.locator('#add-to-cart label', { hasText: /^M$/ }).click();
		await expect(page.locator('#add-to-cart input[value="M"]').isChecked()).resolves.toBe(true);
		await expect(page.locator('[data-stock-badge]').textContent()).resolves.toBe('In stock');
		// The sold-out size cannot be chosen.
		await expect(page.locator('#add-to-cart input[value="XL"]').isDisabled()).resolves.toBe(true);
		await page.locator('#add-to-cart input[name="quantity"]').fill('2');
		await page.getByRole('button', { name: 'Add to cart' }).click();
		await page.locator('#add-to-cart [role="status"]', { hasText: 'Added 2 to cart.' }).waitFor();
		// The header badge is another island: it follows through the shared cart store.
		await expect(page.locator('[data-cart-count]').textContent()).resolves.toBe('2');
		await page.screenshot({ path: join(SCREENSHOTS, 'product-added.png'), fullPage: true });

		await Promise.all([page.waitForURL(/\/cart\/?$/), page.locator('[data-cart-indicator]').click()]);
		const line = page.locator('.cart-line');
		await line.first().waitFor();
		await expect(line.count()).resolves.toBe(1);
		await expect(line.locator('.cart-line__title').textContent()).resolves.toBe('Frostburg Classic Hoodie');
		await expect(line.locator('.cart-line__variant').textContent()).resolves.toBe('M');
		await expect(line.locator('input[type="number"]').inputValue()).resolves.toBe('2');

		const before = await apiCart(page);
		expect(before.items).toHaveLength(1);
		expect(cents(await totalRow(page, 'subtotal'))).toBe(before.subtotal);
		expect(cents(await totalRow(page, 'total'))).toBe(before.total);
		await expect(page.locator('[data-total="discount"]').count()).resolves.toBe(0);

		await page.getByLabel('Discount code').fill('FROSTBURG10');
		await page.getByRole('button', { name: 'Apply' }).click();
		await page.locator('[data-total="discount"]').waitFor();
		const after = await apiCart(page);
		expect(after.discount_total).toBeGreaterThan(0);
		expect(cents(await totalRow(page, 'discount'))).toBe(after.discount_total);
		expect(cents(await totalRow(page, 'tax'))).toBe(after.tax_total);
		expect(cents(await totalRow(page, 'total'))).toBe(after.total);
		expect(after.total).toBeLessThan(before.total);
		await expect(page.locator('[data-total="discount"] dt').textContent()).resolves.toContain('FROSTBURG10');

		// An unknown code: the API's message inline, the applied code untouched.
		await page.getByLabel('Discount code').fill('NOSUCHCODE');
		await page.getByRole('button', { name: 'Apply' }).click();
		const error = page.locator('#discount-error');
		await error.filter({ hasText: /NOSUCHCODE/ }).waitFor();
		expect(await error.textContent()).toMatch(/not found/i);
		await expect(page.getByLabel('Discount code').getAttribute('aria-invalid')).resolves.toBe('true');
		expect(cents(await totalRow(page, 'total'))).toBe(after.total);
		await page.screenshot({ path: join(SCREENSHOTS, 'cart.png'), fullPage: true });

		await page.getByRole('button', { name: 'Remove Frostburg Classic Hoodie (M)' }).click();
		await page.locator('.cart-empty', { hasText: 'Your cart is empty.' }).waitFor();
		await expect(page.getByRole('link', { name: 'Browse the catalog' }).getAttribute('href')).resolves.toBe(
			'/#catalog',
		);
		await expect(page.locator('[data-cart-count]').count()).resolves.toBe(0);
		expect((await apiCart(page)).items).toHaveLength(0);

		// The refused code is the one expected failed request (the browser logs every 4xx it fetches); nothing else.
		const expected = [/^http 404: .*\/store\/carts\/cart_[^/]+$/, /^console: Failed to load resource: .* 404/];
		const unexpected = problems.filter((problem) => !expected.some((pattern) => pattern.test(problem)));
		expect(unexpected).toEqual([]);
		expect(problems).toHaveLength(2);
		await page.close();
	});

	it('keeps the badge in step across tabs', async () => {
		const context = await browser.newContext();
		const [first, second] = [await context.newPage(), await context.newPage()];
		await first.goto(`${server.url}/products/snowflake-mug/`);
		await second.goto(`${server.url}/`);
		await second.locator('[data-cart-indicator]').waitFor();
		await first.locator('#add-to-cart [data-stock-live]').waitFor();
		await first.getByRole('button', { name: 'Add to cart' }).click();
		await first.locator('[data-cart-count]').waitFor();
		// The other tab hears of the change through the storage event and refetches.
		await expect(second.locator('[data-cart-count]').textContent({ timeout: 10_000 })).resolves.toBe('1');
		await context.close();
	});
	it('lays the cart out on a phone without horizontal scrolling', async () => {
		const page = await browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
		const problems = watchForErrors(page);
		await page.goto(`${server.url}/products/stadium-jacket/`);
		// client:visible: the add-to-cart island hydrates once scrolled near.
		await page.locator('#add-to-cart').scrollIntoViewIfNeeded();
		await page.locator('#add-to-cart [data-stock-live]').waitFor();
		await page.getByRole('button', { name: 'Add to cart' }).click();
		await page.locator('[data-cart-count]').waitFor();
		await page.goto(`${server.url}/cart/`);
		await page.locator('.cart-shipping__option').first().waitFor();
		expect(
			await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
		).toBeLessThanOrEqual(0);
		await page.screenshot({ path: join(SCREENSHOTS, 'cart-mobile.png'), fullPage: true });
		expect(problems).toEqual([]);
		await page.close();
	});
});

describe('catalog search in Chromium', () => {
	it('filters by text and by price range, then restores the static grid', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchForErrors(page);
		await page.goto(`${server.url}/`);
		const staticGrid = page.locator('#catalog-grid');
		const results = page.locator('#catalog-grid-results li');
		await page.getByLabel('Search', { exact: true }).waitFor();

		await page.getByLabel('Search', { exact: true }).pressSequentially('mug', { delay: 40 });
		await page.locator('#catalog-grid-results').waitFor();
		await expect(results.count()).resolves.toBe(1);
		await expect(results.first().getAttribute('data-product-handle')).resolves.toBe('snowflake-mug');
		await expect(staticGrid.isHidden()).resolves.toBe(true);
		await expect(page.locator('.catalog-search__status').textContent()).resolves.toBe('1–1 of 1 product');

		await page.getByRole('button', { name: 'Clear filters' }).click();
		await staticGrid.waitFor({ state: 'visible' });
		await expect(page.locator('#catalog-grid-results').count()).resolves.toBe(0);

		await page.getByLabel('Min price (USD)').fill('20');
		await page.getByLabel('Max price (USD)').fill('30');
		await page.locator('.catalog-search__status', { hasText: /of \d+ product/ }).waitFor();
		const api = (await (
			await fetch(`${server.url}/store/products?price_min=2000&price_max=3000&limit=12&region_id=reg_us`)
		).json()) as {
			count: number;
			products: { handle: string }[];
		};
		expect(api.count).toBeGreaterThan(0);
		expect(api.count).toBeLessThan(await staticGrid.locator('li').count());
		await expect(
			results.evaluateAll((items) => items.map((item) => item.getAttribute('data-product-handle'))),
		).resolves.toEqual(api.products.map((product) => product.handle));
		const prices = await page
			.locator('#catalog-grid-results [data-price]')
			.evaluateAll((spans) => spans.map((span) => Number(span.getAttribute('data-price'))));
		expect(prices.length).toBe(api.count);
		for (const price of prices) {
			expect(price).toBeGreaterThanOrEqual(2000);
			expect(price).toBeLessThanOrEqual(3000);
		}
		await page.locator('#catalog').scrollIntoViewIfNeeded();
		await page.screenshot({ path: join(SCREENSHOTS, 'catalog-search.png') });
		expect(problems).toEqual([]);
		await page.close();
	});
});

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS, watchForErrors } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The purchase cycle in Chromium against the built demo and its Store API with the offline test payment provider:
// product → cart (FROSTBURG10) → checkout → confirmation, a declined card and the simulated 3-D Secure step.
// Screenshots of each step go to tests/output/screenshots/checkout-*.png (docs/screenshots/ with `npm run screenshots`,
// which refreshes the README's pictures; tests never rewrite tracked files).

const SHOTS = ['1-product', '2-cart', '3-details', '4-payment', '5-confirmation', 'declined'];
let server: TestServer;
let browser: Browser;
/** The order of the first purchase, for the tests of the order pages. */
let firstOrder: ApiOrder | undefined;

beforeAll(async () => {
	mkdirSync(SCREENSHOTS, { recursive: true });
	for (const shot of SHOTS) rmSync(join(SCREENSHOTS, `checkout-${shot}.png`), { force: true });
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

interface ApiOrder {
	id: string;
	display_id: number;
	email: string;
	total: number;
	discount_total: number;
	shipping_total: number;
	items: { title: string; quantity: number }[];
	shipping_address: { postal_code: string };
}

const shot = (page: Page, name: string, fullPage = true) =>
	page.screenshot({ path: join(SCREENSHOTS, `checkout-${name}.png`), fullPage });
/** "$76.30" or "−$8.00" → 7630 / 800. */
const cents = (text: string | null) => Math.round(Number((text ?? '').replace(/[^0-9.]/g, '')) * 100);

async function newPage(mobile = false): Promise<{ page: Page; problems: string[] }> {
	// A context per purchase: its own localStorage (cart id) and cookies (order access).
	const context = await browser.newContext(
		mobile
			? { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true }
			: { viewport: { width: 1280, height: 900 } },
	);
	const page = await context.newPage();
	return { page, problems: watchForErrors(page) };
}

/** Adds the product's default variant from its page (the island talks to the API first). */
async function addToCart(page: Page, handle: string): Promise<void> {
	await page.goto(`${server.url}/products/${handle}/`);
	await page.locator('#add-to-cart').scrollIntoViewIfNeeded();
	await page.locator('#add-to-cart [data-stock-live]').waitFor();
	await page.getByRole('button', { name: 'Add to cart' }).click();
	await page.locator('[data-cart-count]').waitFor();
}

/** Contact and shipping address; the details are saved when the last field is left. */
async function fillDetails(page: Page): Promise<void> {
	await page.getByLabel('Email', { exact: true }).fill('ada@example.com');
	await page.getByLabel('First name').fill('Ada');
	await page.getByLabel('Last name').fill('Lovelace');
	await page.getByLabel('Address', { exact: true }).fill('101 Braddock Road');
	await page.getByLabel('City').fill('Frostburg');
	await page.getByLabel('State').fill('MD');
	await page.getByLabel('Postal code').fill('21532');
	await expect(page.getByLabel('Country').inputValue()).resolves.toBe('us');
	await page.getByLabel('Postal code').press('Tab');
}

async function chooseShipping(page: Page, name: RegExp): Promise<void> {
	await page.locator('.cart-shipping__option', { hasText: name }).click();
	// The radio follows the cart: checked once the API has answered with the new shipping method.
	await page.locator('.cart-shipping__option:has(input:checked)', { hasText: name }).waitFor();
	await page.locator('[data-total="shipping"] dd', { hasNotText: 'Choose an option' }).waitFor();
	await page.locator('.checkout[aria-busy="false"]').waitFor();
}

async function fillCard(page: Page, number: string): Promise<void> {
	await page.getByLabel('Card number').fill(number);
	await page.getByLabel('Expiry (MM/YY)').fill('12/34');
	await page.getByLabel('CVC').fill('123');
}

const placeOrder = (page: Page) => page.getByRole('button', { name: /^Place order/ });

/** Waits for the confirmation page and reads the order through the API with the browser's own order cookie. */
async function confirmedOrder(page: Page): Promise<ApiOrder> {
	await page.waitForURL(/\/order\/confirmed\/\?id=order_/);
	await page.locator('[data-order-number]').waitFor();
	const id = new URL(page.url()).searchParams.get('id');
	const order = await page.evaluate(async (orderId) => {
		const response = await fetch(`/store/orders/${orderId}`, { headers: { accept: 'application/json' } });
		return ((await response.json()) as { order: unknown }).order;
	}, id);
	return order as ApiOrder;
}

describe('checkout in Chromium', () => {
	it('buys a discounted hoodie: product, cart with FROSTBURG10, checkout, card 4242, confirmation', async () => {
		const { page, problems } = await newPage();

		await page.goto(`${server.url}/`);
		await Promise.all([
			page.waitForURL(/\/products\/classic-hoodie\/?$/),
			page.getByRole('link', { name: 'Frostburg Classic Hoodie' }).first().click(),
		]);
		await page.locator('#add-to-cart [data-stock-live]').waitFor();
		await page.locator('#add-to-cart label', { hasText: /^M$/ }).click();
		await page.getByRole('button', { name: 'Add to cart' }).click();
		await page.locator('#add-to-cart [role="status"]', { hasText: 'Added to cart.' }).waitFor();
		await shot(page, '1-product');

		await Promise.all([page.waitForURL(/\/cart\/?$/), page.locator('[data-cart-indicator]').click()]);
		await page.getByLabel('Discount code').fill('FROSTBURG10');
		await page.getByRole('button', { name: 'Apply' }).click();
		await page.locator('[data-total="discount"]').waitFor();
		await shot(page, '2-cart');

		await Promise.all([page.waitForURL(/\/checkout\/$/), page.getByRole('link', { name: 'Checkout' }).click()]);
		// The code applied in the cart is in the checkout's summary, from the same cart.
		await page.locator('[data-total="discount"]').waitFor();
		await page.getByText('Test mode — no real charges').waitFor();
		await expect(placeOrder(page).isDisabled()).resolves.toBe(true);
		await expect(page.getByLabel('Card number').getAttribute('autocomplete')).resolves.toBe('cc-number');
		await expect(page.getByLabel('Card number').getAttribute('inputmode')).resolves.toBe('numeric');

		// A field left empty shows its error inline.
		await page.getByLabel('Email', { exact: true }).fill('ada@');
		await page.getByLabel('Email', { exact: true }).press('Tab');
		await expect(page.locator('#checkout-email-error').textContent()).resolves.toMatch(/Enter an email address/);
		await expect(page.getByLabel('Email', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');

		await fillDetails(page);
		await expect(page.locator('#checkout-email-error').textContent()).resolves.toBe('');
		await chooseShipping(page, /Express/);
		await shot(page, '3-details');

		await fillCard(page, '4242 4242 4242 4242');
		await expect(placeOrder(page).isEnabled()).resolves.toBe(true);
		const shownTotal = cents(await page.locator('[data-total="total"] dd').textContent());
		await page.locator('.checkout-card').scrollIntoViewIfNeeded();
		await shot(page, '4-payment');

		await placeOrder(page).click();
		const order = await confirmedOrder(page);
		expect(order.email).toBe('ada@example.com');
		expect(order.discount_total).toBeGreaterThan(0);
		expect(order.shipping_total).toBe(1499);
		expect(order.total).toBe(shownTotal);
		firstOrder = order;
		await expect(page.locator('[data-order-number]').textContent()).resolves.toBe(`#${order.display_id}`);
		expect(cents(await page.locator('[data-total="total"] dd').textContent())).toBe(order.total);
		await page.getByRole('heading', { name: 'Thank you for your order, Ada.' }).waitFor();
		await expect(page.locator('.order-confirmed').textContent()).resolves.toContain('ada@example.com');
		await expect(page.getByRole('link', { name: 'order lookup' }).getAttribute('href')).resolves.toBe(
			`/order/lookup/?order=${order.display_id}&email=ada%40example.com`,
		);
		// The spent cart id is gone: the header shows an empty cart.
		await expect(page.evaluate(() => localStorage.getItem('commerce_cart_id'))).resolves.toBeNull();
		await expect(page.locator('[data-cart-count]').count()).resolves.toBe(0);
		await shot(page, '5-confirmation');
		expect(problems).toEqual([]);

		// The guest lookup finds the same order with number, email and postal code.
		await Promise.all([page.waitForURL(/\/order\/lookup\//), page.getByRole('link', { name: 'order lookup' }).click()]);
		// Filled in from ?order= once the island has hydrated.
		await expect.poll(() => page.getByLabel('Order number').inputValue()).toBe(String(order.display_id));
		await expect(page.getByLabel('Email').inputValue()).resolves.toBe('ada@example.com');
		await page.getByLabel('Postal code').fill('21532');
		await page.getByRole('button', { name: 'Find my order' }).click();
		await page.locator(`[data-order-id="${order.id}"]`).waitFor();
		expect(cents(await page.locator('[data-total="total"] dd').textContent())).toBe(order.total);
		await expect(page.locator('[data-order-status]').textContent()).resolves.toBe('Being prepared');
		expect(problems).toEqual([]);
		await page.context().close();
	});

	it('shows a declined card inline and then succeeds with another card on the same cart', async () => {
		const { page, problems } = await newPage();
		await addToCart(page, 'snowflake-mug');
		await page.goto(`${server.url}/checkout/`);
		await fillDetails(page);
		await chooseShipping(page, /Standard/);
		const cartId = await page.evaluate(() => localStorage.getItem('commerce_cart_id'));

		await fillCard(page, '4000 0000 0000 0002');
		await placeOrder(page).click();
		const inline = page.locator('#checkout-payment-error');
		await inline.filter({ hasText: /declined/i }).waitFor();
		await expect(page.locator('#checkout-alert').textContent()).resolves.toMatch(/declined/i);
		// The cart is intact and the shopper stays on the checkout with the card field focused.
		expect(page.url()).toMatch(/\/checkout\/$/);
		await expect(page.evaluate(() => localStorage.getItem('commerce_cart_id'))).resolves.toBe(cartId);
		await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('checkout-card_number');
		await page.locator('.checkout-card').scrollIntoViewIfNeeded();
		await shot(page, 'declined', false);

		await page.getByLabel('Card number').fill('4242424242424242');
		await expect(inline.textContent()).resolves.toBe('');
		const shownTotal = cents(await page.locator('[data-total="total"] dd').textContent());
		await placeOrder(page).click();
		const order = await confirmedOrder(page);
		expect(order.total).toBe(shownTotal);
		expect(cents(await page.locator('[data-total="total"] dd').textContent())).toBe(order.total);
		expect(order.items.map((item) => item.title)).toEqual(['Snowflake Ceramic Mug']);

		// The refused completion is the one expected failed request (the browser logs every 4xx it fetches).
		const expected = [
			/^http 4\d\d: .*\/store\/carts\/cart_[^/]+\/complete$/,
			/^console: Failed to load resource: .* 4\d\d/,
		];
		expect(problems.filter((problem) => !expected.some((pattern) => pattern.test(problem)))).toEqual([]);
		expect(problems).toHaveLength(2);
		await page.context().close();
	});

	it('asks to confirm a 3-D Secure test card, then places the order (on a phone)', async () => {
		const { page, problems } = await newPage(true);
		await addToCart(page, 'knit-beanie');
		await page.goto(`${server.url}/checkout/`);
		await fillDetails(page);
		await chooseShipping(page, /Standard|Free/);
		await fillCard(page, '4000 0025 0000 3155');
		expect(
			await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
		).toBeLessThanOrEqual(0);
		await placeOrder(page).click();

		const step = page.getByRole('group', { name: 'Confirm this test payment' });
		await step.waitFor();
		await expect(step.textContent()).resolves.toMatch(/simulated/);
		await expect(placeOrder(page).count()).resolves.toBe(0);
		await step.getByRole('button', { name: 'Confirm payment' }).click();
		const order = await confirmedOrder(page);
		expect(cents(await page.locator('[data-total="total"] dd').textContent())).toBe(order.total);
		expect(problems).toEqual([]);
		await page.context().close();
	});

	it('points an unknown order link to the lookup, and refuses a wrong postal code inline', async () => {
		expect(firstOrder).toBeDefined();
		const order = firstOrder!;
		const { page, problems } = await newPage();
		await page.goto(`${server.url}/order/confirmed/?id=order_01UNKNOWN0000000000000000`);
		const missing = page.locator('.order-missing');
		await missing.waitFor();
		await expect(missing.textContent()).resolves.toMatch(
			/couldn't find this order.*order number from your confirmation email/,
		);
		await expect(page.locator('[data-order-number]').count()).resolves.toBe(0);

		await Promise.all([
			page.waitForURL(/\/order\/lookup\/$/),
			missing.getByRole('link', { name: 'Look up an order' }).click(),
		]);
		await page.getByLabel('Order number').waitFor();
		await page.getByRole('button', { name: 'Find my order' }).click();
		await expect(page.locator('#lookup-order-error').textContent()).resolves.toMatch(/order number/);
		await page.getByLabel('Order number').fill(`#${order.display_id}`);
		await page.getByLabel('Email').fill(order.email);
		await page.getByLabel('Postal code').fill('99999');
		await page.getByRole('button', { name: 'Find my order' }).click();
		await page.locator('#lookup-failure', { hasText: /No order matches/ }).waitFor();
		await expect(page.locator('[data-order-id]').count()).resolves.toBe(0);

		// Both refusals are expected 404 answers of the API (the unknown order, then the lookup).
		const expected = [/^http 404: .*\/store\/orders/, /^console: Failed to load resource: .* 404/];
		expect(problems.filter((problem) => !expected.some((pattern) => pattern.test(problem)))).toEqual([]);
		expect(problems).toHaveLength(4);
		await page.context().close();
	});
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asCustomer, registerCustomer, TEST_PASSWORD } from '../helpers/account-session.ts';
import { launchBrowser, VIEWPORTS, watchForErrors } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// What a shopper does without thinking, in Chromium at a phone and a desktop width: click a shipping option straight
// from the postal-code field (no Tab first), and try a second coupon that does not apply after one that does.

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function newPage(options: (typeof VIEWPORTS)[number]): Promise<{ page: Page; problems: string[] }> {
	const { name: _, ...contextOptions } = options;
	const context = await browser.newContext(contextOptions);
	const page = await context.newPage();
	return { page, problems: watchForErrors(page) };
}

async function addToCart(page: Page, handle: string): Promise<void> {
	await page.goto(`${server.url}/products/${handle}/`);
	await page.locator('#add-to-cart [data-stock-live]').waitFor();
	await page.getByRole('button', { name: 'Add to cart' }).click();
	await page.locator('[data-cart-count]').waitFor();
}

/** "$17.99" or "−$1.80" → 1799 / 180. */
const cents = (text: string | null) => Math.round(Number((text ?? '').replace(/[^0-9.]/g, '')) * 100);

describe('checkout keeps a shipping option clicked straight from the postal-code field', () => {
	for (const options of VIEWPORTS) {
		it(`on a ${options.name}`, async () => {
			const { page, problems } = await newPage(options);
			await addToCart(page, 'snowflake-mug');
			await page.goto(`${server.url}/checkout/`);
			await page.getByLabel('Email', { exact: true }).fill('grace@example.com');
			await page.getByLabel('First name').fill('Grace');
			await page.getByLabel('Last name').fill('Hopper');
			await page.getByLabel('Address', { exact: true }).fill('101 Braddock Road');
			await page.getByLabel('City').fill('Frostburg');
			await page.getByLabel('State').fill('MD');
			// The options are listed before the address is complete; the postal code is the last field typed.
			await page.locator('.cart-shipping__option', { hasText: /Express/ }).waitFor();
			await page.getByLabel('Postal code').fill('21532');
			// No Tab: the click itself takes the focus from the field, which starts the address save.
			await page.locator('.cart-shipping__option', { hasText: /Express/ }).click();

			await page.locator('.cart-shipping__option:has(input:checked)', { hasText: /Express/ }).waitFor();
			await page.locator('.checkout[aria-busy="false"]').waitFor();
			await expect(page.locator('[data-total="shipping"] dd').textContent()).resolves.toBe('$14.99');
			await expect(page.locator('#checkout-place-note').textContent()).resolves.not.toMatch(/shipping option/);
			const cart = await page.evaluate(async () => {
				const id = localStorage.getItem('commerce_cart_id');
				const response = await fetch(`/store/carts/${id}`);
				return (await response.json()).cart;
			});
			expect(cart.shipping_methods).toHaveLength(1);
			expect(cart.shipping_methods[0].shipping_option.name).toMatch(/Express/);
			expect(cart.shipping_address.postal_code).toBe('21532');
			expect(problems).toEqual([]);
			await page.context().close();
		});
	}
});

describe('a coupon that discounts nothing after a working one', () => {
	it('is refused with its reason on the cart page and the working code stays', async () => {
		const { page, problems } = await newPage(VIEWPORTS[1]);
		await addToCart(page, 'canvas-tote');
		await page.goto(`${server.url}/cart/`);
		await page.getByLabel('Discount code').fill('FROSTBURG10');
		await page.getByRole('button', { name: 'Apply' }).click();
		await page.locator('[data-total="discount"]').waitFor();
		expect(cents(await page.locator('[data-total="discount"] dd').textContent())).toBe(180);

		await page.getByLabel('Discount code').fill('APPAREL20');
		await page.getByRole('button', { name: 'Apply' }).click();
		const error = page.locator('#discount-error');
		await error.filter({ hasText: /APPAREL20 does not apply/ }).waitFor();
		await expect(error.textContent()).resolves.toMatch(/FROSTBURG10 is still applied/);
		await expect(page.getByRole('list', { name: 'Applied codes' }).textContent()).resolves.toContain('FROSTBURG10');
		await expect(page.getByRole('list', { name: 'Applied codes' }).textContent()).resolves.not.toContain('APPAREL20');
		expect(cents(await page.locator('[data-total="discount"] dd').textContent())).toBe(180);
		// The refused code stays in the field so the shopper can correct it.
		await expect(page.getByLabel('Discount code').inputValue()).resolves.toBe('APPAREL20');

		// The checkout shows the same refusal and keeps the code too.
		await page.goto(`${server.url}/checkout/`);
		await page.locator('[data-total="discount"]').waitFor();
		await page.getByLabel('Discount code').fill('APPAREL20');
		await page.getByRole('button', { name: 'Apply' }).click();
		await page.locator('#checkout-error', { hasText: /APPAREL20 does not apply/ }).waitFor();
		expect(cents(await page.locator('[data-total="discount"] dd').textContent())).toBe(180);

		// The two refusals are the expected 400 answers of the API.
		const expected = [/^http 400: .*\/store\/carts\/cart_[^/]+$/, /^console: Failed to load resource: .* 400/];
		expect(problems.filter((problem) => !expected.some((pattern) => pattern.test(problem)))).toEqual([]);
		await page.context().close();
	});
});

describe('saved addresses at checkout', () => {
	for (const options of VIEWPORTS) {
		it(`offers a signed-in customer's saved addresses, the default chosen, and a new one (${options.name})`, async () => {
			const email = `saved.${options.viewport.width}.${Date.now()}@example.com`;
			const customer = await registerCustomer(server, email);
			const home = { first_name: 'Ada', last_name: 'Byron', address_1: '12 Main Street', city: 'Cumberland' };
			for (const address of [
				{ ...home, province: 'MD', postal_code: '21502', country_code: 'us' },
				{
					...home,
					address_1: '7 College Avenue',
					city: 'Frostburg',
					province: 'MD',
					postal_code: '21532',
					country_code: 'us',
				},
				// Not offered: the US region does not ship to Germany.
				{ ...home, address_1: 'Unter den Linden 1', city: 'Berlin', postal_code: '10117', country_code: 'de' },
			]) {
				const added = await asCustomer(server, customer, 'POST', '/customers/me/addresses', { address });
				expect(added.status).toBe(200);
			}

			const { page, problems } = await newPage(options);
			await page.goto(`${server.url}/account/login/`);
			await page.getByLabel('Email').fill(email);
			await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
			await Promise.all([page.waitForURL(/\/account\/$/), page.getByRole('button', { name: 'Sign in' }).click()]);
			await addToCart(page, 'snowflake-mug');
			await page.goto(`${server.url}/checkout/`);

			const picker = page.getByRole('group', { name: 'Saved addresses' });
			await picker.waitFor();
			const choices = picker.getByRole('radio');
			await expect(choices.count()).resolves.toBe(3);
			await expect(picker.textContent()).resolves.toContain('12 Main Street, Cumberland, MD 21502, United States');
			await expect(picker.textContent()).resolves.not.toContain('Berlin');
			await expect(picker.getByRole('radio', { name: /12 Main Street.*\(default\)/ }).isChecked()).resolves.toBe(true);
			await expect(page.getByLabel('Address', { exact: true }).inputValue()).resolves.toBe('12 Main Street');
			await expect(page.getByLabel('Email', { exact: true }).inputValue()).resolves.toBe(email);
			// The default is saved to the cart without typing: shipping can be chosen right away.
			await page.locator('.cart-shipping__option', { hasText: /Express/ }).click();
			await page.locator('.cart-shipping__option:has(input:checked)', { hasText: /Express/ }).waitFor();
			await page.locator('.checkout[aria-busy="false"]').waitFor();
			const cartAddress = () =>
				page.evaluate(async () => {
					const response = await fetch(`/store/carts/${localStorage.getItem('commerce_cart_id')}`);
					return (await response.json()).cart.shipping_address;
				});
			await expect(cartAddress()).resolves.toMatchObject({ address_1: '12 Main Street', postal_code: '21502' });

			await picker.getByRole('radio', { name: /7 College Avenue/ }).check();
			await expect(page.getByLabel('Address', { exact: true }).inputValue()).resolves.toBe('7 College Avenue');
			await expect.poll(async () => (await cartAddress()).address_1).toBe('7 College Avenue');

			await picker.getByRole('radio', { name: 'Use a new address' }).check();
			await expect(page.getByLabel('Address', { exact: true }).inputValue()).resolves.toBe('');
			await expect(page.getByLabel('City').inputValue()).resolves.toBe('');
			expect(
				await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
			).toBeLessThanOrEqual(0);
			expect(problems).toEqual([]);
			await page.context().close();
		});
	}
});

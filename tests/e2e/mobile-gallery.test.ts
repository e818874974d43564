import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, VIEWPORTS, watchForErrors } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// Issue 13, items 9 and 10 in Chromium at 390 px and 1366 px: the header menu (a popover on phones, inline on laptops),
// the two-column product grid, price and "Add to cart" on screen without scrolling, the added-to-cart confirmation
// with a checkout link, the order summary above "Place order" on phones, and the product gallery (thumbnails, keys,
// swipe, colour → picture, enlarged view).

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

const [PHONE, DESKTOP] = VIEWPORTS;

/** Which slide of the gallery is showing: the one whose left edge is at the track's scroll position. */
const shownSlide = (page: Page) =>
	page.locator('.gallery__track').evaluate((track) => {
		const slides = [...track.children] as HTMLElement[];
		return slides.findIndex((slide) => Math.abs(slide.offsetLeft - track.scrollLeft) < 4) + 1;
	});

const inViewport = (page: Page, selector: string) =>
	page.locator(selector).evaluate((el) => {
		const box = el.getBoundingClientRect();
		return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
	});

describe('mobile layout (item 10)', () => {
	it('phone: menu button opens the nav as a drawer, two-column grid, buy bar, mini-cart, summary before Place order', async () => {
		const context = await browser.newContext(PHONE);
		const page = await context.newPage();
		const problems = watchForErrors(page);
		await page.goto(`${server.url}/`);

		// The categories hide behind "Menu" (one header row, no wrapped nav); the cart stays in the bar.
		const apparel = page.getByRole('link', { name: 'Apparel' }).first();
		await expect(page.locator('#site-nav').isVisible()).resolves.toBe(false);
		await expect(page.locator('.site-nav__cart').isVisible()).resolves.toBe(true);
		const menu = page.getByRole('button', { name: 'Menu' });
		await menu.click();
		await expect(page.locator('#site-nav').isVisible()).resolves.toBe(true);
		await page.keyboard.press('Escape');
		await expect(page.locator('#site-nav').isVisible()).resolves.toBe(false);
		await menu.click();
		await Promise.all([page.waitForURL(/\/categories\/apparel\/?$/), apparel.click()]);

		// Two products side by side.
		const columns = await page
			.locator('.product-grid')
			.first()
			.evaluate((grid) => getComputedStyle(grid).gridTemplateColumns.split(' ').length);
		expect(columns).toBe(2);

		// Price and "Add to cart" are on screen on arrival: the buy bar.
		await page.goto(`${server.url}/products/classic-hoodie/`);
		await expect(inViewport(page, '.buy-bar')).resolves.toBe(true);
		await expect(page.locator('.buy-bar .price__amount').textContent()).resolves.toBe('$39.99');
		await page.locator('#add-to-cart [data-stock-live]').waitFor();
		await page.getByRole('button', { name: 'Add to cart' }).click();
		const added = page.locator('#add-to-cart [role="status"]', { hasText: 'Added to cart.' });
		await added.waitFor();
		await expect(added.getByRole('link', { name: 'View cart' }).isVisible()).resolves.toBe(true);
		await expect(inViewport(page, '.mini-cart')).resolves.toBe(true);
		await Promise.all([page.waitForURL(/\/checkout\/?$/), added.getByRole('link', { name: 'Checkout' }).click()]);

		// The order summary (items, codes, totals) comes before the form, so before "Place order", in the page and on screen.
		const summary = page.getByRole('complementary', { name: 'Order summary' });
		await summary.getByText('Frostburg Classic Hoodie').first().waitFor();
		const before = await page.evaluate(() => {
			const aside = document.querySelector('.checkout__summary');
			const place = document.querySelector('.checkout__place');
			return (
				!!aside &&
				!!place &&
				!!(aside.compareDocumentPosition(place) & Node.DOCUMENT_POSITION_FOLLOWING) &&
				aside.getBoundingClientRect().bottom <= place.getBoundingClientRect().top
			);
		});
		expect(before).toBe(true);
		expect(problems).toEqual([]);
		await context.close();
	});

	it('desktop: the nav is inline without a menu button, no buy bar; the checkout summary is the right-hand column', async () => {
		const context = await browser.newContext(DESKTOP);
		const page = await context.newPage();
		await page.goto(`${server.url}/products/classic-hoodie/`);
		await expect(page.getByRole('button', { name: 'Menu' }).count()).resolves.toBe(0);
		await expect(page.getByRole('link', { name: 'Apparel' }).first().isVisible()).resolves.toBe(true);
		await expect(page.locator('.buy-bar').isVisible()).resolves.toBe(false);
		await expect(inViewport(page, '.variant-form__actions .button--primary')).resolves.toBe(true);
		expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
		await page.locator('#add-to-cart [data-stock-live]').waitFor();
		await page.getByRole('button', { name: 'Add to cart' }).click();
		await page.locator('#add-to-cart [role="status"]', { hasText: 'Added to cart.' }).waitFor();
		await page.goto(`${server.url}/checkout/`);
		await page.locator('.checkout__place').waitFor();
		const [form, aside] = await Promise.all([
			page.locator('.checkout__form').boundingBox(),
			page.locator('.checkout__summary').boundingBox(),
		]);
		expect(aside!.x).toBeGreaterThan(form!.x + form!.width - 1);
		await context.close();
	});
});

describe('product gallery (item 9)', () => {
	for (const { name, ...options } of VIEWPORTS) {
		it(`thumbnails, keyboard, colour and the enlarged view switch the picture (${name})`, async () => {
			const context = await browser.newContext(options);
			const page = await context.newPage();
			const problems = watchForErrors(page);
			await page.goto(`${server.url}/products/stadium-jacket/`);
			await expect(shownSlide(page)).resolves.toBe(1);

			// A thumbnail shows its picture.
			await page.getByRole('link', { name: /Show image 2/ }).click();
			await expect.poll(() => shownSlide(page)).toBe(2);

			// Keyboard: the track takes focus and arrow keys move between pictures.
			await page.locator('.gallery__track').focus();
			await page.keyboard.press('ArrowLeft');
			await expect.poll(() => shownSlide(page)).toBe(1);

			// Choosing a colour shows that colour's picture (variant `image` in the product file).
			await page.locator('#add-to-cart [data-stock-live]').waitFor();
			await page.getByText('Gold', { exact: true }).click();
			await expect.poll(() => shownSlide(page)).toBe(3);
			await expect(page.locator('.gallery__slide').nth(2).locator('> img').getAttribute('src')).resolves.toBe(
				'/images/products/stadium-jacket-gold.svg',
			);

			// Larger view: a popover with the big picture; Escape closes it.
			await page.getByRole('button', { name: 'Enlarge image 3' }).click();
			const large = page.locator('#image-3-large');
			await expect(large.evaluate((el) => el.matches(':popover-open'))).resolves.toBe(true);
			await page.keyboard.press('Escape');
			await expect(large.evaluate((el) => el.matches(':popover-open'))).resolves.toBe(false);
			expect(problems).toEqual([]);
			await context.close();
		});
	}

	it('swipes between pictures on a touch screen', async () => {
		const context = await browser.newContext(PHONE);
		const page = await context.newPage();
		await page.goto(`${server.url}/products/stadium-jacket/`);
		const box = (await page.locator('.gallery__track').boundingBox())!;
		// A finger dragged from right to left across the picture, as raw touch events (the browser does the scrolling).
		const cdp = await context.newCDPSession(page);
		const y = Math.round(box.y + box.height / 3);
		let x = Math.round(box.x + box.width * 0.85);
		await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
		for (let step = 0; step < 10; step++) {
			x -= Math.round(box.width * 0.07); // 70 % of the picture in all: past half, so it snaps to the next one
			await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
		}
		await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
		await expect.poll(() => shownSlide(page)).toBe(2);
		await context.close();
	});
});

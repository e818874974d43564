import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS, watchForErrors } from '../helpers/browser.ts';
import { readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// Customer accounts in Chromium against the built demo and its Store API: register → buy through the checkout page
// with the test card 4242 → the order in the history → its detail → cancel it → stock restored → sign out (the header
// says so). Also the password reset with the emailed link (a real SMTP server on loopback), the contact form's inline
// confirmation and the product page's wishlist heart.
// Screenshots: tests/output/screenshots/account-*.png.

const PRODUCT = 'classic-hoodie';
const PASSWORD = 'frostburg snow day 2026';
let server: TestServer;
let browser: Browser;
let smtp: TestSmtpServer;

beforeAll(async () => {
	mkdirSync(SCREENSHOTS, { recursive: true });
	smtp = await startSmtpServer();
	[server, browser] = await Promise.all([
		startServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'FrostBuy <account@frostbuy.test>' } }),
		launchBrowser(),
	]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await smtp?.close();
});

const shot = (page: Page, name: string) =>
	page.screenshot({ path: join(SCREENSHOTS, `account-${name}.png`), fullPage: true });
let emails = 0;
const uniqueEmail = (name: string) => `${name}.${Date.now()}.${++emails}@example.com`;

/** The first message to `to` whose text matches `pattern`, waiting for it to arrive. */
async function waitForMail(to: string, pattern: RegExp) {
	for (;;) {
		const found = smtp.messages.find((m) => m.to.includes(to) && pattern.test(m.text));
		if (found) return found;
		await smtp.waitFor(smtp.messages.length + 1, 10_000);
	}
}

/**
 * The problems `watchForErrors` collected, less the expected HTTP failures: `expected` lists status and URL part of
 * each (the browser also logs them as "Failed to load resource" console errors, without the URL).
 */
function unexpected(problems: string[], expected: { status: number; url: string }[]): string[] {
	return problems.filter(
		(problem) =>
			!expected.some(
				({ status, url }) =>
					(problem.startsWith(`http ${status}:`) && problem.includes(url)) ||
					problem ===
						`console: Failed to load resource: the server responded with a status of ${status} (${status === 401 ? 'Unauthorized' : 'Not Found'})`,
			),
	);
}

async function newPage(): Promise<{ page: Page; problems: string[] }> {
	// A context per shopper: its own cookies (the session) and localStorage (cart id, session hint).
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	return { page, problems: watchForErrors(page) };
}

/** Live stock of every variant of the product, by variant id. */
async function stock(): Promise<Map<string, number>> {
	const { json } = await store(server, 'GET', `/products?handle=${PRODUCT}`);
	const variants = json.products[0].variants as { id: string; inventory_quantity: number }[];
	return new Map(variants.map((v) => [v.id, v.inventory_quantity]));
}

/** Registers through the form; ends on the account overview. */
async function register(page: Page, first: string, email: string): Promise<void> {
	await page.goto(`${server.url}/account/register/`);
	await page.getByLabel('First name').fill(first);
	await page.getByLabel('Last name').fill('Bobcat');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await Promise.all([page.waitForURL(/\/account\/$/), page.getByRole('button', { name: 'Create account' }).click()]);
	await page.locator('[data-account-name]', { hasText: `Hello, ${first}` }).waitFor();
}

/** Product page → size M into the cart → checkout with the test card → confirmation; resolves with the order id. */
async function buyHoodie(page: Page, email: string): Promise<string> {
	await page.goto(`${server.url}/products/${PRODUCT}/`);
	await page.locator('#add-to-cart').scrollIntoViewIfNeeded();
	await page.locator('#add-to-cart [data-stock-live]').waitFor();
	await page.locator('#add-to-cart label', { hasText: /^M$/ }).click();
	await page.getByRole('button', { name: 'Add to cart' }).click();
	await page.locator('#add-to-cart [role="status"]', { hasText: 'Added to cart.' }).waitFor();

	await page.goto(`${server.url}/checkout/`);
	await page.getByText('Test mode — no real charges').waitFor();
	await page.getByLabel('Email', { exact: true }).fill(email);
	await page.getByLabel('First name').fill('Sam');
	await page.getByLabel('Last name').fill('Bobcat');
	await page.getByLabel('Address', { exact: true }).fill('101 Braddock Road');
	await page.getByLabel('City').fill('Frostburg');
	await page.getByLabel('State').fill('MD');
	await page.getByLabel('Postal code').fill('21532');
	await page.getByLabel('Postal code').press('Tab');
	const option = page.locator('.cart-shipping__option').first();
	await option.click();
	await page.locator('.cart-shipping__option:has(input:checked)').waitFor();
	await page.locator('.checkout[aria-busy="false"]').waitFor();
	await page.getByLabel('Card number').fill('4242 4242 4242 4242');
	await page.getByLabel('Expiry (MM/YY)').fill('12/34');
	await page.getByLabel('CVC').fill('123');
	await page.getByRole('button', { name: /^Place order/ }).click();
	await page.waitForURL(/\/order\/confirmed\/\?id=order_/);
	await page.locator('[data-order-number]').waitFor();
	return new URL(page.url()).searchParams.get('id')!;
}

describe('customer account in Chromium', () => {
	it('registers, buys with card 4242, finds and cancels the order (stock restored), signs out', async () => {
		const { page, problems } = await newPage();
		const email = uniqueEmail('sam');

		// Signed out, the header offers to sign in.
		await page.goto(`${server.url}/`);
		await expect(page.locator('a[data-account-link]').textContent()).resolves.toMatch(/Sign in/);

		// The form states the password rule and checks it before sending.
		await page.goto(`${server.url}/account/register/`);
		await page.getByText('At least 12 characters.').waitFor();
		await expect(page.getByLabel('Password', { exact: true }).getAttribute('autocomplete')).resolves.toBe(
			'new-password',
		);
		await expect(page.getByLabel('Email').getAttribute('autocomplete')).resolves.toBe('email');
		await expect(page.getByLabel('First name').getAttribute('autocomplete')).resolves.toBe('given-name');
		await page.getByLabel('Password', { exact: true }).fill('too short');
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.locator('#register-password-error').textContent()).resolves.toMatch(/at least 12 characters/);

		await register(page, 'Sam', email);
		await expect(page.locator('[data-account-email]').textContent()).resolves.toBe(email);
		await expect(page.locator('a[data-account-link]').textContent()).resolves.toMatch(/Account/);

		const before = await stock();
		const orderId = await buyHoodie(page, email);

		// The order is the customer's: read it with the browser's session.
		const order = (await page.evaluate(async (id) => {
			const response = await fetch(`/store/customers/me/orders/${id}`);
			return ((await response.json()) as { order: unknown }).order;
		}, orderId)) as { display_id: number; items: { variant_id: string; quantity: number }[] };
		const [line] = order.items;
		expect((await stock()).get(line.variant_id)).toBe(before.get(line.variant_id)! - line.quantity);

		// History: the new order, linking to its detail page.
		await page.goto(`${server.url}/account/orders/`);
		const card = page.locator('.account-order', { hasText: `Order #${order.display_id}` });
		await card.waitFor();
		await expect(card.locator('[data-order-status]').textContent()).resolves.toBe('Being prepared');
		await shot(page, 'orders');

		await Promise.all([
			page.waitForURL(new RegExp(`/account/orders/${orderId}/$`)),
			card.getByRole('link', { name: `Order #${order.display_id}` }).click(),
		]);
		await page.locator(`[data-order-number="${order.display_id}"]`).waitFor();
		await expect(page.locator('[data-step="placed"]').getAttribute('data-done')).resolves.toBe('true');
		await expect(page.locator('[data-step="shipped"]').getAttribute('data-done')).resolves.toBe('false');
		await shot(page, 'order-detail');

		// Cancel, asked twice; the answer updates the page in place.
		await page.getByRole('button', { name: 'Cancel order' }).click();
		await page.getByRole('button', { name: 'Yes, cancel order' }).click();
		await page.locator('[role="status"]', { hasText: `Order #${order.display_id} has been canceled.` }).waitFor();
		await expect(page.locator('[data-order-state]').textContent()).resolves.toBe('Canceled');
		await expect(page.locator('[data-step="canceled"]').getAttribute('data-done')).resolves.toBe('true');
		await expect(page.getByRole('button', { name: 'Cancel order' }).count()).resolves.toBe(0);
		await shot(page, 'order-canceled');
		expect((await stock()).get(line.variant_id)).toBe(before.get(line.variant_id));

		// The history says so too, after a reload from the API.
		await page.goto(`${server.url}/account/orders/`);
		await expect(card.locator('[data-order-status]').textContent()).resolves.toBe('Canceled');

		// Sign out: back on the login page, the header offers to sign in again and the account needs a login.
		await page.goto(`${server.url}/account/`);
		await Promise.all([
			page.waitForURL(/\/account\/login\/\?signed_out=1$/),
			page.getByRole('button', { name: 'Sign out' }).click(),
		]);
		await page.getByText('You have signed out.').waitFor();
		await expect(page.locator('a[data-account-link]').textContent()).resolves.toMatch(/Sign in/);
		await page.goto(`${server.url}/account/orders/`);
		await page.waitForURL(/\/account\/login\/\?next=%2Faccount%2Forders%2F$/);

		// Signing in again returns to the page that asked for it.
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
		await Promise.all([page.waitForURL(/\/account\/orders\/$/), page.getByRole('button', { name: 'Sign in' }).click()]);
		await card.waitFor();

		// The only failure is the 401 that sent the signed-out visitor to the login page.
		expect(unexpected(problems, [{ status: 401, url: '/store/customers/me/orders' }])).toEqual([]);
	});

	it('keeps the guest cart through login, and the header count follows login and logout', async () => {
		const email = uniqueEmail('cara');
		const created = await store(server, 'POST', '/customers', {
			first_name: 'Cara',
			last_name: 'Bobcat',
			email,
			password: PASSWORD,
		});
		expect(created.status).toBe(200);
		const { page, problems } = await newPage();
		const count = page.locator('[data-cart-count]');

		// A guest fills a cart, then signs in.
		await page.goto(`${server.url}/products/${PRODUCT}/`);
		await page.locator('#add-to-cart').scrollIntoViewIfNeeded();
		await page.locator('#add-to-cart [data-stock-live]').waitFor();
		await page.getByRole('button', { name: 'Add to cart' }).click();
		await expect(count.getAttribute('data-cart-count')).resolves.toBe('1');
		await page.goto(`${server.url}/account/login/`);
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
		await Promise.all([page.waitForURL(/\/account\/$/), page.getByRole('button', { name: 'Sign in' }).click()]);
		// The server merged the guest cart into the customer's: still one item.
		await expect(count.getAttribute('data-cart-count')).resolves.toBe('1');

		// Signing out leaves the customer's cart with the account: the header shows an empty cart.
		await Promise.all([
			page.waitForURL(/\/account\/login\/\?signed_out=1$/),
			page.getByRole('button', { name: 'Sign out' }).click(),
		]);
		await page.locator('[data-cart-indicator]').waitFor();
		await page.waitForLoadState('networkidle');
		await expect(count.count()).resolves.toBe(0);
		await expect(page.evaluate(() => localStorage.getItem('commerce_cart_id'))).resolves.toBeNull();

		// Signing in again brings it back.
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
		await Promise.all([page.waitForURL(/\/account\/$/), page.getByRole('button', { name: 'Sign in' }).click()]);
		await expect(count.getAttribute('data-cart-count')).resolves.toBe('1');
		expect(problems).toEqual([]);
	});

	it('resets a forgotten password with the emailed link, which works once', async () => {
		const email = uniqueEmail('rory');
		expect(
			(
				await store(server, 'POST', '/customers', {
					first_name: 'Rory',
					last_name: 'Bobcat',
					email,
					password: PASSWORD,
				})
			).status,
		).toBe(200);
		const { page, problems } = await newPage();

		await page.goto(`${server.url}/account/login/`);
		await Promise.all([
			page.waitForURL(/\/account\/forgot-password\/$/),
			page.getByRole('link', { name: 'Forgot your password?' }).click(),
		]);
		await page.getByLabel('Email').fill(email);
		await page.getByRole('button', { name: 'Email me a reset link' }).click();
		await page.locator('.account-confirmation', { hasText: `If an account exists for ${email}` }).waitFor();

		const mail = await waitForMail(email, /reset-password/);
		const link = /http:\/\/\S+\/account\/reset-password\/\?token=[\w-]+&email=\S+/.exec(mail.text)![0];
		await page.goto(link);
		await page.getByText(`Choose a new password for ${email}.`).waitFor();
		// The token leaves the address bar (and the history) at once.
		expect(new URL(page.url()).search).toBe('');
		await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
		await page.getByLabel('Repeat the new password').fill('a brand new passphrase');
		await Promise.all([
			page.waitForURL(/\/account\/login\/\?reset=1&email=/),
			page.getByRole('button', { name: 'Change password' }).click(),
		]);
		await page.getByText('Your password has been changed. Sign in with your new password.').waitFor();
		await expect(page.getByLabel('Email').inputValue()).resolves.toBe(email);
		await page.getByLabel('Password', { exact: true }).fill('a brand new passphrase');
		await Promise.all([page.waitForURL(/\/account\/$/), page.getByRole('button', { name: 'Sign in' }).click()]);
		await page.locator('[data-account-name]', { hasText: 'Hello, Rory' }).waitFor();

		// The link is single use.
		await page.goto(link);
		await page.getByLabel('New password', { exact: true }).fill('yet another passphrase');
		await page.getByLabel('Repeat the new password').fill('yet another passphrase');
		await page.getByRole('button', { name: 'Change password' }).click();
		await page.getByText('This reset link has expired or has already been used.', { exact: false }).waitFor();
		await expect(page.getByRole('link', { name: 'Request a new link' }).getAttribute('href')).resolves.toContain(
			'/account/forgot-password/?email=',
		);
		expect(unexpected(problems, [{ status: 401, url: '/store/customers/password-reset' }])).toEqual([]);
	});

	it('adds an order placed as a guest after confirming the emailed link while signed in', async () => {
		const email = uniqueEmail('gale');
		// A guest order with the address, placed before the account existed.
		const cartId = await readyCart(server, {
			items: [{ variantId: await variantId(server, 'sticker-pack'), quantity: 1 }],
			email,
			card: '4242424242424242',
		});
		const completed = await store(server, 'POST', `/carts/${cartId}/complete`, {});
		expect(completed.json.type).toBe('order');
		const { page, problems } = await newPage();
		await register(page, 'Gale', email);

		await page.goto(`${server.url}/account/orders/`);
		await page.getByText('You have not placed any orders yet.').waitFor();
		await page.getByRole('button', { name: 'Email me a link' }).click();
		await page.getByText('We have emailed you a link.', { exact: false }).waitFor();
		const mail = await waitForMail(email, /\/account\/claim\//);
		const link = /http:\/\/\S+\/account\/claim\/\?token=[\w-]+/.exec(mail.text)![0];

		await page.goto(link);
		await page.getByRole('button', { name: 'Add my orders' }).waitFor();
		expect(new URL(page.url()).search).toBe('');
		await page.getByRole('button', { name: 'Add my orders' }).click();
		await page.getByText('One earlier order is now part of your account.').waitFor();
		await page.getByRole('link', { name: 'View your orders' }).click();
		await page.locator('.account-order', { hasText: `Order #${completed.json.data.display_id}` }).waitFor();
		expect(problems).toEqual([]);
	});

	it('shows a wrong password inline without saying which part was wrong', async () => {
		const { page } = await newPage();
		await page.goto(`${server.url}/account/login/`);
		await expect(page.getByLabel('Password', { exact: true }).getAttribute('autocomplete')).resolves.toBe(
			'current-password',
		);
		await page.getByLabel('Email').fill(uniqueEmail('nobody'));
		await page.getByLabel('Password', { exact: true }).fill('not the password at all');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.locator('#login-failure', { hasText: 'The email address or password is incorrect.' }).waitFor();
		await expect(page.getByRole('button', { name: 'Sign in' }).isEnabled()).resolves.toBe(true);
	});
});

describe('contact form in Chromium', () => {
	it('checks the fields, then shows the confirmation inline', async () => {
		const { page, problems } = await newPage();
		await page.goto(`${server.url}/contact/`);
		await page.getByRole('button', { name: 'Send message' }).click();
		await expect(page.locator('#contact-name-error').textContent()).resolves.toBe('Enter your name.');
		// Focus goes to the first field to fix.
		await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('contact-name');
		// The honeypot is out of reach for people: not focusable, hidden from assistive technology.
		await expect(page.locator('#contact-website').getAttribute('tabindex')).resolves.toBe('-1');
		await expect(page.locator('.contact-honeypot').getAttribute('aria-hidden')).resolves.toBe('true');

		await page.getByLabel('Name').fill('Ada Lovelace');
		await page.getByLabel('Email').fill('ada@example.com');
		await page.getByLabel('Subject').fill('Hoodie sizes');
		await page.getByLabel('Message').fill('Does the classic hoodie run large?');
		await page.getByRole('button', { name: 'Send message' }).click();
		await page.locator('[data-contact-sent]', { hasText: 'Thank you, your message has been sent.' }).waitFor();
		await expect(page.locator('[data-contact-sent]').textContent()).resolves.toContain('ada@example.com');
		await shot(page, 'contact-sent');
		expect(problems).toEqual([]);
	});
});

describe('wishlist heart in Chromium', () => {
	const heart = (page: Page) => page.getByRole('button', { name: /^Save .* to wishlist$/ });

	it('sends a signed-out shopper to the login page, which returns to the product', async () => {
		const { page, problems } = await newPage();
		await page.goto(`${server.url}/products/${PRODUCT}/`);
		await page.locator('#add-to-cart').scrollIntoViewIfNeeded();
		await page.locator('#add-to-cart [data-stock-live]').waitFor();
		await Promise.all([
			page.waitForURL(/\/account\/login\/\?next=%2Fproducts%2Fclassic-hoodie%2F$/),
			heart(page).click(),
		]);
		expect(problems).toEqual([]);
	});

	it('saves the chosen variant from the product page; it appears on the wishlist page and can be removed', async () => {
		const { page, problems } = await newPage();
		await register(page, 'Wren', uniqueEmail('wren'));

		await page.goto(`${server.url}/products/${PRODUCT}/`);
		await page.locator('#add-to-cart').scrollIntoViewIfNeeded();
		await page.locator('#add-to-cart [data-stock-live]').waitFor();
		await page.locator('#add-to-cart label', { hasText: /^L$/ }).click();
		await expect(heart(page).getAttribute('aria-pressed')).resolves.toBe('false');
		await heart(page).click();
		await page.locator('#add-to-cart button[aria-pressed="true"]').waitFor();
		await page.locator('#add-to-cart').screenshot({ path: join(SCREENSHOTS, 'account-wishlist-heart.png') });

		// The pressed state survives a reload (it comes from the API).
		await page.reload();
		await page.locator('#add-to-cart').scrollIntoViewIfNeeded();
		await page.locator('#add-to-cart label', { hasText: /^L$/ }).click();
		await page.locator('#add-to-cart button[aria-pressed="true"]').waitFor();

		await page.goto(`${server.url}/account/wishlist/`);
		const item = page.locator('.wishlist-item', { hasText: 'Frostburg Classic Hoodie' });
		await item.waitFor();
		await expect(item.locator('.wishlist-item__variant').textContent()).resolves.toMatch(/L/);
		await shot(page, 'wishlist');

		await item.getByRole('button', { name: /^Remove / }).click();
		await page.getByText('Your wishlist is empty.', { exact: false }).waitFor();
		expect(problems).toEqual([]);
	});
});

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../plugins/commerce/src/auth/password.ts';
import { launchBrowser, SCREENSHOTS, watchForErrors } from '../helpers/browser.ts';
import { readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The merchant's path in Chromium against the built demo: an order placed through the Store API in this test shows on
// the dashboard, the admin ships it with a tracking number (the customer's tracking data says shipped), then refunds
// half of it (payment partially_refunded). Screenshots: admin-dashboard.png and admin-order.png (tests/output/screenshots/, or docs/ with npm run docs:screenshots).

const ADMIN = { email: 'admin-e2e@frostbuy.test', password: 'admin-e2e-correct-horse-42' };
let server: TestServer;
let browser: Browser;

const STAFF = { email: 'staff-e2e@frostbuy.test', password: 'staff-e2e-correct-horse-42' };
const CUSTOMER = { email: 'customer-e2e@frostbuy.test', password: 'customer-e2e-correct-horse-42' };

/** Accounts written straight into the server's SQLite file (the admin:create CLI is tested elsewhere). */
async function createUser(
	databasePath: string,
	id: string,
	user: { email: string; password: string },
	role: 'admin' | 'staff' | 'customer',
): Promise<void> {
	const db = new SQLite(databasePath);
	try {
		const at = new Date().toISOString();
		db.prepare(
			'insert into customer (id, email, first_name, last_name, has_account, password_hash, role, created_at, updated_at) values (?, ?, ?, ?, 1, ?, ?, ?, ?)',
		).run(id, user.email, 'Test', role, await hashPassword(user.password), role, at, at);
	} finally {
		db.close();
	}
}

/** Signs in through the admin login form with plain HTTP and returns the session cookie (null when refused). */
async function loginCookie(user: { email: string; password: string }): Promise<string | null> {
	const response = await fetch(`${server.url}/admin/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(user),
	});
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => /^commerce_session=./.test(c));
	return response.status === 303 && cookie ? cookie : null;
}

const ADMIN_PAGES = [
	'/admin',
	'/admin/orders',
	'/admin/orders/export.csv',
	'/admin/inventory',
	'/admin/coupons',
	'/admin/gift-cards',
	'/admin/customers',
	'/admin/messages',
];
const STAFF_PAGES = new Set(['/admin/orders', '/admin/orders/export.csv', '/admin/inventory']);

beforeAll(async () => {
	mkdirSync(SCREENSHOTS, { recursive: true });
	for (const name of ['admin-dashboard', 'admin-order']) rmSync(join(SCREENSHOTS, `${name}.png`), { force: true });
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	// The first Store API call starts the runtime, which migrates the database the admin row goes into.
	expect((await store(server, 'GET', '/products?limit=1')).status).toBe(200);
	await createUser(server.databasePath, 'cus_admin_e2e', ADMIN, 'admin');
	await createUser(server.databasePath, 'cus_staff_e2e', STAFF, 'staff');
	await createUser(server.databasePath, 'cus_customer_e2e', CUSTOMER, 'customer');
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

const money = (minor: number) =>
	`$${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

describe('admin', () => {
	it('ships and half-refunds an order placed in the same test', async () => {
		const variant = await variantId(server, 'snowflake-mug');
		const cartId = await readyCart(server, {
			items: [{ variantId: variant, quantity: 2 }],
			email: 'buyer-admin-e2e@example.com',
		});
		const completed = await store(server, 'POST', `/carts/${cartId}/complete`, {});
		expect(completed.status).toBe(200);
		const order = completed.json.data as { id: string; display_id: number; total: number };
		expect(order.total).toBeGreaterThan(0);

		const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchForErrors(page);
		// Anonymous: the admin redirects to its login page, remembering where the visitor was going.
		await page.goto(`${server.url}/admin`);
		expect(new URL(page.url()).pathname).toBe('/admin/login');
		await page.getByLabel('Email').fill(ADMIN.email);
		await page.getByLabel('Password').fill(ADMIN.password);
		await Promise.all([page.waitForURL(`${server.url}/admin`), page.getByRole('button', { name: 'Sign in' }).click()]);

		// Dashboard: the order counts and its total is part of the revenue.
		const orders = Number(await page.locator('[data-kpi="orders"] .fb-tile__value').textContent());
		expect(orders).toBeGreaterThanOrEqual(1);
		const revenueText = (await page.locator('[data-kpi="revenue"] .fb-tile__value').textContent()) ?? '';
		const revenue = Math.round(Number(revenueText.replace(/[^0-9.]/g, '')) * 100);
		expect(revenue).toBeGreaterThanOrEqual(order.total);
		await expect(page.locator('#recent-orders').textContent()).resolves.toContain(`#${order.display_id}`);
		expect(await page.locator('svg.fb-chart title').count()).toBeGreaterThanOrEqual(2);
		// Low stock names a single-variant product once and a variant after its product.
		const lowStock = (await page.locator('main').textContent()) ?? '';
		expect(lowStock).toContain('Frostburg Classic Hoodie · XL');
		expect(lowStock).toContain('Insulated Campus Tumbler');
		expect(lowStock).not.toContain('Insulated Campus Tumbler · Insulated Campus Tumbler');
		await page.screenshot({ path: join(SCREENSHOTS, 'admin-dashboard.png'), fullPage: true });

		// Order detail: ship with a carrier and a tracking number.
		await page
			.locator('#recent-orders')
			.getByRole('link', { name: `#${order.display_id}` })
			.click();
		await page.waitForURL(`**/admin/orders/${order.id}`);
		const ship = page.getByRole('form', { name: 'Ship' });
		await ship.getByLabel('Carrier').fill('UPS');
		await ship.getByLabel('Tracking number').fill('1Z999AA10123456784');
		await Promise.all([page.waitForURL(/flash=/), ship.getByRole('button', { name: 'Ship' }).click()]);
		await expect(page.locator('[data-field="fulfillment_status"]').textContent()).resolves.toBe('Shipped');
		await expect(page.locator('[data-field="fulfillment_status"]').getAttribute('data-value')).resolves.toBe('shipped');
		await expect(page.locator('[data-field="tracking_number"]').textContent()).resolves.toBe('1Z999AA10123456784');

		// The customer's tracking data (what the order tracking page reads) says shipped.
		const tracking = await store(server, 'GET', `/orders/cart/${cartId}`);
		expect(tracking.status).toBe(200);
		expect(tracking.json.order.fulfillment_status).toBe('shipped');
		expect(JSON.stringify(tracking.json.order)).toContain('order_shipped');

		// Refunding more than was captured is refused inline; half is accepted.
		const refund = page.getByRole('form', { name: 'Refund' });
		await refund.getByLabel(/Refund amount/).fill(((order.total + 100) / 100).toFixed(2));
		await refund.getByRole('button', { name: 'Refund' }).click();
		await expect(page.locator('.fb-error').textContent()).resolves.toContain('Cannot refund');
		const half = Math.floor(order.total / 2);
		await page
			.getByRole('form', { name: 'Refund' })
			.getByLabel(/Refund amount/)
			.fill((half / 100).toFixed(2));
		// One of the two mugs comes back into stock with this refund.
		await page
			.getByRole('form', { name: 'Refund' })
			.getByLabel(/^Restock/)
			.fill('1');
		await Promise.all([
			page.waitForURL(/flash=/),
			page.getByRole('form', { name: 'Refund' }).getByRole('button', { name: 'Refund' }).click(),
		]);
		await expect(page.locator('[data-field="payment_status"]').textContent()).resolves.toBe('Partially refunded');
		await expect(page.locator('[data-field="amount_refunded"]').textContent()).resolves.toBe(money(half));
		await expect(page.locator('[data-field="returned"]').first().textContent()).resolves.toBe('1');
		await page.screenshot({ path: join(SCREENSHOTS, 'admin-order.png'), fullPage: true });

		// On a phone the pages fit the screen: no sideways scrolling of the page itself (wide tables scroll in their box).
		await page.setViewportSize({ width: 375, height: 812 });
		for (const path of ['/admin', `/admin/orders/${order.id}`, '/admin/orders', '/admin/inventory']) {
			await page.goto(`${server.url}${path}`);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			expect(overflow, path).toBeLessThanOrEqual(0);
		}

		// The refused refund answered 400 on purpose; nothing else may fail.
		expect(problems.filter((p) => !p.startsWith('http 400') && !p.includes('status of 400'))).toEqual([]);
		await page.close();
	});

	it('lets each role into its areas only', async () => {
		const get = (path: string, cookie?: string) =>
			fetch(`${server.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
		// Anonymous: every page sends the visitor to the login page, with the way back.
		for (const path of ADMIN_PAGES) {
			const response = await get(path);
			expect(response.status, path).toBe(303);
			expect(response.headers.get('location'), path).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
		}
		// A customer cannot sign in to the admin, and a customer session opens nothing.
		expect(await loginCookie(CUSTOMER)).toBeNull();
		const customerLogin = await fetch(`${server.url}/store/auth`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify(CUSTOMER),
		});
		const customerCookie = customerLogin.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => /^commerce_session=./.test(c));
		expect(customerCookie).toBeTruthy();
		for (const path of ADMIN_PAGES) expect((await get(path, customerCookie)).status, path).toBe(403);
		// Staff: orders and inventory; everything else is 403, and the nav shows only what staff may open.
		const staffCookie = (await loginCookie(STAFF))!;
		expect(staffCookie).toBeTruthy();
		for (const path of ADMIN_PAGES)
			expect((await get(path, staffCookie)).status, path).toBe(STAFF_PAGES.has(path) ? 200 : 403);
		// Staff signing in without a destination land on the orders, not on the dashboard they may not open.
		const staffLanding = await fetch(`${server.url}/admin/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(STAFF),
		});
		expect(staffLanding.headers.get('location')).toBe('/admin/orders');
		const staffNav = await (await get('/admin/orders', staffCookie)).text();
		expect(staffNav).toContain('>Inventory<');
		expect(staffNav).not.toContain('>Coupons<');
		// Admin: everything, private and not indexed.
		const adminCookie = (await loginCookie(ADMIN))!;
		for (const path of ADMIN_PAGES) {
			const response = await get(path, adminCookie);
			expect(response.status, path).toBe(200);
			expect(response.headers.get('cache-control'), path).toContain('no-store');
		}
		const csv = await (await get('/admin/orders/export.csv', adminCookie)).text();
		expect(csv.split('\r\n')[0]).toContain('display_id');
	});

	it('adjusts stock, creates, edits and disables a coupon, marks a message read, without JavaScript', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		const problems = watchForErrors(page);
		await page.goto(`${server.url}/admin/login?next=%2Fadmin%2Finventory`);
		await page.getByLabel('Email').fill(ADMIN.email);
		await page.getByLabel('Password').fill(ADMIN.password);
		await Promise.all([
			page.waitForURL(`${server.url}/admin/inventory`),
			page.getByRole('button', { name: 'Sign in' }).click(),
		]);

		const row = page.locator('#inventory tbody tr').first();
		const variant = await row.getAttribute('data-variant');
		const before = Number(await row.locator('td').nth(2).textContent());
		await row.getByLabel('Change (+/-)').fill('7');
		await row.getByLabel('Reason').fill('received');
		await Promise.all([page.waitForURL(/flash=/), row.getByRole('button', { name: 'Adjust' }).click()]);
		expect(Number(await page.locator(`#inventory tr[data-variant="${variant}"] td`).nth(2).textContent())).toBe(
			before + 7,
		);
		await page.goto(`${server.url}/admin/inventory/${variant}`);
		await expect(page.locator('#ledger').textContent()).resolves.toContain('received');

		await page.goto(`${server.url}/admin/coupons`);
		const form = page.getByRole('form', { name: 'New coupon' });
		await form.getByLabel('Code').fill('ADMINE2E15');
		await form.getByLabel('Type').selectOption('percentage');
		await form.getByLabel(/^Value/).fill('15');
		await Promise.all([page.waitForURL(/flash=/), form.getByRole('button', { name: 'Create coupon' }).click()]);
		await expect(page.locator('#coupons tr', { hasText: 'ADMINE2E15' }).textContent()).resolves.toContain('15% off');
		// Edit: the form comes back filled in; the new value shows in the list.
		await page.locator('#coupons').getByRole('link', { name: 'ADMINE2E15' }).click();
		const edit = page.getByRole('form', { name: 'Edit coupon' });
		await expect(edit.getByLabel(/^Value/).inputValue()).resolves.toBe('15');
		await edit.getByLabel(/^Value/).fill('20');
		await Promise.all([
			page.waitForURL(/\/admin\/coupons\?flash=/),
			edit.getByRole('button', { name: 'Save' }).click(),
		]);
		const coupon = page.locator('#coupons tr', { hasText: 'ADMINE2E15' });
		await expect(coupon.textContent()).resolves.toContain('20% off');
		await Promise.all([page.waitForURL(/flash=/), coupon.getByRole('button', { name: 'Disable' }).click()]);
		await expect(page.locator('#coupons tr', { hasText: 'ADMINE2E15' }).textContent()).resolves.toContain('disabled');

		// Messages: a contact-form message arrives unread and is toggled read, then unread again.
		const sent = await store(server, 'POST', '/contact', {
			name: 'Sam Bobcat',
			email: 'sam@example.com',
			subject: 'Admin e2e question',
			message: 'Do you ship mugs to Canada?',
		});
		expect(sent.status).toBeLessThan(300);
		await page.goto(`${server.url}/admin/messages`);
		const message = page.locator('article', { hasText: 'Admin e2e question' });
		await Promise.all([page.waitForURL(/flash=/), message.getByRole('button', { name: 'Mark read' }).click()]);
		await expect(
			page
				.locator('article', { hasText: 'Admin e2e question' })
				.getByRole('button', { name: /^Mark (un)?read$/ })
				.textContent(),
		).resolves.toBe('Mark unread');

		for (const path of ['/admin/customers', '/admin/customers/cus_customer_e2e', '/admin/orders?status=pending']) {
			const response = await page.goto(`${server.url}${path}`);
			expect(response?.status(), path).toBe(200);
		}
		// Signing out ends the session: the admin is closed again.
		await Promise.all([
			page.waitForURL(`${server.url}/admin/login`),
			page.getByRole('button', { name: 'Sign out' }).click(),
		]);
		await page.goto(`${server.url}/admin/coupons`);
		expect(new URL(page.url()).pathname).toBe('/admin/login');
		expect(problems).toEqual([]);
		await context.close();
	});
});

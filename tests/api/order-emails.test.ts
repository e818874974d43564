import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, type TestCustomer } from '../helpers/account-session.ts';
import { admin, adminSession } from '../helpers/admin.ts';
import { ADDRESS, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { expectShopFooter } from '../helpers/shop-email.ts';
import { type ReceivedMessage, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// The emails an order sends, as a customer's mail server receives them (real SMTP on loopback, the built demo whose
// astro.config.mjs sets storeAddress, supportEmail and supportUrl): the confirmation with the address in its
// country's format, the shipping method and amount and absolute raster item images (the PNG the build drew of each
// SVG picture); the shipping notice with the carrier's tracking link; the refund notice; the shop's address and
// support contact in both parts of every one.

let server: TestServer;
let smtp: TestSmtpServer;
let boss: TestCustomer;
let hoodie: string;

beforeAll(async () => {
	smtp = await startSmtpServer();
	server = await startServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'FrostBuy <orders@frostbuy.test>' } });
	hoodie = await variantId(server, 'classic-hoodie', 'M');
	boss = await adminSession(server, 'emails-admin@example.com', 'admin');
});
afterAll(async () => {
	await server?.stop();
	await smtp?.close();
});

async function mailWithSubject(subject: string): Promise<ReceivedMessage> {
	await expect.poll(() => smtp.messages.some((m) => m.subject === subject), { timeout: 10_000 }).toBe(true);
	return smtp.messages.find((m) => m.subject === subject)!;
}

describe('order emails', () => {
	it('confirms with the state, shipping method and amount and absolute item images; ships with a tracking link; refunds', async () => {
		const order = await placeOrder(server, null, {
			items: [{ variantId: hoodie, quantity: 1 }],
			email: 'emails@example.com',
			address: { ...ADDRESS, province: 'MD' },
		});

		const confirmed = await mailWithSubject(`Order #${order.display_id} confirmed — FrostBuy`);
		expect(confirmed.to).toEqual(['emails@example.com']);
		expect(confirmed.text).toContain('Frostburg, MD 21532');
		expect(confirmed.text).toMatch(/Shipping \((Standard|Free)[^)]*\): \$\d+\.\d\d/);
		expect(confirmed.text).toMatch(/Shipping method: (Standard|Free)/);
		// Every image a mail client would load is absolute, on the shop's public origin, and raster: the hoodie's picture
		// is an SVG (Gmail and Outlook show none), so the email points at the PNG the build drew of it, which the
		// built store serves as a PNG.
		const images = [...confirmed.html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
		expect(images.length).toBeGreaterThan(0);
		for (const src of images) {
			expect(src).toMatch(new RegExp(`^${server.url}/images/products/[\\w-]+\\.email\\.png$`));
			const image = await fetch(src);
			expect(image.status).toBe(200);
			expect(image.headers.get('content-type')).toMatch(/^image\/(png|jpeg)\b/);
			const bytes = new Uint8Array(await image.arrayBuffer());
			// The PNG signature: the body is an image, not a page that says it is one.
			expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
		}
		expect(confirmed.html).toContain('background:#14213d');
		expectShopFooter(confirmed, server.url);

		expect((await admin(server, boss, 'POST', `/orders/${order.id}/mark-processing`, {})).status).toBe(200);
		const shipped = await admin(server, boss, 'POST', `/orders/${order.id}/ship`, {
			carrier: 'UPS',
			tracking_number: '1Z999AA10123456784',
		});
		expect(shipped.status).toBe(200);
		const shipMail = await mailWithSubject(`Order #${order.display_id} shipped — FrostBuy`);
		const trackingLink = 'https://www.ups.com/track?tracknum=1Z999AA10123456784';
		expect(shipMail.text).toContain(`Track your parcel: ${trackingLink}`);
		expect(shipMail.html).toContain(`href="${trackingLink}"`);
		expectShopFooter(shipMail, server.url);

		const refund = await admin(server, boss, 'POST', `/orders/${order.id}/refund`, { amount: 500 });
		expect(refund.status).toBe(200);
		const refundMail = await mailWithSubject(`Refund of $5.00 for order #${order.display_id} — FrostBuy`);
		expect(refundMail.to).toEqual(['emails@example.com']);
		expect(refundMail.text).toContain('We refunded $5.00 to your');
		expect(refundMail.text).toContain('Refunded so far: $5.00 of the');
		expectShopFooter(refundMail, server.url);
	});
});

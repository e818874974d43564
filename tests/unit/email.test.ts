import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatMoney } from '../../plugins/commerce/src/core/money.ts';
import type { OrderConfirmationInput } from '../../plugins/commerce/src/email/index.ts';
import {
	backInStockEmail,
	cartReminderEmail,
	contactReplyEmail,
	createMailer,
	escapeHtml,
	orderConfirmationEmail,
	orderRefundedEmail,
	orderShippedEmail,
	renderLayout,
	resolveMailerConfig,
	SafeHtml,
	stockAlertConfirmEmail,
	trackingUrl,
} from '../../plugins/commerce/src/email/index.ts';
import type { TestSmtpServer } from '../helpers/smtp.ts';
import { parseRawMessage, startSmtpServer } from '../helpers/smtp.ts';

const FROM = 'FrostBuy <orders@frostbuy.local>';

function order(overrides: Partial<OrderConfirmationInput> = {}): OrderConfirmationInput {
	return {
		displayId: 1042,
		email: 'ada@example.com',
		currency: 'usd',
		items: [
			{ title: 'Campus Hoodie', variantTitle: 'Large / Navy', quantity: 2, unitPrice: 4999, total: 9998 },
			{ title: 'Sticker Pack', variantTitle: '', quantity: 1, unitPrice: 599, total: 599 },
		],
		subtotal: 10597,
		discountTotal: 1000,
		shippingTotal: 500,
		taxTotal: 848,
		total: 10945,
		shippingAddress: {
			firstName: 'Ada',
			lastName: 'Lovelace',
			address1: '12 Analytical Row',
			city: 'Springfield',
			postalCode: '12345',
			countryCode: 'us',
		},
		orderUrl: 'https://shop.example/orders/ord_123?token=secret-token',
		shopName: 'FrostBuy',
		shop: {},
		...overrides,
	};
}

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'frostbuy-email-'));
});
afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('orderConfirmationEmail', () => {
	it('lists items, totals, address, next steps and the order link in text and HTML', () => {
		const email = orderConfirmationEmail(order());
		expect(email.subject).toBe('Order #1042 confirmed — FrostBuy');
		for (const body of [email.text, email.html]) {
			expect(body).toContain('#1042');
			expect(body).toContain('Campus Hoodie');
			expect(body).toContain('Large / Navy');
			expect(body).toContain(formatMoney(4999, 'usd'));
			expect(body).toContain('$109.45');
			expect(body).toContain('-$10.00');
			expect(body).toContain('Ada Lovelace');
			// The US format (issue 13): city, state and ZIP on one line, the country by name.
			expect(body).toContain('Springfield, 12345');
			expect(body).toContain('United States');
		}
		expect(email.text).toContain("We'll email you when it ships");
		expect(email.html).toContain('We&#39;ll email you when it ships');
		expect(email.text).toContain('https://shop.example/orders/ord_123?token=secret-token');
		expect(email.html).toContain('href="https://shop.example/orders/ord_123?token=secret-token"');
		expect(email.html).toContain('#14213d');
		expect(email.html).toContain('name="viewport"');
	});

	it('escapes every interpolated value in the HTML', () => {
		const email = orderConfirmationEmail(
			order({
				shopName: 'Tom & Jerry "Shop"',
				items: [
					{ title: '<script>alert(1)</script>', variantTitle: '<b>x</b>', quantity: 1, unitPrice: 100, total: 100 },
				],
				shippingAddress: { firstName: '<img src=x onerror=alert(1)>' },
				orderUrl: 'https://shop.example/o?a=1&b="2"',
			}),
		);
		expect(email.html).not.toContain('<script>');
		expect(email.html).not.toContain('<img');
		expect(email.html).not.toContain('<b>x');
		expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(email.html).toContain('Tom &amp; Jerry &quot;Shop&quot;');
		expect(email.html).toContain('href="https://shop.example/o?a=1&amp;b=&quot;2&quot;"');
		// Plain text is not HTML, so it keeps the title as written.
		expect(email.text).toContain('<script>alert(1)</script>');
	});

	it('leaves out the discount and the address when there are none', () => {
		const email = orderConfirmationEmail(order({ discountTotal: 0, shippingAddress: null }));
		expect(email.text).not.toContain('Discount');
		expect(email.text).not.toContain('Shipping to');
		expect(email.html).not.toContain('Shipping to');
	});

	it('formats amounts in the order currency', () => {
		const email = orderConfirmationEmail(order({ currency: 'jpy', total: 5000 }));
		expect(email.text).toContain(`Total: ${formatMoney(5000, 'jpy')}`);
	});
});

describe('escapeHtml', () => {
	it('escapes the five HTML-significant characters', () => {
		expect(escapeHtml(`<a href="x">Tom's & co</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;');
	});
});

describe('createMailer over SMTP', () => {
	let smtp: TestSmtpServer;
	beforeAll(async () => {
		smtp = await startSmtpServer();
	});
	afterAll(async () => {
		await smtp.close();
	});

	it('delivers the order confirmation to the SMTP server', async () => {
		const lines: string[] = [];
		const mailer = createMailer({
			smtpUrl: smtp.url,
			outboxDir: join(dir, 'outbox'),
			from: FROM,
			log: (l) => lines.push(l),
		});
		const email = orderConfirmationEmail(order());
		const result = await mailer.send({ to: 'ada@example.com', ...email });
		await smtp.waitFor(1);

		const [message] = smtp.messages;
		expect(message?.to).toEqual(['ada@example.com']);
		expect(message?.from).toBe('orders@frostbuy.local');
		expect(message?.headers.from).toBe(FROM);
		expect(message?.headers.to).toBe('ada@example.com');
		expect(message?.subject).toBe('Order #1042 confirmed — FrostBuy');
		expect(message?.headers['message-id']).toBe(result.messageId);
		expect(message?.text).toContain('Order #1042');
		expect(message?.text).toContain('Total: $109.45');
		expect(message?.raw).toMatch(/Content-Type: text\/html/i);
		expect(result.outboxFile).toBeUndefined();
		expect(lines).toEqual([]);
		await expect(readdir(dir)).resolves.toEqual([]);
	});

	it('rejects header injection before anything is sent', async () => {
		const before = smtp.messages.length;
		const mailer = createMailer({ smtpUrl: smtp.url, outboxDir: dir, from: FROM });
		const base = { to: 'ada@example.com', subject: 'Hi', text: 't', html: '<p>t</p>' };
		await expect(mailer.send({ ...base, to: 'ada@example.com\r\nBcc: eve@example.com' })).rejects.toThrow(
			/to contains a line break/,
		);
		await expect(mailer.send({ ...base, subject: 'Hi\nBcc: eve@example.com' })).rejects.toThrow(
			/subject contains a line break/,
		);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(smtp.messages.length).toBe(before);
	});
});

describe('createMailer outbox', () => {
	it('writes exactly one .eml file and logs one line without the body', async () => {
		const outboxDir = join(dir, 'nested', 'outbox');
		const lines: string[] = [];
		const mailer = createMailer({ outboxDir, from: FROM, log: (l) => lines.push(l) });
		const email = orderConfirmationEmail(order());
		const result = await mailer.send({ to: 'ada@example.com', ...email });

		const files = await readdir(outboxDir);
		expect(files).toHaveLength(1);
		const [file = ''] = files;
		expect(file).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-order-1042-confirmed-frostbuy\.eml$/);
		expect(result.outboxFile).toBe(join(outboxDir, file));

		const eml = await readFile(join(outboxDir, file), 'utf8');
		expect(eml).not.toContain('\r\n');
		const parsed = parseRawMessage(eml);
		expect(parsed.headers.from).toBe(FROM);
		expect(parsed.headers.to).toBe('ada@example.com');
		expect(parsed.subject).toBe(email.subject);
		expect(parsed.headers['message-id']).toBe(result.messageId);
		expect(parsed.text).toContain('Total: $109.45');

		expect(lines).toEqual([`[commerce] email to ada@example.com: "${email.subject}" written to ${result.outboxFile}`]);
		expect(lines[0]).not.toContain('secret-token');
		expect(lines[0]).not.toContain('$109.45');
	});

	it('makes the folder again when it was removed between two messages, under the same file name rules', async () => {
		const outboxDir = join(dir, 'again');
		const mailer = createMailer({ outboxDir, from: FROM, log: () => {} });
		const message = { to: 'ada@example.com', subject: 'First', text: 't', html: '<p>t</p>' };
		await mailer.send(message);
		await rm(outboxDir, { recursive: true });
		const second = await mailer.send({ ...message, subject: 'Second' });
		expect(await readdir(outboxDir)).toEqual([basename(second.outboxFile ?? '')]);
		expect(second.outboxFile).toMatch(/Z-second\.eml$/);
	});

	it('keeps both files when two messages share a subject', async () => {
		const mailer = createMailer({ outboxDir: dir, from: FROM, log: () => {} });
		const message = { to: 'ada@example.com', subject: 'Same', text: 't', html: '<p>t</p>' };
		await Promise.all([mailer.send(message), mailer.send(message), mailer.send(message)]);
		expect(await readdir(dir)).toHaveLength(3);
	});

	it('rejects header injection without writing a file', async () => {
		const mailer = createMailer({ outboxDir: dir, from: FROM, log: () => {} });
		await expect(
			mailer.send({ to: 'a@example.com\nBcc: b@example.com', subject: 'x', text: '', html: '' }),
		).rejects.toThrow(/line break/);
		await expect(mailer.send({ to: 'a@example.com', subject: 'x\r', text: '', html: '' })).rejects.toThrow(
			/line break/,
		);
		expect(await readdir(dir)).toEqual([]);
	});

	it('refuses a From with a line break up front', () => {
		expect(() => createMailer({ outboxDir: dir, from: 'a@example.com\nBcc: b@example.com' })).toThrow(
			/from contains a line break/,
		);
	});
});

describe('resolveMailerConfig', () => {
	it('defaults to the dev outbox under db/outbox and the FrostBuy sender', () => {
		expect(resolveMailerConfig({}, '/srv/shop')).toEqual({
			outboxDir: '/srv/shop/db/outbox',
			from: 'FrostBuy <orders@frostbuy.local>',
		});
	});

	it('reads SMTP_URL, MAIL_FROM and COMMERCE_OUTBOX', () => {
		const env = { SMTP_URL: 'smtp://mail:25', MAIL_FROM: 'Shop <s@example.com>', COMMERCE_OUTBOX: 'tmp/mail' };
		expect(resolveMailerConfig(env, '/srv/shop')).toEqual({
			smtpUrl: 'smtp://mail:25',
			outboxDir: '/srv/shop/tmp/mail',
			from: 'Shop <s@example.com>',
		});
		expect(resolveMailerConfig({ COMMERCE_OUTBOX: '/var/outbox', SMTP_URL: '' }, '/srv/shop')).toEqual({
			outboxDir: '/var/outbox',
			from: 'FrostBuy <orders@frostbuy.local>',
		});
	});
});

const SHOP = {
	address: 'FrostBuy campus store\n101 Braddock Road\nFrostburg, MD 21532',
	supportEmail: 'help@frostbuy.example',
	contactUrl: 'https://shop.example/contact/',
	color: '#7a1f2b',
};

describe('the email shell (issue 13)', () => {
	it('puts the address and support contact in the footer and the shop colour in the header', () => {
		const page = renderLayout({ shopName: 'FrostBuy', title: 't', content: new SafeHtml('<p>x</p>'), shop: SHOP });
		expect(page).toContain('101 Braddock Road<br>Frostburg, MD 21532');
		expect(page).toContain('href="mailto:help@frostbuy.example"');
		expect(page).toContain('href="https://shop.example/contact/"');
		expect(page).toContain('background:#7a1f2b');
	});

	it('gives the back-in-stock notice, its confirmation and the cart reminder the same footer and colour', () => {
		const emails = [
			backInStockEmail({
				shopName: 'FrostBuy',
				shop: SHOP,
				productTitle: 'Mug',
				variantTitle: 'White',
				productUrl: 'https://shop.example/products/mug/',
			}),
			stockAlertConfirmEmail({
				shopName: 'FrostBuy',
				shop: SHOP,
				productTitle: 'Mug',
				variantTitle: 'White',
				confirmUrl: 'https://shop.example/store/stock-alerts/confirm?token=t',
			}),
			cartReminderEmail({
				shopName: 'FrostBuy',
				shop: SHOP,
				currency: 'usd',
				items: [{ title: 'Mug', variantTitle: 'White', quantity: 1, unitPrice: 1499 }],
				restoreUrl: 'https://shop.example/r',
				unsubscribeUrl: 'https://shop.example/u',
				validDays: 7,
			}),
		];
		for (const email of emails) {
			for (const part of [email.text, email.html]) {
				expect(part).toContain('101 Braddock Road');
				expect(part).toContain('help@frostbuy.example');
				expect(part).toContain('https://shop.example/contact/');
			}
			expect(email.html).toContain('background:#7a1f2b');
		}
	});

	it('refuses a colour that is not #rrggbb (it lands in a style attribute) and falls back to navy', () => {
		const page = renderLayout({
			shopName: 'S',
			title: 't',
			content: new SafeHtml(''),
			shop: { color: 'red;background:url(https://evil.example)' },
		});
		expect(page).not.toContain('evil.example');
		expect(page).toContain('background:#14213d');
	});

	it('confirms with the state, the shipping method and its amount, item images and the footer in both parts', () => {
		const email = orderConfirmationEmail(
			order({
				shippingMethod: 'Standard (3-5 business days)',
				shippingAddress: {
					firstName: 'Ada',
					address1: '1 Main St',
					city: 'Frostburg',
					province: 'MD',
					postalCode: '21532',
					countryCode: 'us',
				},
				items: [
					{
						title: 'Hoodie',
						variantTitle: 'M',
						quantity: 1,
						unitPrice: 500,
						total: 500,
						imageUrl: 'https://shop.example/images/h.png',
					},
				],
				shop: SHOP,
			}),
		);
		expect(email.text).toContain('Shipping (Standard (3-5 business days)): $5.00');
		expect(email.text).toContain('Frostburg, MD 21532');
		expect(email.html).toContain('<img src="https://shop.example/images/h.png" alt="Hoodie (M)"');
		for (const body of [email.text, email.html]) {
			expect(body).toContain('101 Braddock Road');
			expect(body).toContain('help@frostbuy.example');
		}
	});

	it("links the carrier's tracking page for known carriers only", () => {
		expect(trackingUrl('UPS', '1Z 999')).toBe('https://www.ups.com/track?tracknum=1Z%20999');
		expect(trackingUrl('usps', '9400')).toContain('tools.usps.com');
		expect(trackingUrl("Bob's Van", '123')).toBeNull();
		expect(trackingUrl('constructor', '123')).toBeNull();
		const shipped = orderShippedEmail({
			displayId: 7,
			email: 'a@example.com',
			carrier: 'FedEx',
			trackingNumber: '1234',
			items: [{ title: 'Mug', variantTitle: null, quantity: 1 }],
			orderUrl: 'https://shop.example/o/7',
			shopName: 'FrostBuy',
			shop: {},
		});
		expect(shipped.text).toContain('Track your parcel: https://www.fedex.com/fedextrack/?trknbr=1234');
		expect(shipped.html).toContain('href="https://www.fedex.com/fedextrack/?trknbr=1234"');
	});

	it('tells a partial refund from a full one', () => {
		const base = {
			displayId: 9,
			email: 'a@example.com',
			currency: 'usd',
			paid: 2000,
			cardBrand: 'visa',
			cardLast4: '4242',
			orderUrl: 'https://shop.example/o/9',
			shopName: 'FrostBuy',
			shop: {},
		};
		const partial = orderRefundedEmail({ ...base, amount: 500, refundedTotal: 500 });
		expect(partial.subject).toBe('Refund of $5.00 for order #9 — FrostBuy');
		expect(partial.text).toContain('We refunded $5.00 to your VISA card ending in 4242.');
		expect(partial.text).toContain('Refunded so far: $5.00 of the $20.00 you paid.');
		const full = orderRefundedEmail({ ...base, amount: 1500, refundedTotal: 2000 });
		expect(full.text).toContain('Your payment of $20.00 is now refunded in full.');
	});
});

describe('contactReplyEmail', () => {
	it('answers with "Re:", the reply first and the earlier messages quoted, newest first', () => {
		const email = contactReplyEmail({
			name: 'Robin',
			subject: 'Sizes',
			reply: 'PS: exchanges are free.',
			thread: [
				{ from: 'Robin <r@example.com>', at: '2026-12-01 10:00 UTC', text: 'Does it run <small>?' },
				{ from: 'FrostBuy', at: '2026-12-01 11:00 UTC', text: 'True to size.' },
			],
			shopName: 'FrostBuy',
			shop: {},
		});
		expect(email.subject).toBe('Re: Sizes');
		expect(email.text.indexOf('PS: exchanges')).toBeLessThan(email.text.indexOf('> True to size.'));
		expect(email.text.indexOf('> True to size.')).toBeLessThan(email.text.indexOf('> Does it run <small>?'));
		expect(email.html).toContain('Does it run &lt;small&gt;?');
		expect(
			contactReplyEmail({ name: 'R', subject: 'Re: Sizes', reply: 'x', thread: [], shopName: 'S', shop: {} }).subject,
		).toBe('Re: Sizes');
	});
});

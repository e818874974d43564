import Medusa from '@medusajs/medusa-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCustomer } from '../helpers/account-session.ts';
import { admin, adminSession } from '../helpers/admin.ts';
import { ADDRESS, EXP_YEAR, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { expectShopFooter } from '../helpers/shop-email.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// A gift card sold as a product (content/products/gift-card.md, `giftCard: true`), end to end through medusa-js: bought
// with the test provider, its code received by email on a loopback SMTP server, shown in the admin as sold with the
// order, and redeemed on a new cart. With the manual provider the card exists only once the merchant captures.

interface Cart {
	id: string;
	total: number;
	gift_card_total: number;
	gift_cards: { code: string }[];
}
interface Order {
	id: string;
	total: number;
	gift_card_total: number;
	payment_status: string;
	items: { is_giftcard: boolean }[];
}

let server: TestServer;
let smtp: TestSmtpServer;
let medusa: Medusa;
let boss: TestCustomer;

beforeAll(async () => {
	smtp = await startSmtpServer();
	server = await startServer({ env: { SMTP_URL: smtp.url, COMMERCE_OUTBOX_POLL_MS: '100' } });
	medusa = new Medusa({ baseUrl: server.url, maxRetries: 0 });
	boss = await adminSession(server, 'giftcards-admin@example.com', 'admin');
});
afterAll(async () => {
	await server?.stop();
	await smtp?.close();
});

const giftMails = (email: string) => smtp.messages.filter((m) => m.to.includes(email) && /gift card/.test(m.subject));
const codeIn = (text: string) => /Code: ([A-Z0-9-]{19})/.exec(text)?.[1];

/** A cart through medusa-js with the items, up to the chosen payment session of `provider`. */
async function cartFor(email: string, items: { variantId: string; quantity: number }[], provider: 'test' | 'manual') {
	const { cart } = (await medusa.carts.create({ region_id: 'reg_us' })) as unknown as { cart: Cart };
	for (const item of items)
		await medusa.carts.lineItems.create(cart.id, { variant_id: item.variantId, quantity: item.quantity });
	await medusa.carts.update(cart.id, { email, shipping_address: ADDRESS, billing_address: ADDRESS });
	const { shipping_options } = (await medusa.shippingOptions.listCartOptions(cart.id)) as unknown as {
		shipping_options: { id: string }[];
	};
	await medusa.carts.addShippingMethod(cart.id, { option_id: shipping_options[0].id });
	await medusa.carts.createPaymentSessions(cart.id);
	await medusa.carts.setPaymentSession(cart.id, { provider_id: provider });
	if (provider === 'test')
		await medusa.carts.updatePaymentSession(cart.id, 'test', {
			data: { card_number: '4242 4242 4242 4242', exp_month: 12, exp_year: EXP_YEAR, cvc: '123' },
		});
	return cart.id;
}

describe('gift cards sold as a product', () => {
	it('buys a card, emails its code, shows it in the admin and redeems it on a new cart', async () => {
		const { products } = (await medusa.products.list({ handle: 'gift-card' })) as unknown as {
			products: { is_giftcard: boolean; variants: { id: string; title: string }[] }[];
		};
		expect(products[0].is_giftcard).toBe(true);
		const fifty = await variantId(server, 'gift-card', '50');

		const cartId = await cartFor('giver@example.com', [{ variantId: fifty, quantity: 2 }], 'test');
		// Line items say what they sell, as Medusa's do: the cart's and the order's.
		const { cart: priced } = (await medusa.carts.retrieve(cartId)) as unknown as {
			cart: { items: { is_giftcard: boolean }[] };
		};
		expect(priced.items.map((item) => item.is_giftcard)).toEqual([true]);
		const placed = (await medusa.carts.complete(cartId)) as unknown as { type: string; data: Order };
		expect(placed.type).toBe('order');
		expect(placed.data.payment_status).toBe('captured');
		expect(placed.data.items.map((item) => item.is_giftcard)).toEqual([true]);

		await expect.poll(() => giftMails('giver@example.com').length, { timeout: 15_000, interval: 200 }).toBe(2);
		const codes = giftMails('giver@example.com').map((m) => codeIn(m.text));
		expect(codes.every(Boolean)).toBe(true);
		expect(new Set(codes).size).toBe(2);
		expect(giftMails('giver@example.com')[0].subject).toBe('Your $50.00 gift card for FrostBuy');
		// Like every email of the shop, it carries the store's address and support contact.
		expectShopFooter(giftMails('giver@example.com')[0], server.url);

		// The admin sees both cards, sold with the order, at full balance.
		const { json } = await admin(server, boss, 'GET', '/gift-cards');
		const sold = json.gift_cards.filter((c: { order_id: string | null }) => c.order_id === placed.data.id);
		expect(sold.map((c: { code: string }) => c.code).sort()).toEqual([...codes].sort());
		expect(sold.every((c: { value: number; balance: number }) => c.value === 5000 && c.balance === 5000)).toBe(true);
		const adminPage = await fetch(`${server.url}/admin/gift-cards`, { headers: { cookie: boss.cookie } });
		expect(await adminPage.text()).toContain(`data-bought-with="${placed.data.id}"`);

		// Redeemed by someone else on a new cart, through medusa-js.
		const tee = await variantId(server, 'bobcat-paw-tee');
		const { cart } = (await medusa.carts.create({ region_id: 'reg_us' })) as unknown as { cart: Cart };
		await medusa.carts.lineItems.create(cart.id, { variant_id: tee, quantity: 1 });
		const before = ((await medusa.carts.retrieve(cart.id)) as unknown as { cart: Cart }).cart;
		const { cart: withCard } = (await medusa.carts.update(cart.id, {
			gift_cards: [{ code: codes[0]! }],
		})) as unknown as {
			cart: Cart;
		};
		expect(withCard.gift_cards.map((g) => g.code)).toEqual([codes[0]]);
		expect(withCard.gift_card_total).toBeGreaterThan(0);
		expect(withCard.total).toBe(Math.max(0, before.total - withCard.gift_card_total));

		await store(server, 'POST', `/carts/${cart.id}`, { email: 'friend@example.com', shipping_address: ADDRESS });
		const options = await store(server, 'GET', `/shipping-options/${cart.id}`);
		await store(server, 'POST', `/carts/${cart.id}/shipping-methods`, {
			option_id: options.json.shipping_options[0].id,
		});
		await store(server, 'POST', `/carts/${cart.id}/payment-sessions`, {});
		await store(server, 'POST', `/carts/${cart.id}/payment-session`, { provider_id: 'test' });
		const redeemed = (await medusa.carts.complete(cart.id)) as unknown as { type: string; data: Order };
		expect(redeemed.type).toBe('order');
		expect(redeemed.data.gift_card_total).toBeGreaterThan(0);
		const card = (await medusa.giftCards.retrieve(codes[0]!)) as unknown as { gift_card: { balance: number } };
		expect(card.gift_card.balance).toBe(5000 - redeemed.data.gift_card_total);
	});

	it('sends the card to the recipient the line names in its metadata, with the message; a bad address is a 400', async () => {
		const fifty = await variantId(server, 'gift-card', '50');
		const { cart } = (await medusa.carts.create({ region_id: 'reg_us' })) as unknown as { cart: Cart };
		const bad = await store(server, 'POST', `/carts/${cart.id}/line-items`, {
			variant_id: fifty,
			quantity: 1,
			metadata: { recipient_email: 'not-an-address' },
		});
		expect(bad.status).toBe(400);
		expect(bad.json.message).toContain('recipient_email');
		const long = await store(server, 'POST', `/carts/${cart.id}/line-items`, {
			variant_id: fifty,
			quantity: 1,
			metadata: { recipient_email: 'friend@example.com', message: 'x'.repeat(501) },
		});
		expect(long.status).toBe(400);

		const metadata = { recipient_email: 'friend@example.com', recipient_name: 'Robin', message: 'Happy birthday!' };
		await medusa.carts.lineItems.create(cart.id, { variant_id: fifty, quantity: 1, metadata });
		await medusa.carts.update(cart.id, {
			email: 'sender@example.com',
			shipping_address: ADDRESS,
			billing_address: ADDRESS,
		});
		const { shipping_options } = (await medusa.shippingOptions.listCartOptions(cart.id)) as unknown as {
			shipping_options: { id: string }[];
		};
		await medusa.carts.addShippingMethod(cart.id, { option_id: shipping_options[0]!.id });
		await medusa.carts.createPaymentSessions(cart.id);
		await medusa.carts.setPaymentSession(cart.id, { provider_id: 'test' });
		await medusa.carts.updatePaymentSession(cart.id, 'test', {
			data: { card_number: '4242 4242 4242 4242', exp_month: 12, exp_year: EXP_YEAR, cvc: '123' },
		});
		const placed = (await medusa.carts.complete(cart.id)) as unknown as {
			data: Order & { items: { metadata: unknown }[] };
		};
		expect(placed.data.payment_status).toBe('captured');
		expect(placed.data.items[0]!.metadata).toEqual(metadata);

		await expect.poll(() => giftMails('friend@example.com').length, { timeout: 15_000, interval: 200 }).toBe(1);
		const mail = giftMails('friend@example.com')[0]!;
		expect(mail.text).toContain('Robin, you received a $50.00 gift card for FrostBuy');
		expect(mail.text).toContain('Message from the sender: Happy birthday!');
		const code = codeIn(mail.text)!;
		expect(
			((await medusa.giftCards.retrieve(code)) as unknown as { gift_card: { balance: number } }).gift_card.balance,
		).toBe(5000);
		// The purchaser got the order confirmation, not the code.
		expect(giftMails('sender@example.com')).toHaveLength(0);
	});

	it('disables the cards an order bought when the order is canceled, also on a cart that already holds one', async () => {
		const hundred = await variantId(server, 'gift-card', '100');
		const cartId = await cartFor('regret@example.com', [{ variantId: hundred, quantity: 1 }], 'test');
		const placed = (await medusa.carts.complete(cartId)) as unknown as { type: string; data: Order };
		expect(placed.data.payment_status).toBe('captured');
		await expect.poll(() => giftMails('regret@example.com').length, { timeout: 15_000, interval: 200 }).toBe(1);
		const code = codeIn(giftMails('regret@example.com')[0]!.text)!;
		const bought = (await admin(server, boss, 'GET', '/gift-cards')).json.gift_cards.find(
			(c: { order_id: string | null }) => c.order_id === placed.data.id,
		);
		expect(bought).toMatchObject({ code, is_disabled: false, balance: 10000 });
		// Usable before the cancel.
		const { cart } = (await medusa.carts.create({ region_id: 'reg_us' })) as unknown as { cart: Cart };
		await medusa.carts.lineItems.create(cart.id, {
			variant_id: await variantId(server, 'bobcat-paw-tee'),
			quantity: 1,
		});
		await medusa.carts.update(cart.id, { gift_cards: [{ code }] });

		const canceled = await admin(server, boss, 'POST', `/orders/${placed.data.id}/cancel`, {});
		expect(canceled.status).toBe(200);
		const after = await admin(server, boss, 'GET', `/gift-cards/${bought.id}`);
		expect(after.json.gift_card).toMatchObject({ is_disabled: true });
		expect((await store(server, 'GET', `/gift-cards/${code}`)).status).toBe(404);
		const refused = await store(server, 'POST', `/carts/${cart.id}`, { gift_cards: [{ code }] });
		expect(refused.status).toBeGreaterThanOrEqual(400);
		expect(refused.json.code).toBe('gift_card_disabled');
		// The cart that held it before the cancel cannot spend it either.
		const held = ((await medusa.carts.retrieve(cart.id)) as unknown as { cart: Cart }).cart;
		expect(held.gift_card_total).toBe(0);
	});

	it('with the manual provider, issues the card only when the merchant captures', async () => {
		const twentyFive = await variantId(server, 'gift-card', '25');
		const cartId = await cartFor('offline@example.com', [{ variantId: twentyFive, quantity: 1 }], 'manual');
		const placed = (await medusa.carts.complete(cartId)) as unknown as { type: string; data: Order };
		expect(placed.data.payment_status).toBe('awaiting');
		const none = await admin(server, boss, 'GET', '/gift-cards');
		expect(none.json.gift_cards.some((c: { order_id: string | null }) => c.order_id === placed.data.id)).toBe(false);

		const captured = await admin(server, boss, 'POST', `/orders/${placed.data.id}/capture`, {});
		expect(captured.status).toBe(200);
		await expect.poll(() => giftMails('offline@example.com').length, { timeout: 15_000, interval: 200 }).toBe(1);
		expect(giftMails('offline@example.com')[0].subject).toBe('Your $25.00 gift card for FrostBuy');
		const after = await admin(server, boss, 'GET', '/gift-cards');
		expect(
			after.json.gift_cards.filter((c: { order_id: string | null }) => c.order_id === placed.data.id),
		).toHaveLength(1);
	});
});

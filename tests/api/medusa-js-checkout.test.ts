import Medusa from '@medusajs/medusa-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { ADDRESS, EXP_YEAR, readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// Guest checkout as a Medusa storefront runs it, through @medusajs/medusa-js, with the offline test provider, and the
// confirmation email received by a real SMTP server on loopback.

interface Cart {
	id: string;
	total: number;
	payment_sessions: { provider_id: string }[];
	payment_session: { provider_id: string; status: string; data: Record<string, unknown> } | null;
	completed_at: string | null;
}
interface Order {
	id: string;
	display_id: number;
	email: string;
	status: string;
	payment_status: string;
	fulfillment_status: string;
	total: number;
	subtotal: number;
	discount_total: number;
	items: { title: string; unit_price: number; quantity: number }[];
	payments: { amount: number; data: Record<string, unknown> }[];
	shipping_address: { postal_code: string };
}
type Completion = { type: 'order'; data: Order } | { type: 'cart'; data: Cart };

let server: TestServer;
let smtp: TestSmtpServer;
let medusa: Medusa;

beforeAll(async () => {
	smtp = await startSmtpServer();
	server = await startServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'FrostBuy <orders@frostbuy.test>' } });
	medusa = new Medusa({ baseUrl: server.url, maxRetries: 2 });
});
afterAll(async () => {
	await server?.stop();
	await smtp?.close();
});

async function failure(call: Promise<unknown>) {
	try {
		await call;
	} catch (error) {
		const response = (
			error as { response?: { status: number; data: { type: string; message: string; code?: string } } }
		).response;
		if (response) return response;
		throw error;
	}
	throw new Error('expected the call to fail');
}

/** A guest cart through medusa-js up to the chosen payment session. */
async function guestCart(email: string, card?: string): Promise<string> {
	const hoodie = await variantId(server, 'classic-hoodie', 'L');
	const { cart } = (await medusa.carts.create({ region_id: 'reg_us' })) as unknown as { cart: Cart };
	await medusa.carts.lineItems.create(cart.id, { variant_id: hoodie, quantity: 1 });
	await medusa.carts.update(cart.id, {
		email,
		shipping_address: ADDRESS,
		billing_address: ADDRESS,
		discounts: [{ code: 'FROSTBURG10' }],
	});
	const { shipping_options } = (await medusa.shippingOptions.listCartOptions(cart.id)) as unknown as {
		shipping_options: { id: string }[];
	};
	await medusa.carts.addShippingMethod(cart.id, { option_id: shipping_options[0].id });
	const sessions = (await medusa.carts.createPaymentSessions(cart.id)) as unknown as { cart: Cart };
	expect(sessions.cart.payment_sessions.map((s) => s.provider_id).sort()).toEqual(['manual', 'test']);
	await medusa.carts.setPaymentSession(cart.id, { provider_id: 'test' });
	if (card)
		await medusa.carts.updatePaymentSession(cart.id, 'test', {
			data: { card_number: card, exp_month: 12, exp_year: EXP_YEAR, cvc: '123' },
		});
	return cart.id;
}

describe('medusa-js guest checkout with the test provider', () => {
	it('places an order: createPaymentSessions → setPaymentSession → complete → orders.retrieve, and emails it', async () => {
		const cartId = await guestCart('first@example.com', '4242 4242 4242 4242');
		const before = (await medusa.carts.retrieve(cartId)) as unknown as { cart: Cart };
		expect(before.cart.payment_session?.data).toMatchObject({ brand: 'visa', last4: '4242' });
		expect(JSON.stringify(before.cart)).not.toContain('4242424242424242');

		const result = (await medusa.carts.complete(cartId)) as unknown as Completion;
		expect(result.type).toBe('order');
		const order = (result as { data: Order }).data;
		// 39.99 − 10 % (4.00) = 35.99 ≥ 35 → free shipping; tax 6 % of 35.99 = 2.1594 → 2.16
		expect(order).toMatchObject({
			email: 'first@example.com',
			status: 'pending',
			payment_status: 'captured',
			fulfillment_status: 'not_fulfilled',
			subtotal: 3999,
			discount_total: 400,
			total: 3999 - 400 + 216,
		});
		expect(order.items).toEqual([
			expect.objectContaining({ title: 'Frostburg Classic Hoodie', unit_price: 3999, quantity: 1 }),
		]);
		expect(order.payments[0]).toMatchObject({ amount: order.total, data: { brand: 'visa', last4: '4242' } });
		expect(order.display_id).toBeGreaterThan(1000);

		const again = (await medusa.carts.complete(cartId)) as unknown as Completion;
		expect(again.type === 'order' && again.data.id).toBe(order.id);
		// The first answer is the order as the completion wrote it (not read back); the repeat reads it: both the same.
		expect((again as { data: Order }).data).toEqual(order);
		const { order: retrieved } = (await medusa.orders.retrieve(order.id)) as unknown as { order: Order };
		expect(retrieved.total).toBe(order.total);
		const { order: byCart } = (await medusa.orders.retrieveByCartId(cartId)) as unknown as { order: Order };
		expect(byCart.id).toBe(order.id);

		await smtp.waitFor(1);
		const mail = smtp.messages.find((m) => m.to.includes('first@example.com'))!;
		expect(mail.subject).toBe(`Order #${order.display_id} confirmed — FrostBuy`);
		expect(mail.text).toContain(`#${order.display_id}`);
		expect(mail.text).toContain('$38.15');
	});

	it('refuses insufficient funds with 422, keeps the cart, and succeeds with another card', async () => {
		const cartId = await guestCart('retry@example.com', '4000 0000 0000 9995');
		const refused = await failure(medusa.carts.complete(cartId));
		expect(refused.status).toBe(422);
		expect(refused.data).toMatchObject({
			type: 'payment_authorization_error',
			message: 'Your card has insufficient funds.',
		});
		const { cart } = (await medusa.carts.retrieve(cartId)) as unknown as { cart: Cart };
		expect(cart.completed_at).toBeNull();
		const declined = await failure(
			(async () => {
				await medusa.carts.updatePaymentSession(cartId, 'test', {
					data: { card_number: '4000 0000 0000 0002', exp_month: 12, exp_year: EXP_YEAR, cvc: '123' },
				});
				return medusa.carts.complete(cartId);
			})(),
		);
		expect(declined.data.message).toBe('Your card was declined.');
		await medusa.carts.updatePaymentSession(cartId, 'test', {
			data: { card_number: '4242424242424242', exp_month: 12, exp_year: EXP_YEAR, cvc: '123' },
		});
		const result = (await medusa.carts.complete(cartId)) as unknown as Completion;
		expect(result.type).toBe('order');
	});

	it('asks for the extra confirmation step of card 3155 before placing the order', async () => {
		const cartId = await guestCart('threeds@example.com', '4000 0025 0000 3155');
		const first = (await medusa.carts.complete(cartId)) as unknown as Completion;
		expect(first.type).toBe('cart');
		expect((first as { data: Cart }).data.payment_session).toMatchObject({
			status: 'requires_more',
			data: { next_action: 'confirm' },
		});
		await medusa.carts.updatePaymentSession(cartId, 'test', { data: { confirm: true } });
		const second = (await medusa.carts.complete(cartId)) as unknown as Completion;
		expect(second.type).toBe('order');
	});

	it('refuses an invalid card number, an expired card and completion without payment, email or shipping', async () => {
		const cartId = await guestCart('invalid@example.com');
		const invalid = await failure(
			medusa.carts.updatePaymentSession(cartId, 'test', {
				data: { card_number: '4242 4242 4242 4241', exp_month: 12, exp_year: EXP_YEAR, cvc: '123' },
			}),
		);
		expect(invalid.status).toBe(400);
		expect(invalid.data.message).toBe('Your card number is incorrect.');
		await medusa.carts.updatePaymentSession(cartId, 'test', {
			data: { card_number: '4000 0000 0000 0069', exp_month: 12, exp_year: EXP_YEAR, cvc: '123' },
		});
		expect((await failure(medusa.carts.complete(cartId))).data.message).toBe('Your card has expired.');

		const bare = await store(server, 'POST', '/carts', {
			items: [{ variant_id: await variantId(server, 'snowflake-mug'), quantity: 1 }],
		});
		const noEmail = await store(server, 'POST', `/carts/${bare.json.cart.id}/complete`, {});
		expect(noEmail.status).toBe(400);
		expect(noEmail.json.code).toBe('email_missing');
		await store(server, 'POST', `/carts/${bare.json.cart.id}`, { email: 'x@example.com', shipping_address: ADDRESS });
		expect((await store(server, 'POST', `/carts/${bare.json.cart.id}/complete`, {})).json.code).toBe(
			'shipping_method_missing',
		);
		const options = await store(server, 'GET', `/shipping-options/${bare.json.cart.id}`);
		await store(server, 'POST', `/carts/${bare.json.cart.id}/shipping-methods`, {
			option_id: options.json.shipping_options[0].id,
		});
		const noPayment = await store(server, 'POST', `/carts/${bare.json.cart.id}/complete`, {});
		expect(noPayment.json).toMatchObject({
			type: 'not_allowed',
			message: 'You cannot complete a cart without a payment session.',
		});
	});
});

describe('orders', () => {
	it('snapshots lines, writes the placed event and takes stock with a ledger row', async () => {
		const mug = await variantId(server, 'snowflake-mug');
		const cartId = await readyCart(server, { items: [{ variantId: mug, quantity: 2 }], email: 'snap@example.com' });
		// The server's database, SQLite file or PostgreSQL (api-postgres), through the store's own client.
		const db = openDatabase(server.databasePath);
		const stock = async () =>
			(
				await db
					.selectFrom('inventory_level')
					.select('stocked_quantity')
					.where('variant_id', '=', mug)
					.executeTakeFirstOrThrow()
			).stocked_quantity;
		const stockBefore = await stock();
		const done = await store(server, 'POST', `/carts/${cartId}/complete`, {});
		expect(done.json.type).toBe('order');
		const orderId = done.json.data.id as string;
		expect(await stock()).toBe(stockBefore - 2);
		expect(
			await db
				.selectFrom('inventory_ledger')
				.select(['delta', 'reason', 'reference_id'])
				.where('variant_id', '=', mug)
				.where('reason', '=', 'order')
				.execute(),
		).toContainEqual({ delta: -2, reason: 'order', reference_id: orderId });
		expect(
			await db.selectFrom('order_event').select(['type', 'actor']).where('order_id', '=', orderId).execute(),
		).toEqual([{ type: 'order_placed', actor: 'checkout' }]);
		expect(
			await db
				.selectFrom('order_line')
				.select(['title', 'sku', 'unit_price', 'quantity'])
				.where('order_id', '=', orderId)
				.executeTakeFirst(),
		).toMatchObject({ title: 'Snowflake Ceramic Mug', unit_price: 1499, quantity: 2 });
		const payment = await db.selectFrom('payment').selectAll().where('order_id', '=', orderId).executeTakeFirst();
		expect(payment).toMatchObject({
			provider_id: 'test',
			card_brand: 'visa',
			card_last4: '4242',
			amount: done.json.data.total,
			amount_captured: done.json.data.total,
		});
		expect(JSON.stringify(payment)).not.toMatch(/4242424242424242|"cvc"/);
		await db.destroy();
	});

	it('lets a guest look an order up only with number, email and postal code', async () => {
		const cartId = await readyCart(server, {
			items: [{ variantId: await variantId(server, 'sticker-pack'), quantity: 1 }],
			email: 'Lookup@Example.com',
		});
		const order = (await store(server, 'POST', `/carts/${cartId}/complete`, {})).json.data;
		const q = (params: string) => store(server, 'GET', `/orders?${params}`);
		const found = await q(
			`display_id=${order.display_id}&email=lookup@example.com&shipping_address[postal_code]=21532`,
		);
		expect(found.status).toBe(200);
		expect(found.json.order.id).toBe(order.id);
		expect(
			(await q(`display_id=${order.display_id}&email=lookup@example.com&shipping_address[postal_code]=99999`)).status,
		).toBe(404);
		expect(
			(await q(`display_id=${order.display_id}&email=other@example.com&shipping_address[postal_code]=21532`)).status,
		).toBe(404);
		const missing = await q(`display_id=${order.display_id}&email=lookup@example.com`);
		expect(missing.status).toBe(400);
		expect(missing.json.message).toContain('postal_code');
	});

	it('refuses reading an order by id or by cart id after the confirmation window unless this browser completed it', async () => {
		const cartId = await readyCart(server, {
			items: [{ variantId: await variantId(server, 'knit-beanie'), quantity: 1 }],
			email: 'window@example.com',
		});
		const done = await store(server, 'POST', `/carts/${cartId}/complete`, {});
		const orderId = done.json.data.id as string;
		const cookie = done.headers.get('set-cookie')!;
		expect(cookie).toMatch(/^commerce_order_access=[^;]+; Path=\/store\/orders; HttpOnly; SameSite=Lax/);
		expect((await store(server, 'GET', `/orders/${orderId}`)).status).toBe(200);
		const db = openDatabase(server.databasePath);
		await db
			.updateTable('orders')
			.set({ created_at: new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString() })
			.where('id', '=', orderId)
			.execute();
		await db.destroy();
		const late = await store(server, 'GET', `/orders/${orderId}`);
		expect(late.status).toBe(403);
		expect(late.json.code).toBe('order_access_expired');
		// The cart id is in every order response: reading by it follows the same window (it used to leak email and address).
		const lateByCart = await store(server, 'GET', `/orders/cart/${cartId}`);
		expect(lateByCart.status).toBe(403);
		expect(lateByCart.json.code).toBe('order_access_expired');
		expect(JSON.stringify(lateByCart.json)).not.toContain('window@example.com');
		const withCookie = await store(server, 'GET', `/orders/${orderId}`, undefined, { cookie: cookie.split(';')[0] });
		expect(withCookie.status).toBe(200);
		const byCartWithCookie = await store(server, 'GET', `/orders/cart/${cartId}`, undefined, {
			cookie: cookie.split(';')[0],
		});
		expect(byCartWithCookie.status).toBe(200);
		expect(byCartWithCookie.json.order.id).toBe(orderId);
		const forged = await store(server, 'GET', `/orders/${orderId}`, undefined, {
			cookie: `commerce_order_access=${orderId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
		});
		expect(forged.status).toBe(403);
	});
});

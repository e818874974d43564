import { createHash } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	asCustomer,
	openTestDatabase,
	placeOrder,
	registerCustomer,
	type TestCustomer,
} from '../helpers/account-session.ts';
import { ADDRESS, variantId } from '../helpers/checkout.ts';
import { type FakeStripe, startFakeStripe } from '../helpers/fake-stripe.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// The customer's orders beyond the contract (our extensions): tracking detail, cancellation (void/refund, restock,
// email) and claiming guest orders by an emailed link. Built server, real SMTP on loopback, sessions from the auth API.

let server: TestServer;
let smtp: TestSmtpServer;
let db: SQLite.Database;
let hoodie: string;

beforeAll(async () => {
	smtp = await startSmtpServer();
	server = await startServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'FrostBuy <orders@frostbuy.test>' } });
	hoodie = await variantId(server, 'classic-hoodie', 'M');
	db = openTestDatabase(server);
});
afterAll(async () => {
	db?.close();
	await server?.stop();
	await smtp?.close();
});

const stock = (variant: string) =>
	(db.prepare('select stocked_quantity as q from inventory_level where variant_id = ?').get(variant) as { q: number })
		.q;
const payment = (orderId: string) =>
	db.prepare('select * from payment where order_id = ?').get(orderId) as {
		amount_captured: number;
		amount_refunded: number;
		canceled_at: string | null;
		data: string;
	};
const cancelLedger = (orderId: string) =>
	db.prepare("select * from inventory_ledger where reason = 'cancel' and reference_id = ?").all(orderId) as {
		variant_id: string;
		delta: number;
		quantity_after: number;
		actor: string;
	}[];
const eventCount = (orderId: string, type: string) =>
	(
		db.prepare('select count(*) as n from order_event where order_id = ? and type = ?').get(orderId, type) as {
			n: number;
		}
	).n;
const mailsWithSubject = (subject: string) => smtp.messages.filter((m) => m.subject === subject);
const cancel = (customer: TestCustomer | null, orderId: string, body: unknown = {}) =>
	asCustomer(server, customer, 'POST', `/customers/me/orders/${orderId}/cancel`, body);

let customerCount = 0;
const newCustomer = (label: string) => registerCustomer(server, `${label}-${++customerCount}@example.com`);

describe('POST /store/customers/me/orders/:id/cancel', () => {
	it('refunds a captured payment, restocks with ledger rows, records the event and emails the customer; a second cancel changes nothing', async () => {
		const alice = await newCustomer('cancel');
		const before = stock(hoodie);
		const placed = await placeOrder(server, alice, { items: [{ variantId: hoodie, quantity: 2 }] });
		expect(placed).toMatchObject({
			customer_id: alice.id,
			payment_status: 'captured',
			fulfillment_status: 'not_fulfilled',
		});
		expect(stock(hoodie)).toBe(before - 2);

		const first = await cancel(alice, placed.id);
		expect(first.status).toBe(200);
		expect(first.json.order).toMatchObject({
			id: placed.id,
			status: 'canceled',
			payment_status: 'refunded',
			fulfillment_status: 'canceled',
			refunded_total: placed.total,
		});
		expect(first.json.order.canceled_at).toEqual(expect.any(String));
		expect(first.json.order.events.at(-1)).toMatchObject({
			type: 'order_canceled',
			data: { voided: false, refunded: placed.total },
		});
		expect(first.json.order.timeline.map((s: { status: string }) => s.status)).toEqual(['placed', 'paid', 'canceled']);

		expect(stock(hoodie)).toBe(before);
		expect(cancelLedger(placed.id)).toEqual([
			expect.objectContaining({ variant_id: hoodie, delta: 2, quantity_after: before, actor: `customer:${alice.id}` }),
		]);
		expect(payment(placed.id)).toMatchObject({ amount_captured: placed.total, amount_refunded: placed.total });
		expect(JSON.parse(payment(placed.id).data)).toMatchObject({ amount_refunded: placed.total });

		const subject = `Order #${placed.display_id} canceled — FrostBuy`;
		await expect.poll(() => mailsWithSubject(subject).length, { timeout: 5000 }).toBe(1);
		const mail = mailsWithSubject(subject)[0];
		expect(mail.to).toEqual([alice.email]);
		expect(mail.text).toContain('We refunded');
		expect(mail.text).toContain('Frostburg Classic Hoodie (M)');
		// A customer's order is linked in the account: the guest lookup refuses customer-owned orders.
		expect(mail.text).toContain(`/account/orders/${placed.id}/`);
		expect(mail.text).not.toContain('/order/lookup/');

		const second = await cancel(alice, placed.id);
		expect(second.status).toBe(200);
		expect(second.json.order).toMatchObject({ id: placed.id, status: 'canceled', payment_status: 'refunded' });
		expect(stock(hoodie)).toBe(before);
		expect(cancelLedger(placed.id)).toHaveLength(1);
		expect(eventCount(placed.id, 'order_canceled')).toBe(1);
		expect(payment(placed.id).amount_refunded).toBe(placed.total);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(mailsWithSubject(subject)).toHaveLength(1);
	});

	it('voids a payment that was only authorized, refunding nothing', async () => {
		const bob = await newCustomer('void');
		const before = stock(hoodie);
		const placed = await placeOrder(server, bob, { items: [{ variantId: hoodie, quantity: 1 }] });
		// Manual capture, simulated: the payment was authorized and never captured.
		const data = { ...JSON.parse(payment(placed.id).data), amount_captured: 0 };
		db.prepare('update payment set amount_captured = 0, captured_at = null, data = ? where order_id = ?').run(
			JSON.stringify(data),
			placed.id,
		);
		db.prepare("update orders set payment_status = 'awaiting' where id = ?").run(placed.id);

		const response = await cancel(bob, placed.id, { reason: 'Ordered the wrong size' });
		expect(response.status).toBe(200);
		expect(response.json.order).toMatchObject({ status: 'canceled', payment_status: 'canceled', refunded_total: 0 });
		expect(response.json.order.events.at(-1)).toMatchObject({
			type: 'order_canceled',
			data: { voided: true, refunded: 0, reason: 'Ordered the wrong size' },
		});
		const row = payment(placed.id);
		expect(row.canceled_at).toEqual(expect.any(String));
		expect(row.amount_refunded).toBe(0);
		expect(JSON.parse(row.data)).toMatchObject({ canceled: true, status: 'canceled' });
		expect(stock(hoodie)).toBe(before);
		const subject = `Order #${placed.display_id} canceled — FrostBuy`;
		await expect.poll(() => mailsWithSubject(subject).length, { timeout: 5000 }).toBe(1);
		expect(mailsWithSubject(subject)[0].text).toContain('you were not charged');
	});

	it.each(['fulfilled', 'shipped'])('refuses to cancel a %s order and changes nothing', async (fulfillment) => {
		const carol = await newCustomer(`cannot-cancel-${fulfillment}`);
		const placed = await placeOrder(server, carol, { items: [{ variantId: hoodie, quantity: 1 }] });
		db.prepare('update orders set fulfillment_status = ? where id = ?').run(fulfillment, placed.id);
		const stockBefore = stock(hoodie);
		const paymentBefore = payment(placed.id);

		const response = await cancel(carol, placed.id);
		expect(response.status).toBe(400);
		expect(response.json).toMatchObject({ type: 'not_allowed', code: 'invalid_state' });
		expect(response.json.message).toMatch(/can no longer be canceled/);
		expect(stock(hoodie)).toBe(stockBefore);
		expect(payment(placed.id)).toEqual(paymentBefore);
		expect(cancelLedger(placed.id)).toHaveLength(0);
		expect(eventCount(placed.id, 'order_canceled')).toBe(0);
		const detail = await asCustomer(server, carol, 'GET', `/customers/me/orders/${placed.id}`);
		expect(detail.json.order).toMatchObject({
			status: 'pending',
			payment_status: 'captured',
			fulfillment_status: fulfillment,
		});
	});

	it('validates the reason', async () => {
		const dana = await newCustomer('reason');
		const placed = await placeOrder(server, dana, { items: [{ variantId: hoodie, quantity: 1 }] });
		const response = await cancel(dana, placed.id, { reason: 'x'.repeat(501) });
		expect(response.status).toBe(400);
		expect(response.json).toMatchObject({ type: 'invalid_data' });
		expect((await asCustomer(server, dana, 'GET', `/customers/me/orders/${placed.id}`)).json.order.status).toBe(
			'pending',
		);
	});
});

describe('order ownership', () => {
	it("answers 404 for another customer's or a guest's order and 401 without a session, and changes nothing", async () => {
		const owner = await newCustomer('owner');
		const other = await newCustomer('other');
		const placed = await placeOrder(server, owner, { items: [{ variantId: hoodie, quantity: 1 }] });
		const guest = await placeOrder(server, null, { items: [{ variantId: hoodie, quantity: 1 }], email: owner.email });
		expect(guest.customer_id).toBeNull();

		for (const id of [placed.id, 'order_01NOTAREALORDER0000000000']) {
			const read = await asCustomer(server, other, 'GET', `/customers/me/orders/${id}`);
			expect(read.status).toBe(404);
			expect(read.json).toEqual({ type: 'not_found', message: `Order with id ${id} was not found` });
			const canceled = await cancel(other, id);
			expect(canceled.status).toBe(404);
			expect(canceled.json).toEqual(read.json);
		}
		// A guest order with the owner's email is not the owner's until claimed.
		expect((await asCustomer(server, owner, 'GET', `/customers/me/orders/${guest.id}`)).status).toBe(404);
		expect((await cancel(owner, guest.id)).status).toBe(404);

		expect((await asCustomer(server, null, 'GET', `/customers/me/orders/${placed.id}`)).status).toBe(401);
		expect((await cancel(null, placed.id)).status).toBe(401);
		expect((await asCustomer(server, owner, 'GET', `/customers/me/orders/${placed.id}`)).json.order.status).toBe(
			'pending',
		);
		expect(eventCount(placed.id, 'order_canceled') + eventCount(guest.id, 'order_canceled')).toBe(0);
	});
});

describe('GET /store/customers/me/orders/:id (tracking)', () => {
	it('shows the owner the timeline, with carrier and tracking number once shipped', async () => {
		const erin = await newCustomer('tracking');
		const placed = await placeOrder(server, erin, { items: [{ variantId: hoodie, quantity: 1 }] });
		const fresh = await asCustomer(server, erin, 'GET', `/customers/me/orders/${placed.id}`);
		expect(fresh.status).toBe(200);
		expect(fresh.headers.get('cache-control')).toBe('no-store');
		expect(fresh.json.order).toMatchObject({
			id: placed.id,
			display_id: placed.display_id,
			total: placed.total,
			customer_id: erin.id,
		});
		expect(fresh.json.order.events.map((e: { type: string }) => e.type)).toEqual(['order_placed']);
		expect(fresh.json.order.timeline.map((s: { status: string; done: boolean }) => [s.status, s.done])).toEqual([
			['placed', true],
			['paid', true],
			['processing', false],
			['shipped', false],
			['delivered', false],
		]);

		// Shipped from the admin area, simulated: the row and event the `ship` transition writes.
		const at = new Date().toISOString();
		db.prepare(
			"update orders set fulfillment_status = 'shipped', carrier = 'UPS', tracking_number = '1Z999AA10123456784' where id = ?",
		).run(placed.id);
		db.prepare(
			"insert into order_event (id, order_id, type, data, actor, created_at) values (?, ?, 'order_shipped', ?, 'admin:test', ?)",
		).run(
			`oev_test_${placed.id}`,
			placed.id,
			JSON.stringify({ carrier: 'UPS', trackingNumber: '1Z999AA10123456784' }),
			at,
		);
		const shipped = await asCustomer(server, erin, 'GET', `/customers/me/orders/${placed.id}`);
		const timeline = shipped.json.order.timeline as {
			status: string;
			done: boolean;
			at: string | null;
			detail: Record<string, unknown>;
		}[];
		expect(timeline.map((s) => [s.status, s.done])).toEqual([
			['placed', true],
			['paid', true],
			['processing', true],
			['shipped', true],
			['delivered', false],
		]);
		expect(timeline[3]).toMatchObject({ at, detail: { carrier: 'UPS', tracking_number: '1Z999AA10123456784' } });
		expect(shipped.json.order.fulfillments[0]).toMatchObject({
			tracking_numbers: ['1Z999AA10123456784'],
			data: { carrier: 'UPS' },
		});
		// Shipped means it can no longer be canceled.
		expect((await cancel(erin, placed.id)).status).toBe(400);
	});
});

describe('claiming guest orders', () => {
	it('attaches guest orders placed with the email once the emailed link is confirmed, once', async () => {
		const email = `claimer-${Date.now()}@example.com`;
		const mine = await placeOrder(server, null, { items: [{ variantId: hoodie, quantity: 1 }], email });
		const someoneElses = await placeOrder(server, null, {
			items: [{ variantId: hoodie, quantity: 1 }],
			email: `not-${email}`,
		});
		const claimer = await registerCustomer(server, email);
		const intruder = await newCustomer('intruder');
		expect((await asCustomer(server, claimer, 'GET', `/customers/me/orders/${mine.id}`)).status).toBe(404);

		expect((await asCustomer(server, null, 'POST', '/customers/me/orders/claim', {})).status).toBe(401);
		// The orders' confirmations leave after their commits, from the outbox: once both are in, the next email to this
		// address is the claim link (on a busy machine a confirmation arrived after the count below).
		const hasConfirmation = (address: string) =>
			smtp.messages.some((m) => m.to.includes(address) && m.subject.includes('confirmed'));
		const deadline = Date.now() + 10_000;
		while (!hasConfirmation(email) || !hasConfirmation(`not-${email}`)) {
			if (Date.now() > deadline) throw new Error(`no order confirmation reached ${email} and not-${email}`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		const mailsBefore = smtp.messages.length;
		const requested = await asCustomer(server, claimer, 'POST', '/customers/me/orders/claim', {});
		expect(requested.status).toBe(200);
		expect(requested.json).toEqual({ sent: true });
		await smtp.waitFor(mailsBefore + 1);
		const mail = smtp.messages.slice(mailsBefore).find((m) => m.to.includes(email))!;
		expect(mail.subject).toBe('Add your past orders to your account — FrostBuy');
		const token = /\/account\/claim\/\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
		expect(token).toBeDefined();
		// Only the hash is stored.
		const stored = db.prepare('select * from order_claim_token where customer_id = ?').all(claimer.id) as {
			token_hash: string;
			email: string;
			expires_at: string;
		}[];
		expect(stored).toEqual([
			expect.objectContaining({ token_hash: createHash('sha256').update(token!).digest('hex'), email }),
		]);
		expect(JSON.stringify(stored)).not.toContain(token);
		const minutes = (new Date(stored[0].expires_at).getTime() - Date.now()) / 60_000;
		expect(minutes).toBeGreaterThan(28);
		expect(minutes).toBeLessThanOrEqual(30);

		const confirm = (customer: TestCustomer | null, body: unknown) =>
			asCustomer(server, customer, 'POST', '/customers/me/orders/claim/confirm', body);
		expect((await confirm(claimer, {})).status).toBe(400);
		expect((await confirm(claimer, { token: 'not-the-token' })).json).toMatchObject({
			type: 'invalid_data',
			code: 'invalid_claim_token',
		});
		// The link works only for the customer who asked for it (and trying does not use it up).
		expect((await confirm(intruder, { token })).json).toMatchObject({ code: 'invalid_claim_token' });
		expect((await confirm(null, { token })).status).toBe(401);

		const confirmed = await confirm(claimer, { token });
		expect(confirmed.status).toBe(200);
		expect(confirmed.json.count).toBe(1);
		expect(confirmed.json.orders).toEqual([expect.objectContaining({ id: mine.id, customer_id: claimer.id })]);
		expect((await asCustomer(server, claimer, 'GET', `/customers/me/orders/${mine.id}`)).status).toBe(200);
		expect((await asCustomer(server, claimer, 'GET', `/customers/me/orders/${someoneElses.id}`)).status).toBe(404);
		expect(
			(db.prepare('select customer_id from orders where id = ?').get(someoneElses.id) as { customer_id: string | null })
				.customer_id,
		).toBeNull();

		const reused = await confirm(claimer, { token });
		expect(reused.status).toBe(400);
		expect(reused.json.code).toBe('invalid_claim_token');
	});

	it('refuses an expired link', async () => {
		const claimer = await newCustomer('expired-claim');
		const mailsBefore = smtp.messages.length;
		expect((await asCustomer(server, claimer, 'POST', '/customers/me/orders/claim', {})).status).toBe(200);
		await smtp.waitFor(mailsBefore + 1);
		const mail = smtp.messages.slice(mailsBefore).find((m) => m.to.includes(claimer.email))!;
		const token = /\/account\/claim\/\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
		db.prepare('update order_claim_token set expires_at = ? where customer_id = ?').run(
			new Date(Date.now() - 1000).toISOString(),
			claimer.id,
		);
		const response = await asCustomer(server, claimer, 'POST', '/customers/me/orders/claim/confirm', { token });
		expect(response.status).toBe(400);
		expect(response.json.code).toBe('invalid_claim_token');
	});
});

describe('cancel with Stripe (real SDK against a Stripe-compatible fake)', () => {
	let stripeServer: TestServer;
	let fake: FakeStripe;

	beforeAll(async () => {
		fake = await startFakeStripe();
		stripeServer = await startServer({
			env: {
				STRIPE_SECRET_KEY: 'sk_test_frostbuy',
				STRIPE_PUBLISHABLE_KEY: 'pk_test_frostbuy',
				STRIPE_WEBHOOK_SECRET: 'whsec_test_frostbuy',
				STRIPE_API_BASE: fake.url,
				SMTP_URL: smtp.url,
			},
		});
	});
	afterAll(async () => {
		await stripeServer?.stop();
		await fake?.close();
	});

	/** An order paid by card through a PaymentIntent, placed while logged in. */
	async function stripeOrder(customer: TestCustomer) {
		const call = (method: string, path: string, body?: unknown) =>
			asCustomer(stripeServer, customer, method, path, body);
		const jacket = await variantId(stripeServer, 'stadium-jacket');
		const cartId = (await call('POST', '/carts', { items: [{ variant_id: jacket, quantity: 1 }] })).json.cart
			.id as string;
		await call('POST', `/carts/${cartId}`, { email: customer.email, shipping_address: ADDRESS });
		const options = await call('GET', `/shipping-options/${cartId}`);
		await call('POST', `/carts/${cartId}/shipping-methods`, { option_id: options.json.shipping_options[0].id });
		await call('POST', `/carts/${cartId}/payment-sessions`, {});
		const selected = await call('POST', `/carts/${cartId}/payment-session`, { provider_id: 'stripe' });
		const intentId = selected.json.cart.payment_session.data.id as string;
		fake.confirm(intentId, 'pm_card_visa');
		const completed = await call('POST', `/carts/${cartId}/complete`, {});
		expect(completed.json).toMatchObject({
			type: 'order',
			data: { payment_status: 'captured', customer_id: customer.id },
		});
		return { order: completed.json.data, intentId };
	}

	const refundsOf = (intentId: string) => [...fake.refunds.values()].filter((r) => r.payment_intent === intentId);

	it('refunds the PaymentIntent once, however often the customer cancels', async () => {
		const customer = await registerCustomer(stripeServer, 'stripe-cancel@example.com');
		const { order, intentId } = await stripeOrder(customer);
		const first = await asCustomer(stripeServer, customer, 'POST', `/customers/me/orders/${order.id}/cancel`, {});
		expect(first.status).toBe(200);
		expect(first.json.order).toMatchObject({
			status: 'canceled',
			payment_status: 'refunded',
			refunded_total: order.total,
		});
		expect(refundsOf(intentId)).toEqual([expect.objectContaining({ amount: order.total, status: 'succeeded' })]);
		expect(fake.requests.find((r) => r.path === '/v1/refunds')?.idempotencyKey).toMatch(
			new RegExp(`^order_${order.id}_refund_`),
		);

		const again = await asCustomer(stripeServer, customer, 'POST', `/customers/me/orders/${order.id}/cancel`, {});
		expect(again.status).toBe(200);
		expect(again.json.order.status).toBe('canceled');
		expect(refundsOf(intentId)).toHaveLength(1);
	});

	it('changes nothing and says why when Stripe refuses the refund', async () => {
		const customer = await registerCustomer(stripeServer, 'stripe-refused@example.com');
		const { order, intentId } = await stripeOrder(customer);
		// Refunded in the Stripe dashboard before the webhook arrived: Stripe has nothing left to refund.
		const charge = fake.charges.get(fake.intents.get(intentId)!.latest_charge as string)!;
		charge.amount_refunded = charge.amount_captured;
		const stripeDb = openTestDatabase(stripeServer);
		try {
			const before = stripeDb
				.prepare(
					'select o.status, o.payment_status, o.fulfillment_status, p.amount_refunded, p.data from orders o join payment p on p.order_id = o.id where o.id = ?',
				)
				.get(order.id);
			const stockBefore = stripeDb
				.prepare('select stocked_quantity from inventory_level where variant_id = ?')
				.get(order.items[0].variant_id);
			const response = await asCustomer(stripeServer, customer, 'POST', `/customers/me/orders/${order.id}/cancel`, {});
			expect(response.status).toBe(409);
			expect(response.json).toMatchObject({ type: 'conflict', code: 'payment_provider_refused' });
			expect(response.json.message).toMatch(/nothing was changed/);
			expect(
				stripeDb
					.prepare(
						'select o.status, o.payment_status, o.fulfillment_status, p.amount_refunded, p.data from orders o join payment p on p.order_id = o.id where o.id = ?',
					)
					.get(order.id),
			).toEqual(before);
			expect(
				stripeDb
					.prepare('select stocked_quantity from inventory_level where variant_id = ?')
					.get(order.items[0].variant_id),
			).toEqual(stockBefore);
			expect(
				(
					stripeDb
						.prepare("select count(*) as n from order_event where order_id = ? and type = 'order_canceled'")
						.get(order.id) as { n: number }
				).n,
			).toBe(0);
		} finally {
			stripeDb.close();
		}
	});
});

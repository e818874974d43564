import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseProductFile } from '../../plugins/commerce/src/content/parse-product-file.ts';
import { CommerceError } from '../../plugins/commerce/src/core/errors.ts';
import { MAX_STOCK_LEVEL } from '../../plugins/commerce/src/core/inventory/stock.ts';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { findLedgerMismatches } from '../../plugins/commerce/src/db/repositories/stock-repository.ts';
import type { EmailMessage, Mailer } from '../../plugins/commerce/src/email/index.ts';
import { parseOptions } from '../../plugins/commerce/src/options.ts';
import {
	createTestProvider,
	PaymentAmountError,
	type PaymentProvider,
	type TestPaymentData,
} from '../../plugins/commerce/src/payments/index.ts';
import { orderAction } from '../../plugins/commerce/src/services/admin/orders.ts';
import { syncCatalog } from '../../plugins/commerce/src/services/catalog-sync.ts';
import { moveStock } from '../../plugins/commerce/src/services/inventory/move-stock.ts';
import { cancelCustomerOrder } from '../../plugins/commerce/src/services/orders/cancel-order.ts';
import { changeOrder } from '../../plugins/commerce/src/services/orders/change-order.ts';
import type { OrderDeps } from '../../plugins/commerce/src/services/orders/order-deps.ts';
import { getOrderDetail } from '../../plugins/commerce/src/services/orders/order-queries.ts';
import { type OutboxDrainer, startOutboxDrainer } from '../../plugins/commerce/src/services/outbox/outbox-drainer.ts';
import { EMAIL_KIND, emailHandler } from '../../plugins/commerce/src/services/outbox/outbox-email.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// The order service against a real SQLite file with providers that fail on purpose: the provider runs before the
// transaction, so a failing provider leaves order, payment, stock and history exactly as they were; the change itself
// is written once, in one transaction, only on the version it was decided from. Emails go through the outbox.

const options = (() => {
	const parsed = parseOptions({ storeName: 'Test shop' });
	if (!parsed.ok) throw new Error(parsed.message);
	return parsed.options;
})();

let testDb: TestDatabase;
let db: CommerceDb;
let sent: EmailMessage[];
let drainer: OutboxDrainer;
let variantId: string;
const mailer: Mailer = {
	send: async (message) => {
		sent.push(message);
		return { messageId: `<${sent.length}@test>` };
	},
};

beforeEach(async () => {
	testDb = await createTestDatabase('orders');
	db = testDb.db;
	sent = [];
	drainer = startOutboxDrainer(db, { handlers: { [EMAIL_KIND]: emailHandler(mailer) } });
	const product = parseProductFile(
		'content/products/tee.md',
		'---\ntitle: Tee\ncategory: Apparel\nimages:\n  - src: /images/tee.svg\n    alt: Tee\noptions:\n  - title: Size\n    values: [M]\nvariants:\n  - sku: TEE-M\n    options: { Size: M }\n    prices: { usd: 20.00 }\n    stock: 10\n---\nA tee.\n',
	);
	await syncCatalog(db, [product]);
	variantId = (await db.selectFrom('product_variant').select('id').where('sku', '=', 'TEE-M').executeTakeFirstOrThrow())
		.id;
});

afterEach(async () => {
	await drainer.stop();
	await testDb.destroy();
});

/** Everything queued so far, delivered. */
async function mails(): Promise<EmailMessage[]> {
	await drainer.drain();
	return sent;
}

/** An order of 3 tees (stock already taken) paid with the test provider, as checkout leaves it. */
async function seedOrder(opts: { captured: boolean; customerId?: string }): Promise<string> {
	const at = new Date().toISOString();
	const provider = createTestProvider({ captureMethod: opts.captured ? 'automatic' : 'manual' });
	const session = await provider.initiate({
		amount: 6000,
		currency: 'usd',
		cartId: 'cart_1',
		email: 'sam@example.com',
		idempotencyKey: 'k',
	});
	const auth = await provider.authorize({ data: session.data, amount: 6000, currency: 'usd', idempotencyKey: 'a' });
	const customerId = opts.customerId ?? 'cus_1';
	await db
		.insertInto('customer')
		.values({
			id: customerId,
			email: `${customerId}@example.com`,
			first_name: null,
			last_name: null,
			phone: null,
			has_account: 0,
			password_hash: null,
			billing_address_id: null,
			created_at: at,
			updated_at: at,
		})
		.execute();
	await db
		.insertInto('cart')
		.values({
			id: 'cart_1',
			email: 'sam@example.com',
			customer_id: customerId,
			region_id: 'reg_us',
			currency_code: 'usd',
			shipping_address_id: null,
			billing_address_id: null,
			client_ip: null,
			user_agent: null,
			metadata: null,
			completed_at: at,
			created_at: at,
			updated_at: at,
		})
		.execute();
	await db
		.insertInto('orders')
		.values({
			id: 'order_1',
			display_id: 1001,
			cart_id: 'cart_1',
			customer_id: customerId,
			email: 'sam@example.com',
			region_id: 'reg_us',
			currency_code: 'usd',
			tax_rate: 0,
			status: 'pending',
			payment_status: opts.captured ? 'captured' : 'awaiting',
			fulfillment_status: 'not_fulfilled',
			subtotal: 6000,
			discount_total: 0,
			shipping_total: 0,
			shipping_tax_total: 0,
			item_tax_total: 0,
			tax_total: 0,
			total: 6000,
			shipping_option_id: null,
			shipping_method_name: null,
			shipping_address_id: null,
			billing_address_id: null,
			carrier: null,
			tracking_number: null,
			canceled_at: null,
			created_at: at,
			updated_at: at,
		})
		.execute();
	await db
		.insertInto('order_line')
		.values({
			id: 'item_1',
			order_id: 'order_1',
			variant_id: variantId,
			product_id: 'prod_x',
			sku: 'TEE-M',
			title: 'Tee',
			variant_title: 'M',
			thumbnail: null,
			unit_price: 2000,
			quantity: 3,
			subtotal: 6000,
			discount_total: 0,
			tax_total: 0,
			total: 6000,
			returned_quantity: 0,
		})
		.execute();
	await moveStock(db, { variantId, delta: -3, reason: 'order', ref: 'order_1', actor: 'checkout' });
	await db
		.insertInto('payment')
		.values({
			id: 'pay_1',
			order_id: 'order_1',
			provider_id: 'test',
			reference: (auth.data as TestPaymentData).id,
			currency_code: 'usd',
			amount: 6000,
			amount_authorized: 6000,
			amount_captured: opts.captured ? 6000 : 0,
			amount_refunded: 0,
			card_brand: 'visa',
			card_last4: '4242',
			data: JSON.stringify(auth.data),
			captured_at: opts.captured ? at : null,
			canceled_at: null,
			created_at: at,
			updated_at: at,
		})
		.execute();
	return 'order_1';
}

const deps = (provider: PaymentProvider, database: CommerceDb = db): OrderDeps => ({
	db: database,
	options,
	mailer,
	outbox: drainer,
	payments: new Map([['test', provider]]),
});

const detail = async (id = 'order_1') => (await getOrderDetail(db, id))!;

/** The test provider with one method replaced. */
const failing = (method: 'refund' | 'cancel', error: Error): PaymentProvider => ({
	...createTestProvider(),
	[method]: async () => {
		throw error;
	},
});

async function snapshot() {
	return {
		order: await db.selectFrom('orders').selectAll().where('id', '=', 'order_1').executeTakeFirstOrThrow(),
		payment: await db.selectFrom('payment').selectAll().where('order_id', '=', 'order_1').executeTakeFirstOrThrow(),
		stock: (
			await db
				.selectFrom('inventory_level')
				.select('stocked_quantity')
				.where('variant_id', '=', variantId)
				.executeTakeFirstOrThrow()
		).stocked_quantity,
		ledger: await db.selectFrom('inventory_ledger').selectAll().where('reason', '=', 'cancel').execute(),
		events: await db.selectFrom('order_event').selectAll().execute(),
	};
}

async function refusal(promise: Promise<unknown>): Promise<CommerceError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(CommerceError);
	return error as CommerceError;
}

describe('cancelCustomerOrder', () => {
	it('refunds, restocks with a ledger row, writes the event and emails once; a repeat does nothing', async () => {
		await seedOrder({ captured: true });
		await cancelCustomerOrder(deps(createTestProvider()), 'cus_1', 'order_1', 'https://shop.example');
		const after = await snapshot();
		expect(after.order).toMatchObject({
			status: 'canceled',
			payment_status: 'refunded',
			fulfillment_status: 'canceled',
		});
		expect(after.order.canceled_at).not.toBeNull();
		expect(after.payment).toMatchObject({ amount_captured: 6000, amount_refunded: 6000 });
		expect(after.stock).toBe(10);
		expect(after.ledger).toEqual([
			expect.objectContaining({
				variant_id: variantId,
				delta: 3,
				quantity_after: 10,
				reference_id: 'order_1',
				actor: 'customer:cus_1',
			}),
		]);
		expect(after.events).toEqual([expect.objectContaining({ type: 'order_canceled', actor: 'customer:cus_1' })]);
		expect(await mails()).toHaveLength(1);
		expect(sent[0]).toMatchObject({ to: 'sam@example.com', subject: 'Order #1001 canceled — Test shop' });
		expect(sent[0].text).toContain('We refunded $60.00 to your VISA card ending in 4242.');
		expect(sent[0].text).toContain('https://shop.example/account/orders/order_1/');

		await cancelCustomerOrder(deps(createTestProvider()), 'cus_1', 'order_1', 'https://shop.example');
		expect(await snapshot()).toEqual(after);
		expect(await mails()).toHaveLength(1);
	});

	it("is a 404 for someone else's order", async () => {
		await seedOrder({ captured: true });
		const before = await snapshot();
		const error = await refusal(
			cancelCustomerOrder(deps(createTestProvider()), 'cus_other', 'order_1', 'https://shop.example'),
		);
		expect(error).toMatchObject({ kind: 'not_found', message: 'Order with id order_1 was not found' });
		expect(await snapshot()).toEqual(before);
	});

	it('changes nothing and answers 502 when the provider cannot be reached', async () => {
		await seedOrder({ captured: true });
		const before = await snapshot();
		const error = await refusal(
			cancelCustomerOrder(deps(failing('refund', new Error('ECONNRESET'))), 'cus_1', 'order_1', 'https://shop.example'),
		);
		expect(error).toMatchObject({ kind: 'unavailable', code: 'payment_provider_error' });
		expect(error.message).toMatch(/order was not canceled/);
		expect(await snapshot()).toEqual(before);
		expect(await mails()).toEqual([]);
	});

	it('changes nothing and answers 409 when the provider refuses the void', async () => {
		await seedOrder({ captured: false });
		const before = await snapshot();
		const error = await refusal(
			cancelCustomerOrder(
				deps(failing('cancel', new PaymentAmountError('Refund instead: already captured.'))),
				'cus_1',
				'order_1',
				'https://shop.example',
			),
		);
		expect(error).toMatchObject({ kind: 'conflict', code: 'payment_provider_refused' });
		expect(await snapshot()).toEqual(before);
	});

	it('voids an authorization that was not captured', async () => {
		await seedOrder({ captured: false });
		await cancelCustomerOrder(
			deps(createTestProvider({ captureMethod: 'manual' })),
			'cus_1',
			'order_1',
			'https://shop.example',
		);
		const after = await snapshot();
		expect(after.order).toMatchObject({ status: 'canceled', payment_status: 'canceled' });
		expect(after.payment.canceled_at).not.toBeNull();
		expect(JSON.parse(after.payment.data)).toMatchObject({ canceled: true });
		expect(after.stock).toBe(10);
		expect((await mails())[0].text).toContain('you were not charged');
	});
});

describe('changeOrder', () => {
	it('refuses what the state machine refuses, with its reason, and changes nothing', async () => {
		await seedOrder({ captured: true });
		await db.updateTable('orders').set({ fulfillment_status: 'shipped' }).execute();
		const before = await snapshot();
		const error = await refusal(
			changeOrder(
				deps(createTestProvider()),
				await detail(),
				{ type: 'cancel' },
				{ actor: 'admin:test', origin: 'https://shop.example' },
			),
		);
		expect(error).toMatchObject({ kind: 'not_allowed', code: 'invalid_state' });
		expect(error.message).toBe('This order is already shipped, so it can no longer be canceled; refund it instead.');
		expect(await snapshot()).toEqual(before);
	});

	it('ships with carrier and tracking number, without touching payment or stock', async () => {
		await seedOrder({ captured: true });
		const before = await snapshot();
		const outcome = await changeOrder(
			deps(createTestProvider()),
			await detail(),
			{ type: 'ship', carrier: ' UPS ', trackingNumber: '1Z999' },
			{ actor: 'admin:test', origin: 'https://shop.example' },
		);
		expect(outcome).toMatchObject({
			applied: true,
			event: { type: 'order_shipped', data: { carrier: 'UPS', trackingNumber: '1Z999' } },
		});
		const after = await snapshot();
		expect(after.order).toMatchObject({ fulfillment_status: 'shipped', carrier: 'UPS', tracking_number: '1Z999' });
		expect(after.payment).toEqual(before.payment);
		expect(after.stock).toBe(before.stock);
	});

	it('refunds part of a payment through the provider', async () => {
		await seedOrder({ captured: true });
		await changeOrder(
			deps(createTestProvider()),
			await detail(),
			{ type: 'refund', amount: 1500 },
			{ actor: 'admin:test', origin: 'https://shop.example' },
		);
		const after = await snapshot();
		expect(after.order.payment_status).toBe('partially_refunded');
		expect(after.payment.amount_refunded).toBe(1500);
		expect(JSON.parse(after.payment.data)).toMatchObject({ amount_refunded: 1500 });
		expect(after.stock).toBe(7);
	});
});

describe('one load, one write', () => {
	/** A second connection to the same database that records every statement it runs. */
	function countingDb(): { db: CommerceDb; statements: string[]; close: () => Promise<void> } {
		const statements: string[] = [];
		const counted = openDatabase(testDb.target, { onQuery: (sql) => void statements.push(sql) });
		return { db: counted, statements, close: () => counted.destroy() };
	}

	it('walks an admin refund with restock through one read of the order and one transaction', async () => {
		await seedOrder({ captured: true });
		const counting = countingDb();
		try {
			const order = await orderAction(
				deps(createTestProvider(), counting.db),
				'order_1',
				{ type: 'refund', amount: 2000, restockLines: [{ lineId: 'item_1', quantity: 1 }] },
				'ana@shop.test',
				'https://shop.example',
			);
			// The answer is the order as written, not read again.
			expect(order.order).toMatchObject({ paymentStatus: 'partially_refunded', version: 1 });
			expect(order.payment).toMatchObject({ amountRefunded: 2000 });
			expect(order.lines[0].returnedQuantity).toBe(1);
			expect(order.events.at(-1)).toMatchObject({ type: 'payment_refunded', actor: 'ana@shop.test' });
			const ordersRead = counting.statements.filter((s) => /^select .* from "orders"/i.test(s));
			expect(ordersRead).toHaveLength(1);
			expect(counting.statements.filter((s) => /^begin/i.test(s))).toHaveLength(1);
			expect(await detail()).toEqual(order);
		} finally {
			await counting.close();
		}
		const after = await snapshot();
		expect(after.stock).toBe(8);
		expect(
			await db
				.selectFrom('inventory_ledger')
				.select(['reason', 'delta', 'actor'])
				.where('reference_id', '=', 'order_1')
				.where('reason', '=', 'refund_restock')
				.execute(),
		).toEqual([{ reason: 'refund_restock', delta: 1, actor: 'ana@shop.test' }]);
		expect(await findLedgerMismatches(db)).toEqual([]);
	});

	it('writes refund and restock together or not at all', async () => {
		await seedOrder({ captured: true });
		// The shelf is full: the restock cannot happen, so the refund must not be recorded either.
		await moveStock(db, {
			variantId,
			delta: MAX_STOCK_LEVEL - 7,
			reason: 'admin_adjustment',
			ref: null,
			actor: 'test',
		});
		const before = await snapshot();
		const error = await refusal(
			orderAction(
				deps(createTestProvider()),
				'order_1',
				{ type: 'refund', amount: 2000, restockLines: [{ lineId: 'item_1', quantity: 1 }] },
				'ana@shop.test',
				'https://shop.example',
			),
		);
		expect(error).toMatchObject({ kind: 'conflict', code: 'stock_above_limit' });
		expect(await snapshot()).toEqual(before);
		expect((await detail()).lines[0].returnedQuantity).toBe(0);
	});

	it('refuses to write on a version another request changed, unless that request did the same', async () => {
		await seedOrder({ captured: true });
		const stale = await detail();
		await changeOrder(
			deps(createTestProvider()),
			stale,
			{ type: 'mark_processing' },
			{
				actor: 'admin:a',
				origin: 'https://shop.example',
			},
		);
		const before = await snapshot();
		// Decided on the old version: the refund ran at the provider, but the write is refused and nothing changes.
		const error = await refusal(
			changeOrder(
				deps(createTestProvider()),
				stale,
				{ type: 'refund', amount: 1000 },
				{
					actor: 'admin:b',
					origin: 'https://shop.example',
				},
			),
		);
		expect(error).toMatchObject({ kind: 'conflict', code: 'invalid_state_error' });
		expect(await snapshot()).toEqual(before);
	});

	it('answers a cancel that lost the race to an identical cancel as done, without a second restock', async () => {
		await seedOrder({ captured: true });
		const fresh = await detail();
		const first = await changeOrder(
			deps(createTestProvider()),
			fresh,
			{ type: 'cancel' },
			{
				actor: 'customer:cus_1',
				origin: 'https://shop.example',
				isDone: (s) => s.status === 'canceled',
			},
		);
		expect(first.applied).toBe(true);
		const second = await changeOrder(
			deps(createTestProvider()),
			fresh,
			{ type: 'cancel' },
			{ actor: 'customer:cus_1', origin: 'https://shop.example', isDone: (s) => s.status === 'canceled' },
		);
		expect(second).toMatchObject({ applied: false, detail: { order: { status: 'canceled' } } });
		expect((await snapshot()).ledger).toHaveLength(1);
		expect((await snapshot()).events).toHaveLength(1);
		expect((await mails()).map((m) => m.subject)).toEqual(['Order #1001 canceled — Test shop']);
	});

	it('queues the shipping email with the shipment and sends it after the commit, once', async () => {
		await seedOrder({ captured: true });
		await changeOrder(
			deps(createTestProvider()),
			await detail(),
			{ type: 'ship', carrier: 'UPS', trackingNumber: '1Z1' },
			{
				actor: 'admin:a',
				origin: 'https://shop.example',
			},
		);
		const rows = await db.selectFrom('outbox').select(['kind', 'dedupe_key', 'status']).execute();
		expect(rows).toEqual([expect.objectContaining({ kind: 'email', dedupe_key: 'order_shipped:order_1' })]);
		const delivered = await mails();
		expect(delivered.map((m) => m.subject)).toEqual(['Order #1001 shipped — Test shop']);
		expect(delivered[0].text).toContain('1Z1');
		expect(await db.selectFrom('outbox').select('status').execute()).toEqual([{ status: 'sent' }]);
	});
});

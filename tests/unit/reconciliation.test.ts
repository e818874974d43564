import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import { reconcilePayments } from '../../plugins/commerce/src/services/reconciliation.ts';

// Reconciliation against a real (in-memory) SQLite database: an authorized payment whose cart never became an order,
// and an order with no payment, are both listed; a paid order and a fresh authorization are not.

let db: CommerceDb;
const NOW = new Date('2026-12-01T12:00:00.000Z');
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

beforeAll(async () => {
	db = openDatabase(':memory:');
	await migrateToLatest(db);
	for (const id of ['cart_paid', 'cart_orphan', 'cart_fresh', 'cart_unpaid'])
		await db
			.insertInto('cart')
			.values({ id, region_id: 'reg_us', currency_code: 'usd', created_at: at(120), updated_at: at(120) } as never)
			.execute();
	const session = (id: string, cart: string, minutesAgo: number) =>
		db
			.insertInto('payment_session')
			.values({
				id,
				cart_id: cart,
				provider_id: 'stripe',
				status: 'authorized',
				is_selected: 1,
				amount: 2500,
				currency_code: 'usd',
				data: '{}',
				reference: `pi_${id}`,
				created_at: at(minutesAgo),
				updated_at: at(minutesAgo),
			})
			.execute();
	await session('ps_paid', 'cart_paid', 120);
	await session('ps_orphan', 'cart_orphan', 120);
	await session('ps_fresh', 'cart_fresh', 5);
	const order = (id: string, cart: string, displayId: number) =>
		db
			.insertInto('orders')
			.values({
				id,
				display_id: displayId,
				cart_id: cart,
				email: 'a@example.com',
				region_id: 'reg_us',
				currency_code: 'usd',
				tax_rate: 0,
				status: 'pending',
				payment_status: 'captured',
				fulfillment_status: 'not_fulfilled',
				subtotal: 2500,
				discount_total: 0,
				shipping_total: 0,
				shipping_tax_total: 0,
				item_tax_total: 0,
				tax_total: 0,
				total: 2500,
				created_at: at(100),
				updated_at: at(100),
			} as never)
			.execute();
	await order('order_paid', 'cart_paid', 1001);
	await order('order_unpaid', 'cart_unpaid', 1002);
	await db
		.insertInto('payment')
		.values({
			id: 'pay_1',
			order_id: 'order_paid',
			provider_id: 'stripe',
			reference: 'pi_ps_paid',
			currency_code: 'usd',
			amount: 2500,
			amount_authorized: 2500,
			amount_captured: 2500,
			amount_refunded: 0,
			data: '{}',
			created_at: at(100),
			updated_at: at(100),
		} as never)
		.execute();
});
afterAll(async () => db?.destroy());

describe('payments reconciliation', () => {
	it('lists payments without orders and orders without payments', async () => {
		const report = await reconcilePayments(db, 3_600_000, NOW);
		expect(report.paymentsWithoutOrders.map((p) => [p.sessionId, p.reference, p.cartId])).toEqual([
			['ps_orphan', 'pi_ps_orphan', 'cart_orphan'],
		]);
		expect(report.ordersWithoutPayments.map((o) => [o.orderId, o.providerId, o.amountAuthorized])).toEqual([
			['order_unpaid', null, 0],
		]);
	});
});

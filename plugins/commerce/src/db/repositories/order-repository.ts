import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Address, Database, Order, OrderLine, OrderTable, Payment } from '../types.ts';
import { findAddress } from './cart-repository.ts';

type Db = Kysely<Database>;

/** An order with everything a receipt or the Store API shows. */
export interface OrderRecord {
	order: Order;
	lines: OrderLine[];
	payment: Payment | undefined;
	discounts: { discount_id: string; code: string }[];
	events: { id: string; type: string; data: string; actor: string; created_at: string }[];
	shippingAddress: Address | undefined;
	billingAddress: Address | undefined;
}

/** Next human order number; called inside the write transaction that inserts the order, so it cannot repeat. */
export async function nextDisplayId(db: Db): Promise<number> {
	const row = await db
		.selectFrom('orders')
		.select((eb) => eb.fn.max('display_id').as('max'))
		.executeTakeFirst();
	return Math.max(Number(row?.max ?? 0), 1000) + 1;
}

export async function insertOrder(
	db: Db,
	order: Order,
	lines: Omit<OrderLine, 'id' | 'order_id' | 'returned_quantity'>[],
): Promise<void> {
	await db.insertInto('orders').values(order).execute();
	if (lines.length) {
		await db
			.insertInto('order_line')
			.values(lines.map((l) => ({ ...l, id: newId('item'), order_id: order.id, returned_quantity: 0 })))
			.execute();
	}
}

export async function updateOrder(db: Db, id: string, fields: Partial<Omit<OrderTable, 'id'>>): Promise<void> {
	await db.updateTable('orders').set(fields).where('id', '=', id).execute();
}

export async function insertOrderEvent(
	db: Db,
	orderId: string,
	type: string,
	data: Record<string, unknown>,
	actor: string,
	at: string,
): Promise<void> {
	await db
		.insertInto('order_event')
		.values({ id: newId('oev'), order_id: orderId, type, data: JSON.stringify(data), actor, created_at: at })
		.execute();
}

export async function findOrderIdByCart(db: Db, cartId: string): Promise<string | undefined> {
	return (await db.selectFrom('orders').select('id').where('cart_id', '=', cartId).executeTakeFirst())?.id;
}

export async function findOrderIdByDisplayId(db: Db, displayId: number, email: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('orders')
		.select('id')
		.where('display_id', '=', displayId)
		.where('email', '=', email.toLowerCase())
		.executeTakeFirst();
	return row?.id;
}

export async function loadOrder(db: Db, id: string): Promise<OrderRecord | undefined> {
	const order = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
	if (!order) return undefined;
	const [lines, payment, discounts, events, shippingAddress, billingAddress] = await Promise.all([
		db.selectFrom('order_line').selectAll().where('order_id', '=', id).orderBy('id').execute(),
		db.selectFrom('payment').selectAll().where('order_id', '=', id).executeTakeFirst(),
		db.selectFrom('order_discount').select(['discount_id', 'code']).where('order_id', '=', id).execute(),
		db.selectFrom('order_event').selectAll().where('order_id', '=', id).orderBy('created_at').orderBy('id').execute(),
		findAddress(db, order.shipping_address_id),
		findAddress(db, order.billing_address_id),
	]);
	return { order, lines, payment, discounts, events, shippingAddress, billingAddress };
}

export async function findPaymentByReference(
	db: Db,
	providerId: string,
	reference: string,
): Promise<Payment | undefined> {
	return db
		.selectFrom('payment')
		.selectAll()
		.where('provider_id', '=', providerId)
		.where('reference', '=', reference)
		.executeTakeFirst();
}

/** Takes stock for an order: the check and the write are one statement, so concurrent orders cannot oversell. */
export async function decrementStock(db: Db, variantId: string, quantity: number): Promise<number | null> {
	const result = await db
		.updateTable('inventory_level')
		.set((eb) => ({ stocked_quantity: eb('stocked_quantity', '-', quantity), updated_at: new Date().toISOString() }))
		.where('variant_id', '=', variantId)
		.where((eb) => eb(eb('stocked_quantity', '-', eb.ref('reserved_quantity')), '>=', quantity))
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) return null;
	const row = await db
		.selectFrom('inventory_level')
		.select('stocked_quantity')
		.where('variant_id', '=', variantId)
		.executeTakeFirstOrThrow();
	return row.stocked_quantity;
}

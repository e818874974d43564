import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import {
	FULFILLMENT_STATUSES,
	ORDER_EVENT_TYPES,
	ORDER_STATUSES,
	type Order,
	type OrderAddress,
	type OrderDetail,
	type OrderEvent,
	type OrderLine,
	PAYMENT_STATUSES,
	type Payment,
} from '../../core/orders/index.ts';
import { compiledQuery, insertRows } from '../compiled-query.ts';
import { databaseDialect } from '../dialect.ts';
import type {
	Address,
	Database,
	OrderLine as OrderLineRow,
	Order as OrderRow,
	OrderTable,
	Payment as PaymentRow,
	PaymentTable,
} from '../types.ts';

// Orders, their lines, payments and events: rows are mapped to the domain objects of `core/orders/order-model.ts`
// here, once. Only `services/orders/` calls the writing functions (the one writer of order, payment and event rows).

type Db = Kysely<Database>;

function known<T extends string>(values: readonly T[], value: string, what: string): T {
	if ((values as readonly string[]).includes(value)) return value as T;
	throw new Error(
		`The database holds an order ${what} "${value}" this version does not know; it was written by another version or by hand.`,
	);
}

export const toOrder = (row: OrderRow): Order => ({
	id: row.id,
	displayId: row.display_id,
	cartId: row.cart_id,
	customerId: row.customer_id,
	email: row.email,
	regionId: row.region_id,
	currencyCode: row.currency_code,
	taxRate: row.tax_rate,
	status: known(ORDER_STATUSES, row.status, 'status'),
	paymentStatus: known(PAYMENT_STATUSES, row.payment_status, 'payment status'),
	fulfillmentStatus: known(FULFILLMENT_STATUSES, row.fulfillment_status, 'fulfillment status'),
	subtotal: row.subtotal,
	discountTotal: row.discount_total,
	shippingTotal: row.shipping_total,
	shippingTaxTotal: row.shipping_tax_total,
	itemTaxTotal: row.item_tax_total,
	taxTotal: row.tax_total,
	giftCardTotal: row.gift_card_total,
	total: row.total,
	shippingOptionId: row.shipping_option_id,
	shippingMethodName: row.shipping_method_name,
	shippingAddressId: row.shipping_address_id,
	billingAddressId: row.billing_address_id,
	carrier: row.carrier,
	trackingNumber: row.tracking_number,
	canceledAt: row.canceled_at,
	createdAt: row.created_at,
	updatedAt: row.updated_at,
	version: row.version,
});

const toOrderLine = (row: OrderLineRow): OrderLine => ({
	id: row.id,
	orderId: row.order_id,
	variantId: row.variant_id,
	productId: row.product_id,
	sku: row.sku,
	title: row.title,
	variantTitle: row.variant_title,
	thumbnail: row.thumbnail,
	unitPrice: row.unit_price,
	quantity: row.quantity,
	subtotal: row.subtotal,
	discountTotal: row.discount_total,
	taxTotal: row.tax_total,
	total: row.total,
	returnedQuantity: row.returned_quantity,
	metadata: row.metadata,
});

const toPayment = (row: PaymentRow): Payment => ({
	id: row.id,
	orderId: row.order_id,
	providerId: row.provider_id,
	reference: row.reference,
	currencyCode: row.currency_code,
	amount: row.amount,
	amountAuthorized: row.amount_authorized,
	amountCaptured: row.amount_captured,
	amountRefunded: row.amount_refunded,
	cardBrand: row.card_brand,
	cardLast4: row.card_last4,
	data: JSON.parse(row.data) as Record<string, unknown>,
	capturedAt: row.captured_at,
	canceledAt: row.canceled_at,
	createdAt: row.created_at,
	updatedAt: row.updated_at,
});

const toOrderEvent = (row: Database['order_event']): OrderEvent => ({
	id: row.id,
	orderId: row.order_id,
	type: known(ORDER_EVENT_TYPES, row.type, 'event type'),
	data: JSON.parse(row.data) as Record<string, unknown>,
	actor: row.actor,
	createdAt: row.created_at,
});

/** An address row (a cart's or an order's copy) as the order model shows it. */
export const toOrderAddress = (row: Address): OrderAddress => ({
	id: row.id,
	customerId: row.customer_id,
	company: row.company,
	firstName: row.first_name,
	lastName: row.last_name,
	address1: row.address_1,
	address2: row.address_2,
	city: row.city,
	countryCode: row.country_code,
	province: row.province,
	postalCode: row.postal_code,
	phone: row.phone,
	createdAt: row.created_at,
	updatedAt: row.updated_at,
});

const orderRow = (o: Order): Omit<Insertable<OrderTable>, 'version'> => ({
	id: o.id,
	display_id: o.displayId,
	cart_id: o.cartId,
	customer_id: o.customerId,
	email: o.email,
	region_id: o.regionId,
	currency_code: o.currencyCode,
	tax_rate: o.taxRate,
	status: o.status,
	payment_status: o.paymentStatus,
	fulfillment_status: o.fulfillmentStatus,
	subtotal: o.subtotal,
	discount_total: o.discountTotal,
	shipping_total: o.shippingTotal,
	shipping_tax_total: o.shippingTaxTotal,
	item_tax_total: o.itemTaxTotal,
	tax_total: o.taxTotal,
	gift_card_total: o.giftCardTotal,
	total: o.total,
	shipping_option_id: o.shippingOptionId,
	shipping_method_name: o.shippingMethodName,
	shipping_address_id: o.shippingAddressId,
	billing_address_id: o.billingAddressId,
	carrier: o.carrier,
	tracking_number: o.trackingNumber,
	canceled_at: o.canceledAt,
	created_at: o.createdAt,
	updated_at: o.updatedAt,
});

const paymentRow = (p: Payment): PaymentTable => ({
	id: p.id,
	order_id: p.orderId,
	provider_id: p.providerId,
	reference: p.reference,
	currency_code: p.currencyCode,
	amount: p.amount,
	amount_authorized: p.amountAuthorized,
	amount_captured: p.amountCaptured,
	amount_refunded: p.amountRefunded,
	card_brand: p.cardBrand,
	card_last4: p.cardLast4,
	data: JSON.stringify(p.data),
	captured_at: p.capturedAt,
	canceled_at: p.canceledAt,
	created_at: p.createdAt,
	updated_at: p.updatedAt,
});

async function findAddressRow(db: Db, id: string | null): Promise<OrderAddress | null> {
	if (!id) return null;
	const row = await db.selectFrom('address').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? toOrderAddress(row) : null;
}

/** One order with lines, payment, discounts, events and addresses; null when it does not exist. */
export async function findOrderDetail(db: Db, id: string): Promise<OrderDetail | null> {
	const row = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) return null;
	const [lines, payment, discounts, events, shippingAddress, billingAddress] = await Promise.all([
		db
			.selectFrom('order_line as ol')
			.leftJoin('product as p', 'p.id', 'ol.product_id')
			.selectAll('ol')
			.select('p.is_giftcard')
			.where('ol.order_id', '=', id)
			.orderBy('ol.id')
			.execute(),
		db.selectFrom('payment').selectAll().where('order_id', '=', id).executeTakeFirst(),
		db.selectFrom('order_discount').select(['discount_id', 'code']).where('order_id', '=', id).execute(),
		db.selectFrom('order_event').selectAll().where('order_id', '=', id).orderBy('created_at').orderBy('id').execute(),
		findAddressRow(db, row.shipping_address_id),
		findAddressRow(db, row.billing_address_id),
	]);
	return {
		order: toOrder(row),
		lines: lines.map(({ is_giftcard, ...line }) => ({ ...toOrderLine(line), isGiftcard: is_giftcard === 1 })),
		payment: payment ? toPayment(payment) : null,
		discounts: discounts.map((d) => ({ discountId: d.discount_id, code: d.code })),
		events: events.map(toOrderEvent),
		shippingAddress,
		billingAddress,
	};
}

/** The order and its payment only (what the state machine needs); null when the order does not exist. */
export async function findOrderWithPayment(
	db: Db,
	id: string,
): Promise<{ order: Order; payment: Payment | null } | null> {
	const row = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) return null;
	const payment = await db.selectFrom('payment').selectAll().where('order_id', '=', id).executeTakeFirst();
	return { order: toOrder(row), payment: payment ? toPayment(payment) : null };
}

const orderIdOfCart = compiledQuery((db: Db, cartId: string) =>
	db.selectFrom('orders').select('id').where('cart_id', '=', cartId),
);

/** The order a cart became, if any (every completion asks first). */
export async function findOrderIdByCart(db: Db, cartId: string): Promise<string | undefined> {
	return (await orderIdOfCart(db, cartId)).rows[0]?.id;
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

export async function findPaymentByReference(db: Db, providerId: string, reference: string): Promise<Payment | null> {
	const row = await db
		.selectFrom('payment')
		.selectAll()
		.where('provider_id', '=', providerId)
		.where('reference', '=', reference)
		.executeTakeFirst();
	return row ? toPayment(row) : null;
}

/**
 * Next human order number, inside the write transaction that inserts the order. SQLite: max + 1 (the transaction holds
 * the only write lock, so it cannot repeat). PostgreSQL: a sequence (migration 0020), since orders are placed
 * concurrently; a rolled-back order leaves a gap, as in every shop on PostgreSQL.
 */
export async function nextDisplayId(db: Db): Promise<number> {
	if (databaseDialect(db) === 'postgres') {
		const { rows } = await sql<{ id: number }>`select nextval('orders_display_id_seq') as id`.execute(db);
		return Number(rows[0].id);
	}
	const row = (await maxDisplayId(db)).rows[0];
	return Math.max(Number(row?.max ?? 0), 1000) + 1;
}

// Every order on SQLite: compiled once (compiled-query.ts).
const maxDisplayId = compiledQuery((db: Db) =>
	db.selectFrom('orders').select((eb) => eb.fn.max('display_id').as('max')),
);

/** Writes a new order: its row, lines, discount links, payment (when one was taken) and first event. */
export async function insertOrder(
	db: Db,
	placed: Pick<OrderDetail, 'order' | 'lines' | 'payment' | 'discounts'> & { event: OrderEvent },
): Promise<void> {
	const { order } = placed;
	// Compiled once per shape (compiled-query.ts): every completion writes these rows.
	await insertRows(db, 'orders', [orderRow(order)]);
	if (placed.lines.length) {
		await insertRows(
			db,
			'order_line',
			placed.lines.map((l) => ({
				id: l.id,
				order_id: l.orderId,
				variant_id: l.variantId,
				product_id: l.productId,
				sku: l.sku,
				title: l.title,
				variant_title: l.variantTitle,
				thumbnail: l.thumbnail,
				unit_price: l.unitPrice,
				quantity: l.quantity,
				subtotal: l.subtotal,
				discount_total: l.discountTotal,
				tax_total: l.taxTotal,
				total: l.total,
				returned_quantity: l.returnedQuantity,
				metadata: l.metadata,
			})),
		);
	}
	if (placed.discounts.length) {
		await db
			.insertInto('order_discount')
			.values(placed.discounts.map((d) => ({ order_id: order.id, discount_id: d.discountId, code: d.code })))
			.execute();
	}
	if (placed.payment) await insertRows(db, 'payment', [paymentRow(placed.payment)]);
	await insertOrderEvent(db, placed.event);
}

/** The order fields a state change may set. */
export type OrderStateChanges = Partial<
	Pick<Order, 'status' | 'paymentStatus' | 'fulfillmentStatus' | 'carrier' | 'trackingNumber' | 'canceledAt'>
> & { updatedAt: string };

/**
 * Writes a state change only if the order is still at `version` (the one the change was decided from), and bumps it.
 * Returns false when another change came first; then nothing was written.
 */
export async function updateOrderState(
	db: Db,
	orderId: string,
	version: number,
	changes: OrderStateChanges,
): Promise<boolean> {
	const set: Updateable<OrderTable> = { updated_at: changes.updatedAt };
	if (changes.status) set.status = changes.status;
	if (changes.paymentStatus) set.payment_status = changes.paymentStatus;
	if (changes.fulfillmentStatus) set.fulfillment_status = changes.fulfillmentStatus;
	if (changes.carrier !== undefined) set.carrier = changes.carrier;
	if (changes.trackingNumber !== undefined) set.tracking_number = changes.trackingNumber;
	if (changes.canceledAt !== undefined) set.canceled_at = changes.canceledAt;
	const result = await db
		.updateTable('orders')
		.set((eb) => ({ ...set, version: eb('version', '+', 1) }))
		.where('id', '=', orderId)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** The payment fields a state change may set. */
export type PaymentChanges = Partial<
	Pick<Payment, 'amountCaptured' | 'amountRefunded' | 'data' | 'capturedAt' | 'canceledAt'>
> & { updatedAt: string };

/** Updates a payment; only called in the transaction whose `updateOrderState` succeeded. */
export async function updatePayment(db: Db, paymentId: string, changes: PaymentChanges): Promise<void> {
	const set: Partial<PaymentTable> = { updated_at: changes.updatedAt };
	if (changes.amountCaptured !== undefined) set.amount_captured = changes.amountCaptured;
	if (changes.amountRefunded !== undefined) set.amount_refunded = changes.amountRefunded;
	if (changes.data !== undefined) set.data = JSON.stringify(changes.data);
	if (changes.capturedAt !== undefined) set.captured_at = changes.capturedAt;
	if (changes.canceledAt !== undefined) set.canceled_at = changes.canceledAt;
	await db.updateTable('payment').set(set).where('id', '=', paymentId).execute();
}

/** Adds returned units to a line; never past its quantity (false, nothing written, when it would be). */
export async function addReturnedQuantity(db: Db, lineId: string, units: number): Promise<boolean> {
	const result = await db
		.updateTable('order_line')
		.set((eb) => ({ returned_quantity: eb('returned_quantity', '+', units) }))
		.where('id', '=', lineId)
		.where((eb) => eb(eb('returned_quantity', '+', units), '<=', eb.ref('quantity')))
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export async function insertOrderEvent(db: Db, event: OrderEvent): Promise<void> {
	await insertRows(db, 'order_event', [
		{
			id: event.id,
			order_id: event.orderId,
			type: event.type,
			data: JSON.stringify(event.data),
			actor: event.actor,
			created_at: event.createdAt,
		},
	]);
}

/** Detaches orders from their customer and replaces their email (GDPR erasure; amounts, lines and events stay). */
export async function anonymiseOrderRows(db: Db, orderIds: string[], email: string, at: string): Promise<void> {
	if (!orderIds.length) return;
	await db
		.updateTable('orders')
		.set({ customer_id: null, email, updated_at: at })
		.where('id', 'in', orderIds)
		.execute();
	// Line metadata may name people (a gift card's recipient).
	await db.updateTable('order_line').set({ metadata: null }).where('order_id', 'in', orderIds).execute();
}

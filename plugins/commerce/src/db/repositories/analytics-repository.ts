import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { dayOf, daySpan } from '../../core/analytics/days.ts';
import { compiledQuery } from '../compiled-query.ts';
import type { AnalyticsEventType, Database, NewAnalyticsEvent } from '../types.ts';
import { recomputeTrafficQueries } from './rollup-repository.ts';

type Db = Kysely<Database>;

/** Rows per INSERT statement: 12 columns × 50 rows stays far below every SQLite build's parameter limit. */
const ROWS_PER_INSERT = 50;

/** A half-open time range `[from, to)` of ISO-8601 timestamps (UTC, as stored). */
export interface TimeRange {
	from: string;
	to: string;
}

/** Inserts analytics events in statements of at most 50 rows; run it inside one transaction for a batch. */
export async function insertAnalyticsEvents(db: Db, rows: NewAnalyticsEvent[]): Promise<void> {
	for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
		await db
			.insertInto('analytics_event')
			.values(rows.slice(i, i + ROWS_PER_INSERT))
			.execute();
	}
}

/**
 * Writes events synchronously through a second connection to the SQLite file, in one transaction: for the process
 * exit, where nothing can be awaited. The traffic rollup of the days they fall on is recomputed in the same
 * transaction (a day or two), so a restart finds the rollups current. A short busy timeout, because the main
 * connection may hold the write lock mid-flush and an exit must never hang. Throws when the write fails.
 */
export function insertAnalyticsEventsSync(db: Db, file: string, rows: NewAnalyticsEvent[]): void {
	const sqlite = new SQLite(file);
	try {
		sqlite.pragma('busy_timeout = 200');
		sqlite.transaction(() => {
			for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
				const { sql: text, parameters } = db
					.insertInto('analytics_event')
					.values(rows.slice(i, i + ROWS_PER_INSERT))
					.compile();
				sqlite.prepare(text).run(...(parameters as unknown[]));
			}
			const zone = db.selectFrom('analytics_rollup_state').select('value').where('key', '=', 'time_zone').compile();
			const found = sqlite.prepare(zone.sql).get(...(zone.parameters as unknown[])) as { value: string } | undefined;
			const timeZone = found?.value ?? 'UTC';
			for (const day of new Set(rows.map((row) => dayOf(row.occurred_at, timeZone))))
				for (const query of recomputeTrafficQueries(db, day, daySpan(day, day, timeZone)))
					sqlite.prepare(query.sql).run(...(query.parameters as unknown[]));
		})();
	} finally {
		sqlite.close();
	}
}

/** What the purchase event of an order records. */
export interface PurchaseFacts {
	orderId: string;
	cartId: string;
	total: number;
	currency: string;
	placedAt: string;
}

// Every completion writes one: compiled once (compiled-query.ts); the row's fields, in column order, are the arguments.
const insertEventOnce = compiledQuery(
	(
		db: Db,
		id: string,
		visitId: string | null,
		type: AnalyticsEventType,
		path: string | null,
		productId: string | null,
		variantId: string | null,
		cartId: string | null,
		orderId: string | null,
		value: number | null,
		currency: string | null,
		occurredAt: string,
		receivedAt: string,
	) =>
		db
			.insertInto('analytics_event')
			.values({
				id,
				visit_id: visitId,
				type,
				path,
				product_id: productId,
				variant_id: variantId,
				cart_id: cartId,
				order_id: orderId,
				value,
				currency,
				occurred_at: occurredAt,
				received_at: receivedAt,
			})
			.onConflict((oc) => oc.doNothing()),
);

/**
 * Inserts one server-side event; a second `purchase` for the same order is ignored (partial unique index). Returns
 * whether the row was inserted.
 */
export async function insertAnalyticsEventOnce(db: Db, row: NewAnalyticsEvent): Promise<boolean> {
	const result = await insertEventOnce(
		db,
		row.id,
		row.visit_id ?? null,
		row.type,
		row.path ?? null,
		row.product_id ?? null,
		row.variant_id ?? null,
		row.cart_id ?? null,
		row.order_id ?? null,
		row.value ?? null,
		row.currency ?? null,
		row.occurred_at,
		row.received_at,
	);
	return Number(result.numAffectedRows ?? 0) > 0;
}

/** Each distinct (visit, type) pair with events in the range: what visits and the funnel need, deduplicated by SQL. */
export async function listVisitEventTypes(
	db: Db,
	range: TimeRange,
): Promise<{ visitId: string; type: AnalyticsEventType }[]> {
	const rows = await db
		.selectFrom('analytics_event')
		.select(['visit_id', 'type'])
		.distinct()
		.where('visit_id', 'is not', null)
		.where('occurred_at', '>=', range.from)
		.where('occurred_at', '<', range.to)
		.execute();
	return rows.map((r) => ({ visitId: r.visit_id!, type: r.type }));
}

/** What the KPIs read of an order placed in the range. */
export interface OrderFacts {
	id: string;
	status: string;
	currency: string;
	total: number;
	refunded: number;
	createdAt: string;
}

/** Orders placed in the range with the amount refunded on their payment (0 without a payment). */
export async function listOrderFacts(db: Db, range: TimeRange): Promise<OrderFacts[]> {
	const rows = await db
		.selectFrom('orders as o')
		.leftJoin('payment as p', 'p.order_id', 'o.id')
		.select(['o.id', 'o.status', 'o.currency_code', 'o.total', 'o.created_at', 'p.amount_refunded'])
		.where('o.created_at', '>=', range.from)
		.where('o.created_at', '<', range.to)
		.orderBy('o.created_at')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		status: r.status,
		currency: r.currency_code,
		total: r.total,
		refunded: r.amount_refunded ?? 0,
		createdAt: r.created_at,
	}));
}

/** What the KPIs read of an order line. */
export interface OrderLineFacts {
	orderId: string;
	productId: string;
	title: string;
	quantity: number;
	returnedQuantity: number;
	netAmount: number;
}

/** The lines of the orders placed in the range. */
export async function listOrderLineFacts(db: Db, range: TimeRange): Promise<OrderLineFacts[]> {
	const rows = await db
		.selectFrom('order_line as l')
		.innerJoin('orders as o', 'o.id', 'l.order_id')
		.select([
			'l.order_id',
			'l.product_id',
			'l.title',
			'l.quantity',
			'l.returned_quantity',
			'l.subtotal',
			'l.discount_total',
		])
		.where('o.created_at', '>=', range.from)
		.where('o.created_at', '<', range.to)
		.execute();
	return rows.map((r) => ({
		orderId: r.order_id,
		productId: r.product_id,
		title: r.title,
		quantity: r.quantity,
		returnedQuantity: r.returned_quantity,
		netAmount: r.subtotal - r.discount_total,
	}));
}

/** Carts created in the range: whether each has lines and whether it became an order (at any time since). */
export async function listCartFacts(db: Db, range: TimeRange): Promise<{ hasItems: boolean; completed: boolean }[]> {
	const rows = await db
		.selectFrom('cart as c')
		.select((eb) => [
			'c.completed_at',
			eb.exists(eb.selectFrom('line_item as li').select('li.id').whereRef('li.cart_id', '=', 'c.id')).as('has_items'),
		])
		.where('c.created_at', '>=', range.from)
		.where('c.created_at', '<', range.to)
		.execute();
	return rows.map((r) => ({ hasItems: Boolean(Number(r.has_items)), completed: r.completed_at !== null }));
}

/** Orders still open for the merchant (placed, not completed, canceled or archived), whenever placed. */
export async function countPendingOrders(db: Db): Promise<number> {
	const row = await db
		.selectFrom('orders')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('status', 'in', ['pending', 'requires_action'])
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Products currently sold (active in the content files). */
export async function countActiveProducts(db: Db): Promise<number> {
	const row = await db
		.selectFrom('product')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('active', '=', 1)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * Shopper accounts (role `customer`, guests included), or null when the database has no `customer` table (a
 * database migrated before the accounts migration). Staff and admins are not customers.
 */
export async function countCustomers(db: Db): Promise<number | null> {
	try {
		const row = await db
			.selectFrom('customer')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('role', '=', 'customer')
			.executeTakeFirstOrThrow();
		return Number(row.n);
	} catch (error) {
		// SQLite says "no such table: customer", PostgreSQL 'relation "customer" does not exist'.
		if (/no such table|does not exist/i.test((error as Error).message)) return null;
		throw error;
	}
}

/** A variant at or below its low-stock threshold. */
export interface LowStockVariant {
	variantId: string;
	sku: string;
	productTitle: string;
	variantTitle: string;
	/** stocked − reserved */
	available: number;
	threshold: number;
}

/**
 * Active variants of active products whose available stock (stocked − reserved) is at or below their own
 * `low_stock_threshold`, or `defaultThreshold` when they have none; lowest stock first. Returns the count and the
 * first `limit` of them.
 */
export async function listLowStockVariants(
	db: Db,
	defaultThreshold: number,
	limit: number,
): Promise<{ count: number; variants: LowStockVariant[] }> {
	const base = db
		.selectFrom('inventory_level as il')
		.innerJoin('product_variant as v', 'v.id', 'il.variant_id')
		.innerJoin('product as p', 'p.id', 'v.product_id')
		.where('v.active', '=', 1)
		.where('p.active', '=', 1)
		.where((eb) =>
			eb(
				eb('il.stocked_quantity', '-', eb.ref('il.reserved_quantity')),
				'<=',
				eb.fn.coalesce('il.low_stock_threshold', eb.val(defaultThreshold)),
			),
		);
	const [count, rows] = await Promise.all([
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
		base
			.select([
				'v.id',
				'v.sku',
				'v.title as variant_title',
				'p.title as product_title',
				'il.stocked_quantity',
				'il.reserved_quantity',
				'il.low_stock_threshold',
			])
			.orderBy(sql`il.stocked_quantity - il.reserved_quantity`)
			.orderBy('v.sku')
			.limit(limit)
			.execute(),
	]);
	return {
		count: Number(count.n),
		variants: rows.map((r) => ({
			variantId: r.id,
			sku: r.sku,
			productTitle: r.product_title,
			variantTitle: r.variant_title,
			available: r.stocked_quantity - r.reserved_quantity,
			threshold: r.low_stock_threshold ?? defaultThreshold,
		})),
	};
}

/** An order row for the dashboard's "recent orders". */
export interface RecentOrder {
	id: string;
	displayId: number;
	email: string;
	currency: string;
	total: number;
	status: string;
	paymentStatus: string;
	fulfillmentStatus: string;
	createdAt: string;
}

/** The latest orders, newest first, whatever the date range. */
export async function listRecentOrders(db: Db, limit: number): Promise<RecentOrder[]> {
	const rows = await db
		.selectFrom('orders')
		.select([
			'id',
			'display_id',
			'email',
			'currency_code',
			'total',
			'status',
			'payment_status',
			'fulfillment_status',
			'created_at',
		])
		.orderBy('created_at', 'desc')
		.orderBy('display_id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		displayId: r.display_id,
		email: r.email,
		currency: r.currency_code,
		total: r.total,
		status: r.status,
		paymentStatus: r.payment_status,
		fulfillmentStatus: r.fulfillment_status,
		createdAt: r.created_at,
	}));
}

import { type CompiledQuery, type Kysely, type QueryResult, sql } from 'kysely';
import type { FunnelStepColumn, ProductFigures, SalesFigures } from '../../core/analytics/rollup.ts';
import { compiledQuery } from '../compiled-query.ts';
import { shareRollupLock } from '../rollup-lock.ts';
import type { Database } from '../types.ts';

// SQL of the analytics rollups (migration 0028): incremental upserts for the writers, the per-day recomputation of
// the rebuild, the drift check, and the dashboard's range sums. Portable: `on conflict … do update` and `case`
// expressions run on SQLite and PostgreSQL alike. Figures come back as numbers (PostgreSQL sums are bigint strings).

type Db = Kysely<Database>;

const num = (value: unknown): number => Number(value ?? 0);

// ---------------------------------------------------------------------------------------------------------- state

/** A rollup setting (`time_zone`, `events_pruned_before`), or undefined. */
// The rollups' statements run with every order and cart change: the fixed-shape ones are compiled once
// (compiled-query.ts).
const rollupState = compiledQuery((db: Db, key: string) =>
	db.selectFrom('analytics_rollup_state').select('value').where('key', '=', key),
);

export async function readRollupState(db: Db, key: string): Promise<string | undefined> {
	return (await rollupState(db, key)).rows[0]?.value;
}

export async function writeRollupState(db: Db, key: string, value: string): Promise<void> {
	await db
		.insertInto('analytics_rollup_state')
		.values({ key, value })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value }))
		.execute();
}

/** The reporting time zone the rollups' days are in. */
export async function readRollupTimeZone(db: Db): Promise<string> {
	return (await readRollupState(db, 'time_zone')) ?? 'UTC';
}

// ---------------------------------------------------------------------------------------------------- incremental

/** Adds `delta` to a day's sales row of one currency (creating it). */
export async function addSalesDay(db: Db, day: string, currency: string, delta: SalesFigures): Promise<void> {
	if (!delta.orders && !delta.canceledOrders && !delta.revenue && !delta.refunded && !delta.units) return;
	await shareRollupLock(db);
	await upsertSalesDay(
		db,
		day,
		currency,
		delta.orders,
		delta.canceledOrders,
		delta.revenue,
		delta.refunded,
		delta.units,
	);
}

const upsertSalesDay = compiledQuery(
	(
		db: Db,
		day: string,
		currency: string,
		orders: number,
		canceledOrders: number,
		revenue: number,
		refunded: number,
		units: number,
	) =>
		db
			.insertInto('analytics_sales_day')
			.values({ day, currency, orders, canceled_orders: canceledOrders, revenue, refunded, units })
			.onConflict((oc) =>
				oc.columns(['day', 'currency']).doUpdateSet((eb) => ({
					orders: eb('analytics_sales_day.orders', '+', eb.ref('excluded.orders')),
					canceled_orders: eb('analytics_sales_day.canceled_orders', '+', eb.ref('excluded.canceled_orders')),
					revenue: eb('analytics_sales_day.revenue', '+', eb.ref('excluded.revenue')),
					refunded: eb('analytics_sales_day.refunded', '+', eb.ref('excluded.refunded')),
					units: eb('analytics_sales_day.units', '+', eb.ref('excluded.units')),
				})),
			),
);

/** Adds per-variant figures to a day's product rows of one currency; the greatest title wins, as in the rebuild. */
export async function addProductDays(db: Db, day: string, currency: string, deltas: ProductFigures[]): Promise<void> {
	if (deltas.length) await shareRollupLock(db);
	for (const p of deltas)
		await upsertProductDay(db, day, currency, p.variantId, p.productId, p.title, p.units, p.revenue);
}

const upsertProductDay = compiledQuery(
	(
		db: Db,
		day: string,
		currency: string,
		variantId: string,
		productId: string,
		title: string,
		units: number,
		revenue: number,
	) =>
		db
			.insertInto('analytics_product_day')
			.values({ day, currency, variant_id: variantId, product_id: productId, title, units, revenue })
			.onConflict((oc) =>
				oc.columns(['day', 'currency', 'variant_id', 'product_id']).doUpdateSet((eb) => ({
					units: eb('analytics_product_day.units', '+', eb.ref('excluded.units')),
					revenue: eb('analytics_product_day.revenue', '+', eb.ref('excluded.revenue')),
					title: sql<string>`case when excluded.title > analytics_product_day.title then excluded.title else analytics_product_day.title end`,
				})),
			),
);

const STEPS: FunnelStepColumn[] = ['product_view', 'add_to_cart', 'checkout_start', 'purchase'];

// Every order's purchase and every beacon batch run these: compiled once (compiled-query.ts).
const visitDay = compiledQuery((db: Db, day: string, visitId: string) =>
	db
		.selectFrom('analytics_visit_day')
		.select(['visit_id', ...STEPS])
		.where('day', '=', day)
		.where('visit_id', '=', visitId),
);

/**
 * Marks that a visit reached `step` on `day`; 1 when this call did it, 0 when the row had it already. The condition is
 * in the update (not only in an earlier read), so two transactions marking the same step count it once on PostgreSQL.
 */
async function markStep(db: Db, day: string, visitId: string, step: FunnelStepColumn): Promise<number> {
	const result = await markStepQueries[step](db, day, visitId);
	return Number(result.numAffectedRows ?? 0) > 0 ? 1 : 0;
}

const markStepQueries = Object.fromEntries(
	STEPS.map((step) => [
		step,
		compiledQuery((db: Db, day: string, visitId: string) =>
			db
				.updateTable('analytics_visit_day')
				.set({ [step]: 1 })
				.where('day', '=', day)
				.where('visit_id', '=', visitId)
				.where(step, '=', 0),
		),
	]),
) as Record<FunnelStepColumn, (db: Db, day: string, visitId: string) => Promise<QueryResult<unknown>>>;

const upsertTrafficDay = compiledQuery(
	(
		db: Db,
		day: string,
		events: number,
		visits: number,
		productView: number,
		addToCart: number,
		checkoutStart: number,
		purchase: number,
	) =>
		db
			.insertInto('analytics_traffic_day')
			.values({
				day,
				events,
				visits,
				product_view: productView,
				add_to_cart: addToCart,
				checkout_start: checkoutStart,
				purchase,
			})
			.onConflict((oc) =>
				oc.column('day').doUpdateSet((eb) => ({
					events: eb('analytics_traffic_day.events', '+', eb.ref('excluded.events')),
					visits: eb('analytics_traffic_day.visits', '+', eb.ref('excluded.visits')),
					product_view: eb('analytics_traffic_day.product_view', '+', eb.ref('excluded.product_view')),
					add_to_cart: eb('analytics_traffic_day.add_to_cart', '+', eb.ref('excluded.add_to_cart')),
					checkout_start: eb('analytics_traffic_day.checkout_start', '+', eb.ref('excluded.checkout_start')),
					purchase: eb('analytics_traffic_day.purchase', '+', eb.ref('excluded.purchase')),
				})),
			),
);

/** One stored event as the traffic rollup sees it. */
export interface TrafficEvent {
	day: string;
	visitId: string | null;
	step: FunnelStepColumn | null;
}

const IN_CHUNK = 400;

/**
 * Adds stored events to the traffic rollup: `events` per day, a visit the first time it shows up on a day, a funnel
 * step the first time that visit reaches it that day (`analytics_visit_day` remembers what each visit reached). A
 * few statements per day of the batch, not per event. Run it in the transaction that stored the events.
 */
export async function addEventsToTraffic(db: Db, events: TrafficEvent[]): Promise<void> {
	if (events.length) await shareRollupLock(db);
	const byDay = new Map<string, { events: number; visits: Map<string, Set<FunnelStepColumn>> }>();
	for (const event of events) {
		const entry = byDay.get(event.day) ?? { events: 0, visits: new Map() };
		entry.events += 1;
		if (event.visitId) {
			const steps = entry.visits.get(event.visitId) ?? new Set();
			if (event.step) steps.add(event.step);
			entry.visits.set(event.visitId, steps);
		}
		byDay.set(event.day, entry);
	}
	for (const [day, entry] of byDay) {
		const ids = [...entry.visits.keys()];
		const known = new Map<string, Record<FunnelStepColumn, number>>();
		if (ids.length === 1) {
			const row = (await visitDay(db, day, ids[0])).rows[0];
			if (row) known.set(row.visit_id, row);
		}
		for (let i = 0; ids.length > 1 && i < ids.length; i += IN_CHUNK) {
			const rows = await db
				.selectFrom('analytics_visit_day')
				.select(['visit_id', ...STEPS])
				.where('day', '=', day)
				.where('visit_id', 'in', ids.slice(i, i + IN_CHUNK))
				.execute();
			for (const row of rows) known.set(row.visit_id, row);
		}
		const delta = { events: entry.events, visits: 0, product_view: 0, add_to_cart: 0, checkout_start: 0, purchase: 0 };
		const fresh: Database['analytics_visit_day'][] = [];
		for (const [visitId, steps] of entry.visits) {
			const row = known.get(visitId);
			if (!row) {
				delta.visits += 1;
				const flags = { product_view: 0, add_to_cart: 0, checkout_start: 0, purchase: 0 };
				for (const step of steps) {
					flags[step] = 1;
					delta[step] += 1;
				}
				fresh.push({ day, visit_id: visitId, ...flags });
				continue;
			}
			for (const step of steps) if (!num(row[step])) delta[step] += await markStep(db, day, visitId, step);
		}
		// Another transaction (a beacon flush beside a checkout's purchase, on PostgreSQL) may have created a visit's row
		// since it was read: such a visit is not new here, it only adds the steps that row has not reached yet.
		const inserted = new Set<string>();
		for (let i = 0; i < fresh.length; i += 100) {
			const rows = await db
				.insertInto('analytics_visit_day')
				.values(fresh.slice(i, i + 100))
				.onConflict((oc) => oc.columns(['day', 'visit_id']).doNothing())
				.returning('visit_id')
				.execute();
			for (const row of rows) inserted.add(row.visit_id);
		}
		for (const row of fresh) {
			if (inserted.has(row.visit_id)) continue;
			delta.visits -= 1;
			for (const step of STEPS) {
				if (!row[step]) continue;
				delta[step] -= 1;
				delta[step] += await markStep(db, day, row.visit_id, step);
			}
		}
		await upsertTrafficDay(
			db,
			day,
			delta.events,
			delta.visits,
			delta.product_view,
			delta.add_to_cart,
			delta.checkout_start,
			delta.purchase,
		);
	}
}

/** What a cart contributes now: its creation time, whether it has lines, whether it became an order. */
const cartRollupFacts = compiledQuery((db: Db, cartId: string) =>
	db
		.selectFrom('cart as c')
		.select((eb) => [
			'c.created_at',
			'c.completed_at',
			eb.exists(eb.selectFrom('line_item as li').select('li.id').whereRef('li.cart_id', '=', 'c.id')).as('has_items'),
		])
		.where('c.id', '=', cartId),
);

export async function findCartRollupFacts(
	db: Db,
	cartId: string,
): Promise<{ createdAt: string; hasItems: boolean; completed: boolean } | undefined> {
	const row = (await cartRollupFacts(db, cartId)).rows[0];
	return (
		row && { createdAt: row.created_at, hasItems: Boolean(num(row.has_items)), completed: row.completed_at !== null }
	);
}

/** A cart's stored contribution, read by its writer (hence the rollup lock: the stored fact must not be swapped under it). */
export async function findCartFact(db: Db, cartId: string) {
	await shareRollupLock(db);
	return (await cartFact(db, cartId)).rows[0];
}

// Every cart write reads and moves its fact: compiled once (compiled-query.ts).
const cartFact = compiledQuery((db: Db, cartId: string) =>
	db.selectFrom('analytics_cart_fact').selectAll().where('cart_id', '=', cartId),
);

const updateCartFact = compiledQuery((db: Db, cartId: string, hasItems: number, completed: number) =>
	db.updateTable('analytics_cart_fact').set({ has_items: hasItems, completed }).where('cart_id', '=', cartId),
);

/**
 * Stores a cart's contribution (`null`: the cart is gone) and adds the difference from the stored one to its day's
 * cart row.
 */
export async function setCartFact(
	db: Db,
	cartId: string,
	day: string,
	before: { has_items: number; completed: number } | undefined,
	after: { has_items: number; completed: number } | null,
): Promise<void> {
	const completedWithItems = (f: { has_items: number; completed: number } | null | undefined) =>
		f?.has_items && f.completed ? 1 : 0;
	const delta = {
		carts: (after ? 1 : 0) - (before ? 1 : 0),
		with_items: (after?.has_items ?? 0) - (before?.has_items ?? 0),
		completed: completedWithItems(after) - completedWithItems(before),
	};
	if (!after) await db.deleteFrom('analytics_cart_fact').where('cart_id', '=', cartId).execute();
	else if (!before)
		await db
			.insertInto('analytics_cart_fact')
			.values({ cart_id: cartId, day, ...after })
			.execute();
	else if (before.has_items !== after.has_items || before.completed !== after.completed)
		await updateCartFact(db, cartId, after.has_items, after.completed);
	if (!delta.carts && !delta.with_items && !delta.completed) return;
	await upsertCartDay(db, day, delta.carts, delta.with_items, delta.completed);
}

const upsertCartDay = compiledQuery((db: Db, day: string, carts: number, withItems: number, completed: number) =>
	db
		.insertInto('analytics_cart_day')
		.values({ day, carts, with_items: withItems, completed })
		.onConflict((oc) =>
			oc.column('day').doUpdateSet((eb) => ({
				carts: eb('analytics_cart_day.carts', '+', eb.ref('excluded.carts')),
				with_items: eb('analytics_cart_day.with_items', '+', eb.ref('excluded.with_items')),
				completed: eb('analytics_cart_day.completed', '+', eb.ref('excluded.completed')),
			})),
		),
);

// -------------------------------------------------------------------------------------------------------- rebuild

/** Every rollup table a rebuild recomputes per day. */
const DAY_TABLES = [
	'analytics_sales_day',
	'analytics_product_day',
	'analytics_cart_day',
	'analytics_cart_fact',
] as const;
const TRAFFIC_TABLES = ['analytics_traffic_day', 'analytics_visit_day'] as const;

/** Empties the rollups (a full rebuild); traffic of days before `keepTrafficBefore` (pruned raw events) stays. */
export async function clearRollups(db: Db, keepTrafficBefore: string | null): Promise<void> {
	for (const table of DAY_TABLES) await db.deleteFrom(table).execute();
	for (const table of TRAFFIC_TABLES) {
		let query = db.deleteFrom(table);
		if (keepTrafficBefore) query = query.where('day', '>=', keepTrafficBefore);
		await query.execute();
	}
}

/** Earliest and latest raw timestamps the rollups cover (orders, carts, and events from `eventsFrom` on). */
export async function rawTimeBounds(
	db: Db,
	eventsFrom: string | null,
): Promise<{ first: string; last: string } | null> {
	const [orders, carts, events] = await Promise.all([
		db
			.selectFrom('orders')
			.select((eb) => [eb.fn.min('created_at').as('first'), eb.fn.max('created_at').as('last')])
			.executeTakeFirst(),
		db
			.selectFrom('cart')
			.select((eb) => [eb.fn.min('created_at').as('first'), eb.fn.max('created_at').as('last')])
			.executeTakeFirst(),
		(eventsFrom
			? db.selectFrom('analytics_event').where('occurred_at', '>=', eventsFrom)
			: db.selectFrom('analytics_event')
		)
			.select((eb) => [eb.fn.min('occurred_at').as('first'), eb.fn.max('occurred_at').as('last')])
			.executeTakeFirst(),
	]);
	const firsts = [orders?.first, carts?.first, events?.first].filter((v): v is string => typeof v === 'string');
	const lasts = [orders?.last, carts?.last, events?.last].filter((v): v is string => typeof v === 'string');
	if (!firsts.length) return null;
	return { first: firsts.sort()[0]!, last: lasts.sort().at(-1)! };
}

/**
 * Recomputes one day from the raw rows whose timestamps fall in `span` (`[from, to)`, the day in the reporting time
 * zone): sales and products from orders, lines and payments; carts from carts and their lines; traffic from events
 * unless `events` is false (a day whose raw events were pruned keeps its traffic row). Replaces that day's rows; run
 * it in one write transaction so a concurrent writer sees the day either before or after.
 */
export async function recomputeDay(
	db: Db,
	day: string,
	span: { from: string; to: string },
	opts: { events: boolean },
): Promise<void> {
	for (const query of recomputeDayQueries(db, day, span, opts)) await db.executeQuery(query);
}

/**
 * The statements of `recomputeDay`, compiled, in order: plain SQL with parameters, so a worker thread with its own
 * SQLite connection can run them (services/analytics/rebuild-worker.ts) as well as the main connection.
 */
export function recomputeDayQueries(
	db: Db,
	day: string,
	span: { from: string; to: string },
	opts: { events: boolean },
	into: (table: RollupTable) => RollupTable = (table) => table,
): CompiledQuery[] {
	const queries: CompiledQuery[] = [];
	for (const table of DAY_TABLES) queries.push(db.deleteFrom(into(table)).where('day', '=', day).compile());
	const refunded = sql<number>`coalesce(p.amount_refunded, 0)`;
	queries.push(
		db
			.insertInto(into('analytics_sales_day') as 'analytics_sales_day')
			.columns(['day', 'currency', 'orders', 'canceled_orders', 'revenue', 'refunded', 'units'])
			.expression(
				db
					.selectFrom('orders as o')
					.leftJoin('payment as p', 'p.order_id', 'o.id')
					.select((eb) => [
						sql.val(day).as('day'),
						'o.currency_code',
						eb.fn.countAll().as('orders'),
						eb.fn.sum(sql`case when o.status = 'canceled' then 1 else 0 end`).as('canceled_orders'),
						eb.fn
							.sum(
								sql`case when o.status <> 'canceled' and o.total - ${refunded} > 0 then o.total - ${refunded} else 0 end`,
							)
							.as('revenue'),
						eb.fn.sum(refunded).as('refunded'),
						sql.lit(0).as('units'),
					])
					.where('o.created_at', '>=', span.from)
					.where('o.created_at', '<', span.to)
					.groupBy('o.currency_code'),
			)
			.compile(),
	);
	queries.push(
		db
			.insertInto(into('analytics_product_day') as 'analytics_product_day')
			.columns(['day', 'currency', 'variant_id', 'product_id', 'title', 'units', 'revenue'])
			.expression(
				db
					.selectFrom('order_line as l')
					.innerJoin('orders as o', 'o.id', 'l.order_id')
					.select((eb) => [
						sql.val(day).as('day'),
						'o.currency_code',
						'l.variant_id',
						'l.product_id',
						eb.fn.max('l.title').as('title'),
						eb.fn.sum(sql`l.quantity - l.returned_quantity`).as('units'),
						eb.fn
							.sum(
								sql`case when l.returned_quantity = 0 then l.subtotal - l.discount_total else (2 * (l.subtotal - l.discount_total) * (l.quantity - l.returned_quantity) + l.quantity) / (2 * l.quantity) end`,
							)
							.as('revenue'),
					])
					.where('o.created_at', '>=', span.from)
					.where('o.created_at', '<', span.to)
					.where('o.status', '<>', 'canceled')
					.groupBy(['o.currency_code', 'l.variant_id', 'l.product_id']),
			)
			.compile(),
	);
	queries.push(
		db
			.updateTable(into('analytics_sales_day') as 'analytics_sales_day')
			.set({
				units: sql`coalesce((select sum(pd.units) from ${sql.table(into('analytics_product_day'))} pd where pd.day = ${sql.ref(`${into('analytics_sales_day')}.day`)} and pd.currency = ${sql.ref(`${into('analytics_sales_day')}.currency`)}), 0)`,
			})
			.where('day', '=', day)
			.compile(),
	);
	queries.push(
		db
			.insertInto(into('analytics_cart_fact') as 'analytics_cart_fact')
			.columns(['cart_id', 'day', 'has_items', 'completed'])
			.expression(
				db
					.selectFrom('cart as c')
					.select((eb) => [
						'c.id',
						sql.val(day).as('day'),
						eb
							.case()
							.when(eb.exists(eb.selectFrom('line_item as li').select('li.id').whereRef('li.cart_id', '=', 'c.id')))
							.then(1)
							.else(0)
							.end()
							.as('has_items'),
						eb.case().when('c.completed_at', 'is', null).then(0).else(1).end().as('completed'),
					])
					.where('c.created_at', '>=', span.from)
					.where('c.created_at', '<', span.to),
			)
			.compile(),
	);
	// HAVING without GROUP BY (SQLite ≥ 3.39, PostgreSQL): no row for a day without carts or events.
	queries.push(
		db
			.insertInto(into('analytics_cart_day') as 'analytics_cart_day')
			.columns(['day', 'carts', 'with_items', 'completed'])
			.expression(
				db
					.selectFrom(into('analytics_cart_fact') as 'analytics_cart_fact')
					.select((eb) => [
						sql.val(day).as('day'),
						eb.fn.countAll().as('carts'),
						eb.fn.sum('has_items').as('with_items'),
						eb.fn.sum(sql`case when has_items = 1 and completed = 1 then 1 else 0 end`).as('completed'),
					])
					.where('day', '=', day)
					.having((eb) => eb.fn.countAll(), '>', 0),
			)
			.compile(),
	);
	if (opts.events) queries.push(...recomputeTrafficQueries(db, day, span, into));
	return queries;
}

/** A table a rebuild writes; `…_stage` is its session-private copy (a TEMP table) while a day is computed. */
type RollupTable = (typeof DAY_TABLES)[number] | (typeof TRAFFIC_TABLES)[number];
const stageOf = (table: RollupTable) => `${table}_stage` as RollupTable;

/**
 * One day's rebuild in two steps, so the write lock is held for a copy rather than for the scan (the rebuild of #18):
 * `compute` runs the day's recomputation into TEMP copies of the rollup tables (on SQLite a TEMP table lives in the
 * connection's own temp database, so filling it takes no lock on the store's file; on PostgreSQL it touches no shared
 * row); `swap`, in a short write transaction, replaces the day's rows with the staged ones. `guard` reads the day's
 * rollup rows: run it in the compute step's snapshot and again at the start of the swap; if a writer changed the day
 * in between (an order placed meanwhile added itself to the rollups), the staged rows miss it and the day is computed
 * again. `setup` and `cleanup` create and drop the TEMP tables (the same connection must run every step).
 */
export function stagedDayQueries(
	db: Db,
	day: string,
	span: { from: string; to: string },
	opts: { events: boolean },
): {
	setup: CompiledQuery[];
	compute: CompiledQuery[];
	guard: CompiledQuery[];
	swap: CompiledQuery[];
	cleanup: CompiledQuery[];
} {
	const tables: RollupTable[] = [...DAY_TABLES, ...(opts.events ? TRAFFIC_TABLES : [])];
	const raw = (query: ReturnType<typeof sql>) => query.compile(db);
	const setup = tables.map((table) =>
		raw(
			sql`create temp table if not exists ${sql.table(stageOf(table))} as select * from ${sql.table(table)} where 1 = 0`,
		),
	);
	const compute = recomputeDayQueries(db, day, span, opts, stageOf);
	// The day-level rows every incremental writer of that day changes (a visit, an event, an order, a cart, a sale).
	const guard = [
		db.selectFrom('analytics_sales_day').selectAll().where('day', '=', day).orderBy('currency').compile(),
		db
			.selectFrom('analytics_product_day')
			.selectAll()
			.where('day', '=', day)
			.orderBy(['currency', 'variant_id', 'product_id'])
			.compile(),
		db.selectFrom('analytics_cart_day').selectAll().where('day', '=', day).compile(),
		db.selectFrom('analytics_traffic_day').selectAll().where('day', '=', day).compile(),
	];
	const swap = tables.flatMap((table) => [
		db.deleteFrom(table).where('day', '=', day).compile(),
		raw(sql`insert into ${sql.table(table)} select * from ${sql.table(stageOf(table))}`),
	]);
	const cleanup = tables.map((table) => raw(sql`drop table if exists ${sql.table(stageOf(table))}`));
	return { setup, compute, guard, swap, cleanup };
}

/** The traffic part of `recomputeDayQueries`: a day's visits, funnel steps and event count from its raw events. */
export function recomputeTrafficQueries(
	db: Db,
	day: string,
	span: { from: string; to: string },
	into: (table: RollupTable) => RollupTable = (table) => table,
): CompiledQuery[] {
	const queries: CompiledQuery[] = [];
	for (const table of TRAFFIC_TABLES) queries.push(db.deleteFrom(into(table)).where('day', '=', day).compile());
	const flag = (type: FunnelStepColumn) => sql<number>`max(case when type = ${type} then 1 else 0 end)`;
	queries.push(
		db
			.insertInto(into('analytics_visit_day') as 'analytics_visit_day')
			.columns(['day', 'visit_id', ...STEPS])
			.expression(
				db
					.selectFrom('analytics_event')
					.select([
						sql.val(day).as('day'),
						sql<string>`visit_id`.as('visit_id'),
						flag('product_view').as('product_view'),
						flag('add_to_cart').as('add_to_cart'),
						flag('checkout_start').as('checkout_start'),
						flag('purchase').as('purchase'),
					])
					.where('occurred_at', '>=', span.from)
					.where('occurred_at', '<', span.to)
					.where('visit_id', 'is not', null)
					.groupBy('visit_id'),
			)
			.compile(),
	);
	const eventCount = db
		.selectFrom('analytics_event')
		.select((eb) => eb.fn.countAll().as('n'))
		.where('occurred_at', '>=', span.from)
		.where('occurred_at', '<', span.to);
	queries.push(
		db
			.insertInto(into('analytics_traffic_day') as 'analytics_traffic_day')
			.columns(['day', 'events', 'visits', ...STEPS])
			.expression(
				db
					.selectFrom(into('analytics_visit_day') as 'analytics_visit_day')
					.select((eb) => [
						sql.val(day).as('day'),
						eventCount.as('events'),
						eb.fn.countAll().as('visits'),
						...STEPS.map((step) => eb.fn.coalesce(eb.fn.sum(step), sql.lit(0)).as(step)),
					])
					.where('day', '=', day)
					.having(eventCount, '>', 0),
			)
			.compile(),
	);
	return queries;
}

/** Raw row counts next to what the rollups say they hold: any difference means rows were written behind their back. */
export interface RollupDrift {
	orders: { raw: number; rolled: number };
	carts: { raw: number; rolled: number };
	events: { raw: number; rolled: number };
}

/**
 * Counts for the start-up check: orders, carts, and events since `eventsFromDay`/`eventsFrom` (raw events before it
 * were pruned, their rollups kept). Each is one index-only count; at 1M events about 50 ms.
 */
export async function rollupDrift(
	db: Db,
	events: { fromDay: string; fromTimestamp: string } | null,
): Promise<RollupDrift> {
	const count = async (query: Promise<{ n: unknown } | undefined>) => num((await query)?.n);
	let rawEvents = db.selectFrom('analytics_event').select((eb) => eb.fn.countAll().as('n'));
	let rolledEvents = db.selectFrom('analytics_traffic_day').select((eb) => eb.fn.sum('events').as('n'));
	if (events) {
		rawEvents = rawEvents.where('occurred_at', '>=', events.fromTimestamp);
		rolledEvents = rolledEvents.where('day', '>=', events.fromDay);
	}
	const [ordersRaw, ordersRolled, cartsRaw, cartsRolled, eventsRaw, eventsRolled] = await Promise.all([
		count(
			db
				.selectFrom('orders')
				.select((eb) => eb.fn.countAll().as('n'))
				.executeTakeFirst(),
		),
		count(
			db
				.selectFrom('analytics_sales_day')
				.select((eb) => eb.fn.sum('orders').as('n'))
				.executeTakeFirst(),
		),
		count(
			db
				.selectFrom('cart')
				.select((eb) => eb.fn.countAll().as('n'))
				.executeTakeFirst(),
		),
		count(
			db
				.selectFrom('analytics_cart_fact')
				.select((eb) => eb.fn.countAll().as('n'))
				.executeTakeFirst(),
		),
		count(rawEvents.executeTakeFirst()),
		count(rolledEvents.executeTakeFirst()),
	]);
	return {
		orders: { raw: ordersRaw, rolled: ordersRolled },
		carts: { raw: cartsRaw, rolled: cartsRolled },
		events: { raw: eventsRaw, rolled: eventsRolled },
	};
}

/** Deletes raw events before `before` (ISO) in batches of `batch` rows; returns how many went. Rollups are untouched. */
export async function deleteEventsBatch(db: Db, before: string, batch: number): Promise<number> {
	const result = await db
		.deleteFrom('analytics_event')
		.where('id', 'in', db.selectFrom('analytics_event').select('id').where('occurred_at', '<', before).limit(batch))
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Drops the per-visit memory of days before `day` (only recent days can still receive events). */
export async function deleteVisitDaysBefore(db: Db, day: string): Promise<void> {
	await db.deleteFrom('analytics_visit_day').where('day', '<', day).execute();
}

// ------------------------------------------------------------------------------------------------------ dashboard

/** Sums of the sales rollup over the days `from`..`to`, per currency. */
export async function sumSalesByCurrency(db: Db, from: string, to: string) {
	const rows = await db
		.selectFrom('analytics_sales_day')
		.select((eb) => [
			'currency',
			eb.fn.sum('orders').as('orders'),
			eb.fn.sum('canceled_orders').as('canceled_orders'),
			eb.fn.sum('revenue').as('revenue'),
			eb.fn.sum('refunded').as('refunded'),
			eb.fn.sum('units').as('units'),
		])
		.where('day', '>=', from)
		.where('day', '<=', to)
		.groupBy('currency')
		.execute();
	return rows.map((r) => ({
		currency: r.currency,
		orders: num(r.orders),
		canceledOrders: num(r.canceled_orders),
		revenue: num(r.revenue),
		refunded: num(r.refunded),
		units: num(r.units),
	}));
}

/** Revenue and counted orders per day of one currency (days without a row are left out). */
export async function salesPerDay(db: Db, from: string, to: string, currency: string) {
	const rows = await db
		.selectFrom('analytics_sales_day')
		.select(['day', 'revenue', 'orders', 'canceled_orders'])
		.where('day', '>=', from)
		.where('day', '<=', to)
		.where('currency', '=', currency)
		.execute();
	return rows.map((r) => ({ day: r.day, revenue: num(r.revenue), orders: num(r.orders) - num(r.canceled_orders) }));
}

/** Units and revenue per product over the days of one currency, with the catalog's title when it still has one. */
export async function sumProducts(db: Db, from: string, to: string, currency: string) {
	const rows = await db
		.selectFrom('analytics_product_day as pd')
		.leftJoin('product as p', 'p.id', 'pd.product_id')
		.select((eb) => [
			'pd.product_id',
			'p.title as catalog_title',
			eb.fn.max('pd.title').as('line_title'),
			eb.fn.sum('pd.units').as('units'),
			eb.fn.sum('pd.revenue').as('revenue'),
		])
		.where('pd.day', '>=', from)
		.where('pd.day', '<=', to)
		.where('pd.currency', '=', currency)
		.groupBy(['pd.product_id', 'p.title'])
		.execute();
	return rows.map((r) => ({
		productId: r.product_id,
		title: r.catalog_title ?? String(r.line_title),
		units: num(r.units),
		revenue: num(r.revenue),
	}));
}

/** Events, visits and funnel steps over the days. */
export async function sumTraffic(db: Db, from: string, to: string) {
	const row = await db
		.selectFrom('analytics_traffic_day')
		.select((eb) => [
			eb.fn.sum('events').as('events'),
			eb.fn.sum('visits').as('visits'),
			...STEPS.map((step) => eb.fn.sum(step).as(step)),
		])
		.where('day', '>=', from)
		.where('day', '<=', to)
		.executeTakeFirst();
	return {
		events: num(row?.events),
		visits: num(row?.visits),
		productView: num(row?.product_view),
		addToCart: num(row?.add_to_cart),
		checkoutStart: num(row?.checkout_start),
		purchase: num(row?.purchase),
	};
}

/** Carts created over the days: all, with items, completed with items. */
export async function sumCarts(db: Db, from: string, to: string) {
	const row = await db
		.selectFrom('analytics_cart_day')
		.select((eb) => [
			eb.fn.sum('carts').as('carts'),
			eb.fn.sum('with_items').as('with_items'),
			eb.fn.sum('completed').as('completed'),
		])
		.where('day', '>=', from)
		.where('day', '<=', to)
		.executeTakeFirst();
	return { carts: num(row?.carts), withItems: num(row?.with_items), completed: num(row?.completed) };
}

/** Every row of every rollup table, sorted: what the equality test compares. */
export async function dumpRollups(db: Db) {
	const [sales, products, traffic, carts] = await Promise.all([
		db.selectFrom('analytics_sales_day').selectAll().orderBy('day').orderBy('currency').execute(),
		db
			.selectFrom('analytics_product_day')
			.selectAll()
			.orderBy('day')
			.orderBy('currency')
			.orderBy('variant_id')
			.orderBy('product_id')
			.execute(),
		db.selectFrom('analytics_traffic_day').selectAll().orderBy('day').execute(),
		db.selectFrom('analytics_cart_day').selectAll().orderBy('day').execute(),
	]);
	return { sales, products, traffic, carts };
}

/** Deletes rollup rows of days before `first` or after `last` (all of them when `first` is null); two index ranges. */
export async function deleteRollupDaysOutside(
	db: Db,
	first: string | null,
	last: string,
	keepTrafficBefore: string | null,
): Promise<void> {
	for (const table of [...DAY_TABLES, ...TRAFFIC_TABLES]) {
		const traffic = (TRAFFIC_TABLES as readonly string[]).includes(table);
		const floor = traffic && keepTrafficBefore ? keepTrafficBefore : null;
		if (first && (!floor || floor < first)) {
			let before = db.deleteFrom(table).where('day', '<', first);
			if (floor) before = before.where('day', '>=', floor);
			await before.execute();
		}
		let after = db.deleteFrom(table).where('day', '>', first ? last : '');
		if (floor) after = after.where('day', '>=', floor);
		await after.execute();
	}
}

import { type Kysely, sql } from 'kysely';
import { databaseDialect } from '../dialect.ts';

// Frozen: never edit; add a new migration instead.
// PostgreSQL only (issue 12); on SQLite it changes nothing (INTEGER is already 64-bit, REAL already double).
// - Money can exceed PostgreSQL's 32-bit `integer` (21 474 836.47 in a two-decimal currency: one large order, or an
//   order total in a zero-decimal currency such as JPY or KRW), so every amount becomes `bigint`.
// - `real` is single precision on PostgreSQL (a 8.25 % tax rate would read back as 0.082499996); rates become `double
//   precision`, what SQLite's REAL is.
// - Order numbers come from a sequence: several servers place orders at once and max(display_id) + 1 would collide.

const MONEY: Record<string, string[]> = {
	money_amount: ['amount'],
	discount: ['min_subtotal', 'max_discount_amount'],
	payment_session: ['amount'],
	orders: [
		'subtotal',
		'discount_total',
		'shipping_total',
		'shipping_tax_total',
		'item_tax_total',
		'tax_total',
		'total',
	],
	order_line: ['unit_price', 'subtotal', 'discount_total', 'tax_total', 'total'],
	payment: ['amount', 'amount_authorized', 'amount_captured', 'amount_refunded'],
	analytics_event: ['value'],
};

export async function up(db: Kysely<any>): Promise<void> {
	if (databaseDialect(db) !== 'postgres') return;
	for (const [table, columns] of Object.entries(MONEY)) {
		const changes = columns.map((c) => sql`alter column ${sql.ref(c)} type bigint`);
		await sql`alter table ${sql.table(table)} ${sql.join(changes)}`.execute(db);
	}
	await sql`alter table orders alter column tax_rate type double precision`.execute(db);
	await sql`alter table discount alter column value type double precision`.execute(db);
	await sql`create sequence orders_display_id_seq minvalue 1001 owned by orders.display_id`.execute(db);
	await sql`select setval('orders_display_id_seq', greatest(1001, (select coalesce(max(display_id), 0) + 1 from orders)), false)`.execute(
		db,
	);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (databaseDialect(db) !== 'postgres') return;
	await sql`drop sequence orders_display_id_seq`.execute(db);
}

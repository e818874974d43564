// Seeds a large history the way an import or a restored database brings it: by cloning rows directly in the SQLite
// file, behind the app's back (no rollups written). Used by `npm run bench` (analytics figures) and its test.
import SQLite from 'better-sqlite3';

const DAY_MS = 86_400_000;

/** `insert into <table> select <columns with overrides> from <numbers>, <template row>` for `count` copies. */
function cloneSql(db, table, templateWhere, overrides) {
	const columns = db
		.prepare(`pragma table_info(${table})`)
		.all()
		.map((c) => c.name);
	const select = columns.map((c) => (c in overrides ? `${overrides[c]}` : `t.${c}`)).join(', ');
	return `with recursive n(i) as (select 1 union all select i + 1 from n where i < @count)
		insert into ${table} (${columns.join(', ')}) select ${select} from n, (select * from ${table} where ${templateWhere}) t`;
}

/**
 * Clones the store's first order (with its cart, lines and payment) `orders` times over the last `days` days, one in
 * twenty canceled, and writes `events` analytics events (five per visit: page, product, cart, checkout, page) over the
 * same days. Returns the counts written and the time it took.
 * @param {string} databasePath
 * @param {{ orders?: number; events?: number; days?: number; now?: number }} [opts]
 */
export function seedHistory(databasePath, opts = {}) {
	const orders = opts.orders ?? 100_000;
	const events = opts.events ?? 1_000_000;
	const days = opts.days ?? 60;
	const now = opts.now ?? Date.now();
	const started = Date.now();
	const db = new SQLite(databasePath);
	db.pragma('busy_timeout = 5000');
	try {
		const template = db.prepare('select id, cart_id, display_id from orders order by display_id limit 1').get();
		if (!template) throw new Error('seedHistory needs one order to clone: place one first');
		const maxDisplay = db.prepare('select max(display_id) as n from orders').get().n;
		const orderStep = (days * DAY_MS) / orders;
		const ts = (step) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${now} - i * ${step}) / 1000.0, 'unixepoch')`;
		const orderTs = ts(orderStep);
		db.transaction(() => {
			db.prepare(
				cloneSql(db, 'cart', 'id = @cart', {
					id: `'cart_h' || i`,
					shipping_address_id: 'null',
					billing_address_id: 'null',
					created_at: orderTs,
					updated_at: orderTs,
					completed_at: orderTs,
				}),
			).run({ count: orders, cart: template.cart_id });
			db.prepare(
				cloneSql(db, 'orders', 'id = @order', {
					id: `'order_h' || i`,
					display_id: `${maxDisplay} + i`,
					cart_id: `'cart_h' || i`,
					status: `case when i % 20 = 0 then 'canceled' else t.status end`,
					shipping_address_id: 'null',
					billing_address_id: 'null',
					created_at: orderTs,
					updated_at: orderTs,
				}),
			).run({ count: orders, order: template.id });
			for (const line of db.prepare('select id from order_line where order_id = ?').all(template.id)) {
				db.prepare(
					cloneSql(db, 'order_line', 'id = @line', { id: `t.id || '_h' || i`, order_id: `'order_h' || i` }),
				).run({ count: orders, line: line.id });
			}
			db.prepare(
				cloneSql(db, 'payment', 'order_id = @order', {
					id: `'pay_h' || i`,
					order_id: `'order_h' || i`,
					reference: 'null',
					created_at: orderTs,
					updated_at: orderTs,
				}),
			).run({ count: orders, order: template.id });
			const eventTs = ts((days * DAY_MS) / events);
			db.prepare(
				`with recursive n(i) as (select 1 union all select i + 1 from n where i < @count)
				insert into analytics_event (id, visit_id, type, path, product_id, variant_id, cart_id, order_id, value, currency, occurred_at, received_at)
				select 'aev_h' || i, printf('%032x', i / 5),
					case i % 5 when 0 then 'page_view' when 1 then 'product_view' when 2 then 'add_to_cart' when 3 then 'checkout_start' else 'page_view' end,
					'/', null, null, null, null, null, null, ${eventTs}, ${eventTs}
				from n`,
			).run({ count: events });
		})();
	} finally {
		db.close();
	}
	return { orders, events, days, ms: Date.now() - started };
}

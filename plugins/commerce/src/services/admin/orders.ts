import { sql } from 'kysely';
import { z } from 'zod';
import { formatMoney } from '../../core/money.ts';
import { capturableAmount, type OrderChangeAction, refundableAmount } from '../../core/orders/index.ts';
import { newId } from '../../db/ids.ts';
import { loadOrder, type OrderRecord } from '../../db/repositories/order-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { Order } from '../../db/types.ts';
import { orderShippedEmail } from '../../email/index.ts';
import { parseInput } from '../../http/request.ts';
import { invalidData, notFound } from '../../http/store-error.ts';
import { logger } from '../../log/logger.ts';
import { applyOrderTransition, orderStateOf, type TransitionOutcome } from '../orders/apply-transition.ts';
import { sendOrderCanceled } from '../orders/cancel-order.ts';
import type { OrderDeps } from '../orders/order-deps.ts';
import { orderPageUrl } from '../orders/order-link.ts';

type Db = OrderDeps['db'];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write dates as YYYY-MM-DD');

/** Filters of the order list and the CSV export (query strings: every field optional). */
export const orderFilter = z
	.object({
		status: z.string().max(40).optional(),
		payment_status: z.string().max(40).optional(),
		fulfillment_status: z.string().max(40).optional(),
		/** First UTC day included. */
		from: day.optional(),
		/** Last UTC day included. */
		to: day.optional(),
		/** Part of the customer's email. */
		email: z.string().max(200).optional(),
		limit: z.coerce.number().int().min(1).max(200).default(20),
		offset: z.coerce.number().int().min(0).default(0),
	})
	.strict();

export type OrderFilter = z.input<typeof orderFilter>;

function filtered(db: Db, filter: z.output<typeof orderFilter>) {
	let query = db.selectFrom('orders');
	if (filter.status) query = query.where('status', '=', filter.status);
	if (filter.payment_status) query = query.where('payment_status', '=', filter.payment_status);
	if (filter.fulfillment_status) query = query.where('fulfillment_status', '=', filter.fulfillment_status);
	if (filter.from) query = query.where('created_at', '>=', `${filter.from}T00:00:00.000Z`);
	if (filter.to) query = query.where('created_at', '<=', `${filter.to}T23:59:59.999Z`);
	// instr, not LIKE: the text is matched literally (no % or _ wildcards); emails are stored lower-case.
	if (filter.email) query = query.where(sql`instr(email, ${filter.email.trim().toLowerCase()})`, '>', 0);
	return query;
}

/** A page of orders, newest first, with the total count of the filter. */
export async function listOrders(
	db: Db,
	raw: OrderFilter = {},
): Promise<{ orders: Order[]; count: number; limit: number; offset: number }> {
	const filter = parseInput(orderFilter, raw);
	const [orders, total] = await Promise.all([
		filtered(db, filter)
			.selectAll()
			.orderBy('created_at', 'desc')
			.orderBy('display_id', 'desc')
			.limit(filter.limit)
			.offset(filter.offset)
			.execute(),
		filtered(db, filter)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow(),
	]);
	return { orders, count: Number(total.n), limit: filter.limit, offset: filter.offset };
}

/** One order with its lines, payment, discounts, addresses and events; null when it does not exist. */
export async function getOrder(db: Db, orderId: string): Promise<OrderRecord | null> {
	return (await loadOrder(db, orderId)) ?? null;
}

/**
 * A spreadsheet cell: quoted, quotes doubled, and cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
 * carriage return) prefixed with `'` (OWASP CSV injection).
 */
export function csvCell(value: unknown): string {
	let text = value === null || value === undefined ? '' : String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return `"${text.replace(/"/g, '""')}"`;
}

const CSV_COLUMNS = [
	'display_id',
	'id',
	'created_at',
	'email',
	'status',
	'payment_status',
	'fulfillment_status',
	'currency_code',
	'subtotal',
	'discount_total',
	'shipping_total',
	'tax_total',
	'total',
	'carrier',
	'tracking_number',
] as const;

/** Every order of the filter (no paging) as CSV, header row first; amounts in minor units. */
export async function ordersCsv(db: Db, raw: Omit<OrderFilter, 'limit' | 'offset'> = {}): Promise<string> {
	const filter = parseInput(orderFilter, { ...raw, limit: 1, offset: 0 });
	const rows = await filtered(db, filter)
		.selectAll()
		.orderBy('created_at', 'desc')
		.orderBy('display_id', 'desc')
		.execute();
	const lines = [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => csvCell(row[c])).join(','))];
	return `${lines.join('\r\n')}\r\n`;
}

/** What the admin can do to an order (one state-machine action each; amounts in minor units). */
export type AdminOrderAction =
	| { type: 'capture'; amount?: number }
	| { type: 'mark_processing' }
	| { type: 'ship'; carrier: string; trackingNumber: string }
	| { type: 'deliver' }
	| { type: 'cancel'; reason?: string }
	| { type: 'refund'; amount: number; restockLines?: { lineId: string; quantity: number }[] };

/**
 * Applies an admin action through `applyOrderTransition` (state machine, provider effect outside the transaction,
 * ledger rows, order event), then its follow-ups: the shipping notice after `ship`, the cancellation notice after
 * `cancel`, and the per-line restock after a refund. Over-capture and over-refund are refused up front with a 400
 * naming the limit. `actor` is stored on the event and ledger rows (e.g. `admin:ana@shop.test`). Returns the order.
 */
export async function orderAction(
	deps: OrderDeps,
	orderId: string,
	action: AdminOrderAction,
	actor: string,
	origin: string,
): Promise<OrderRecord> {
	const record = await loadOrder(deps.db, orderId);
	if (!record) throw notFound(`Order with id ${orderId} was not found`);
	const state = orderStateOf(record.order, record.payment);
	const money = (amount: number) => formatMoney(amount, record.order.currency_code);
	let change: OrderChangeAction;
	switch (action.type) {
		case 'capture': {
			const limit = capturableAmount(state);
			const amount = action.amount ?? limit;
			if (amount > limit)
				throw invalidData(
					`Cannot capture ${money(amount)}: at most ${money(limit)} of this order's authorization can still be captured.`,
					'capture_exceeds_authorized',
				);
			change = { type: 'capture', amount };
			break;
		}
		case 'refund': {
			const limit = refundableAmount(state);
			if (action.amount > limit)
				throw invalidData(
					`Cannot refund ${money(action.amount)}: at most ${money(limit)} can be refunded (captured minus already refunded).`,
					'refund_exceeds_captured',
				);
			for (const line of action.restockLines ?? []) {
				const found = record.lines.find((l) => l.id === line.lineId);
				if (!found)
					throw invalidData(
						`Order line ${line.lineId} is not part of order #${record.order.display_id}.`,
						'unknown_line',
					);
				if (line.quantity > found.quantity - found.returned_quantity) {
					throw invalidData(
						`Cannot restock ${line.quantity} of ${found.title}: only ${found.quantity - found.returned_quantity} remain on the order.`,
						'restock_exceeds_line',
					);
				}
			}
			change = { type: 'refund', amount: action.amount };
			break;
		}
		default:
			change = action;
	}
	const outcome: TransitionOutcome = await applyOrderTransition(deps, orderId, change, {
		actor,
		restock: change.type === 'cancel' ? undefined : false,
	});
	if (outcome.applied && action.type === 'refund' && action.restockLines?.length)
		await restockLines(deps.db, orderId, action.restockLines, actor);
	if (outcome.applied && action.type === 'ship') await sendOrderShipped(deps, orderId, origin);
	if (outcome.applied && action.type === 'cancel') await sendOrderCanceled(deps, orderId, origin);
	return (await loadOrder(deps.db, orderId)) as OrderRecord;
}

/** Puts refunded goods back into stock: `returned_quantity` on the line, stock up, one `refund_restock` ledger row each. */
async function restockLines(
	db: Db,
	orderId: string,
	lines: { lineId: string; quantity: number }[],
	actor: string,
): Promise<void> {
	await writeTransaction(db, async (trx) => {
		const at = new Date().toISOString();
		for (const { lineId, quantity } of lines) {
			if (quantity <= 0) continue;
			const line = await trx
				.selectFrom('order_line')
				.select(['variant_id', 'quantity', 'returned_quantity'])
				.where('id', '=', lineId)
				.where('order_id', '=', orderId)
				.executeTakeFirst();
			if (!line) continue;
			const n = Math.min(quantity, line.quantity - line.returned_quantity);
			if (n <= 0) continue;
			await trx
				.updateTable('order_line')
				.set({ returned_quantity: line.returned_quantity + n })
				.where('id', '=', lineId)
				.execute();
			const updated = await trx
				.updateTable('inventory_level')
				.set((eb) => ({ stocked_quantity: eb('stocked_quantity', '+', n), updated_at: at }))
				.where('variant_id', '=', line.variant_id)
				.returning('stocked_quantity')
				.executeTakeFirst();
			if (!updated) continue;
			await trx
				.insertInto('inventory_ledger')
				.values({
					id: newId('invl'),
					variant_id: line.variant_id,
					delta: n,
					quantity_after: updated.stocked_quantity,
					reason: 'refund_restock',
					reference_id: orderId,
					actor,
					note: null,
					created_at: at,
				})
				.execute();
		}
	});
}

/** Sends the shipping notice after the transition committed; a mail failure is logged and never undoes the shipment. */
export async function sendOrderShipped(deps: OrderDeps, orderId: string, origin: string): Promise<void> {
	const record = await loadOrder(deps.db, orderId);
	if (!record) return;
	const { order, lines } = record;
	const message = orderShippedEmail({
		displayId: order.display_id,
		email: order.email,
		carrier: order.carrier ?? '',
		trackingNumber: order.tracking_number ?? '',
		items: lines.map((l) => ({ title: l.title, variantTitle: l.variant_title, quantity: l.quantity })),
		orderUrl: orderPageUrl(order, origin),
		shopName: deps.options.storeName,
	});
	try {
		await deps.mailer.send({ to: order.email, ...message });
	} catch (error) {
		logger().error({ err: error }, `[commerce] the shipping email of order #${order.display_id} could not be sent`);
	}
}

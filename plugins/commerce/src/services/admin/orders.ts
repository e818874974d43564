import { z } from 'zod';
import { invalid, notFound } from '../../core/errors.ts';
import { formatMoney, toDecimalString } from '../../core/money.ts';
import {
	capturableAmount,
	type Order,
	type OrderChangeAction,
	type OrderDetail,
	orderStateOf,
	refundableAmount,
} from '../../core/orders/index.ts';
import { INTEGER_RANGES, queryInt } from '../../core/safe-integers.ts';
import {
	countOrders,
	listOrders as listOrderRows,
	listOrdersAfter,
	type OrderListFilter,
} from '../../db/repositories/order-list-repository.ts';
import { changeOrder } from '../orders/change-order.ts';
import type { OrderDeps } from '../orders/order-deps.ts';
import { getOrderDetail } from '../orders/order-queries.ts';

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
		limit: queryInt({ min: 1, max: 200 }, 'limit').default(20),
		offset: queryInt(INTEGER_RANGES.offset, 'offset').default(0),
	})
	.strict();

/** A parsed `orderFilter` (what routes and pages pass after validating the query). */
export type OrderFilter = z.output<typeof orderFilter>;

const listFilter = (filter: Omit<OrderFilter, 'limit' | 'offset'>): OrderListFilter => ({
	status: filter.status,
	paymentStatus: filter.payment_status,
	fulfillmentStatus: filter.fulfillment_status,
	from: filter.from,
	to: filter.to,
	email: filter.email,
});

/** A page of orders, newest first, with the total count of the filter. */
export async function listOrders(
	db: Db,
	filter: OrderFilter,
): Promise<{ orders: Order[]; count: number; limit: number; offset: number }> {
	const [orders, count] = await Promise.all([
		listOrderRows(db, listFilter(filter), { limit: filter.limit, offset: filter.offset }),
		countOrders(db, listFilter(filter)),
	]);
	return { orders, count, limit: filter.limit, offset: filter.offset };
}

/** One order with its lines, payment, discounts, addresses and events; null when it does not exist. */
export async function getOrder(db: Db, orderId: string): Promise<OrderDetail | null> {
	return getOrderDetail(db, orderId);
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

const CSV_COLUMNS: [string, (o: Order) => unknown][] = [
	['display_id', (o) => o.displayId],
	['id', (o) => o.id],
	['created_at', (o) => o.createdAt],
	['email', (o) => o.email],
	['status', (o) => o.status],
	['payment_status', (o) => o.paymentStatus],
	['fulfillment_status', (o) => o.fulfillmentStatus],
	['currency_code', (o) => o.currencyCode],
	// Decimal amounts in the order's currency (the column before), as spreadsheets and accounting tools read them.
	['subtotal', (o) => toDecimalString(o.subtotal, o.currencyCode)],
	['discount_total', (o) => toDecimalString(o.discountTotal, o.currencyCode)],
	['shipping_total', (o) => toDecimalString(o.shippingTotal, o.currencyCode)],
	['tax_total', (o) => toDecimalString(o.taxTotal, o.currencyCode)],
	['total', (o) => toDecimalString(o.total, o.currencyCode)],
	['carrier', (o) => o.carrier],
	['tracking_number', (o) => o.trackingNumber],
];

/** Orders read per batch of the CSV export. */
const CSV_BATCH = 500;

/**
 * Every order of the filter (no paging) as CSV, header row first; amounts as decimals with the currency code. Streamed: orders are read
 * in keyset batches of 500 (each a short indexed query) as the client reads, with a turn of the event loop between
 * batches, so a 100,000-order export never holds the server thread or the whole file in memory.
 */
export function ordersCsv(db: Db, filter: Omit<OrderFilter, 'limit' | 'offset'>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	const where = listFilter(filter);
	let after: { createdAt: string; displayId: number } | null = null;
	let started = false;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(encoder.encode(`${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`));
				return;
			}
			await new Promise((resolve) => setImmediate(resolve));
			const batch = await listOrdersAfter(db, where, after, CSV_BATCH);
			if (batch.length) {
				const text = batch.map((order) => `${CSV_COLUMNS.map(([, value]) => csvCell(value(order))).join(',')}\r\n`);
				controller.enqueue(encoder.encode(text.join('')));
				const last = batch.at(-1)!;
				after = { createdAt: last.createdAt, displayId: last.displayId };
			}
			if (batch.length < CSV_BATCH) controller.close();
		},
	});
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
 * Applies an admin action: loads the order once, refuses over-capture, over-refund and impossible restocks up front
 * with a 400 naming the limit, then `changeOrder` decides in the state machine, runs the payment effect and writes
 * the whole change — order, payment, restocked lines with their ledger rows, event, and the shipping or cancellation
 * email — in one transaction. `actor` is stored on the event and ledger rows (e.g. `ana@shop.test`). Returns the
 * order as it now stands, without reading it again.
 */
export async function orderAction(
	deps: OrderDeps,
	orderId: string,
	action: AdminOrderAction,
	actor: string,
	origin: string,
): Promise<OrderDetail> {
	const detail = await getOrderDetail(deps.db, orderId);
	if (!detail) throw notFound(`Order with id ${orderId} was not found`);
	const state = orderStateOf(detail.order, detail.payment);
	const money = (amount: number) => formatMoney(amount, detail.order.currencyCode);
	let change: OrderChangeAction;
	switch (action.type) {
		case 'capture': {
			const limit = capturableAmount(state);
			const amount = action.amount ?? limit;
			if (amount > limit)
				throw invalid(
					`Cannot capture ${money(amount)}: at most ${money(limit)} of this order's authorization can still be captured.`,
					'capture_exceeds_authorized',
				);
			change = { type: 'capture', amount };
			break;
		}
		case 'refund': {
			const limit = refundableAmount(state);
			if (action.amount > limit)
				throw invalid(
					`Cannot refund ${money(action.amount)}: at most ${money(limit)} can be refunded (captured minus already refunded).`,
					'refund_exceeds_captured',
				);
			for (const line of action.restockLines ?? []) {
				const found = detail.lines.find((l) => l.id === line.lineId);
				if (!found)
					throw invalid(`Order line ${line.lineId} is not part of order #${detail.order.displayId}.`, 'unknown_line');
				if (line.quantity > found.quantity - found.returnedQuantity) {
					throw invalid(
						`Cannot restock ${line.quantity} of ${found.title}: only ${found.quantity - found.returnedQuantity} remain on the order.`,
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
	const outcome = await changeOrder(deps, detail, change, {
		actor,
		origin,
		restockLines: action.type === 'refund' ? action.restockLines : undefined,
	});
	return outcome.detail;
}

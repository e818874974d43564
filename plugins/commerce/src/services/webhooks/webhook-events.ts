import type { Kysely } from 'kysely';
import type { Order, OrderLine, Payment } from '../../core/orders/index.ts';
import { WEBHOOK_FOR_ORDER_EVENT, type WebhookEventType } from '../../core/webhooks/events.ts';
import { newId } from '../../db/ids.ts';
import { enqueueOutbox } from '../../db/repositories/outbox-repository.ts';
import { findStockLevel } from '../../db/repositories/stock-repository.ts';
import { listWebhookEndpoints } from '../../db/repositories/webhook-repository.ts';
import type { Database } from '../../db/types.ts';
import { getDefaultThreshold } from '../inventory/low-stock-threshold.ts';

// Raising a webhook event = one outbox row (kind `webhook`) per enabled endpoint that subscribed to it, written in the
// caller's transaction: the event is delivered exactly when the change it announces committed, and retried from the
// outbox until the endpoint answers 2xx. Called only from the writers (services/orders, services/inventory).

/** The outbox kind of a webhook delivery. */
export const WEBHOOK_KIND = 'webhook';

/** What an outbox row of kind `webhook` carries: everything needed to build and sign the request later. */
export interface WebhookMessage {
	endpointId: string;
	/** The `webhook-id` header: the same on every retry and resend of this message. */
	messageId: string;
	type: WebhookEventType;
	/** ISO time of the event (the body's `timestamp`). */
	timestamp: string;
	data: Record<string, unknown>;
}

/** Queues `type` with `data` for every enabled endpoint subscribed to it; returns how many messages were queued. */
export async function queueWebhookEvent(
	trx: Kysely<Database>,
	type: WebhookEventType,
	data: Record<string, unknown>,
	at: string,
): Promise<number> {
	return queueWebhookEvents(trx, [[type, data]], at);
}

/**
 * Several events of one change (an order placed and paid at once), in order, with the endpoints read once; returns how
 * many messages were queued.
 */
export async function queueWebhookEvents(
	trx: Kysely<Database>,
	events: [WebhookEventType, Record<string, unknown>][],
	at: string,
): Promise<number> {
	const enabled = await listWebhookEndpoints(trx, { enabledOnly: true });
	let queued = 0;
	for (const [type, data] of events) {
		for (const endpoint of enabled.filter((e) => e.events.includes(type))) {
			const message: WebhookMessage = { endpointId: endpoint.id, messageId: newId('msg'), type, timestamp: at, data };
			await enqueueOutbox(trx, { kind: WEBHOOK_KIND, payload: message }, at);
			queued++;
		}
	}
	return queued;
}

/**
 * The order as webhooks describe it (the `data` of every `order.*` event; Medusa's field names, amounts in minor units).
 * Events caused by a change add `change`: what the order event recorded (e.g. a refund's amount).
 */
export function orderWebhookData(order: Order, lines: OrderLine[], payment: Payment | null): Record<string, unknown> {
	return {
		object: 'order',
		id: order.id,
		display_id: order.displayId,
		status: order.status,
		payment_status: order.paymentStatus,
		fulfillment_status: order.fulfillmentStatus,
		email: order.email,
		customer_id: order.customerId,
		region_id: order.regionId,
		currency_code: order.currencyCode,
		subtotal: order.subtotal,
		discount_total: order.discountTotal,
		shipping_total: order.shippingTotal,
		tax_total: order.taxTotal,
		total: order.total,
		paid_total: payment?.amountCaptured ?? 0,
		refunded_total: payment?.amountRefunded ?? 0,
		shipping_method: order.shippingMethodName,
		carrier: order.carrier,
		tracking_number: order.trackingNumber,
		items: lines.map((l) => ({
			id: l.id,
			variant_id: l.variantId,
			product_id: l.productId,
			sku: l.sku,
			title: l.title,
			variant_title: l.variantTitle,
			quantity: l.quantity,
			unit_price: l.unitPrice,
			total: l.total,
		})),
		created_at: order.createdAt,
		updated_at: order.updatedAt,
	};
}

/** Queues the webhook an order event announces (paid, shipped, delivered, canceled, refunded), if it announces one. */
export async function queueOrderEventWebhook(
	trx: Kysely<Database>,
	eventType: string,
	current: { order: Order; lines: OrderLine[]; payment: Payment | null },
	change: Record<string, unknown>,
	at: string,
): Promise<void> {
	const type = WEBHOOK_FOR_ORDER_EVENT[eventType];
	if (!type) return;
	await queueWebhookEvent(
		trx,
		type,
		{ ...orderWebhookData(current.order, current.lines, current.payment), change },
		at,
	);
}

/**
 * Queues `inventory.low_stock` when a move took a variant from above its threshold (its own, else the shop default) to
 * at or below it: once per crossing, not on every sale below it.
 */
export async function queueLowStockIfCrossed(
	trx: Kysely<Database>,
	variantId: string,
	before: number,
	after: number,
	at: string,
): Promise<void> {
	if (after >= before) return;
	const level = await findStockLevel(trx, variantId);
	if (!level) return;
	const threshold = level.lowStockThreshold ?? (await getDefaultThreshold(trx));
	const available = (n: number) => n - level.reserved;
	if (!(available(before) > threshold && available(after) <= threshold)) return;
	await queueWebhookEvent(
		trx,
		'inventory.low_stock',
		{
			object: 'inventory_level',
			variant_id: variantId,
			sku: level.sku,
			product_title: level.productTitle,
			variant_title: level.variantTitle,
			stocked_quantity: after,
			available_quantity: available(after),
			threshold,
		},
		at,
	);
}

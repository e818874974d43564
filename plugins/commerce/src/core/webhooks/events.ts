/** The events a merchant's endpoint can subscribe to (issue 14). */
export const WEBHOOK_EVENT_TYPES = [
	'order.placed',
	'order.paid',
	'order.canceled',
	'order.shipped',
	'order.delivered',
	'order.refunded',
	'inventory.low_stock',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The order event (`order_event.type`) each webhook event announces; placement and low stock are raised directly. */
export const WEBHOOK_FOR_ORDER_EVENT: Partial<Record<string, WebhookEventType>> = {
	payment_captured: 'order.paid',
	order_shipped: 'order.shipped',
	order_delivered: 'order.delivered',
	order_canceled: 'order.canceled',
	payment_refunded: 'order.refunded',
};

/**
 * The retry schedule after a failed attempt, in units of the base delay (5 s by default): 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 10 h — the Standard Webhooks reference schedule, about 27.6 hours from the first attempt to the last.
 */
export const WEBHOOK_RETRY_STEPS = [1, 60, 360, 1440, 3600, 7200, 7200] as const;

/** The delay before the attempt after `attempts` failed ones, or null when none is left. */
export function webhookRetryDelayMs(attempts: number, baseMs: number): number | null {
	const step = WEBHOOK_RETRY_STEPS[attempts - 1];
	return step === undefined ? null : step * baseMs;
}

import client from 'prom-client';
import { processState, type RuntimeGauges } from '../runtime/process-state.ts';

// Every metric the store exports, in one registry per process. Labels are bounded by construction: routes are
// patterns (`/store/carts/:id`), never raw paths; methods, reasons and codes are cleaned to short identifiers.

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

function createMetrics() {
	const registry = new client.Registry();
	// process_resident_memory_bytes, heap, event-loop lag, GC, open handles: the Node.js defaults.
	client.collectDefaultMetrics({ register: registry });
	const registers = [registry];
	return {
		registry,
		httpRequests: new client.Counter({
			name: 'http_requests_total',
			help: 'HTTP requests answered, by method, route pattern and status code.',
			labelNames: ['method', 'route', 'status'] as const,
			registers,
		}),
		httpDuration: new client.Histogram({
			name: 'http_request_duration_seconds',
			help: 'Time from receiving a request to finishing its response, by method and route pattern.',
			labelNames: ['method', 'route'] as const,
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
			registers,
		}),
		ordersPlaced: new client.Counter({
			name: 'commerce_orders_placed_total',
			help: 'Orders placed (carts completed into an order), by currency.',
			labelNames: ['currency'] as const,
			registers,
		}),
		orderValue: new client.Counter({
			name: 'commerce_order_value_minor_total',
			help: 'Sum of placed order totals in minor units (cents), by currency.',
			labelNames: ['currency'] as const,
			registers,
		}),
		paymentFailures: new client.Counter({
			name: 'commerce_payment_failures_total',
			help: 'Payments not authorized at checkout, by provider and reason (the decline code).',
			labelNames: ['provider', 'reason'] as const,
			registers,
		}),
		webhookFailures: new client.Counter({
			name: 'commerce_webhook_failures_total',
			help: 'Webhook deliveries answered with an error, by provider and reason.',
			labelNames: ['provider', 'reason'] as const,
			registers,
		}),
		dbErrors: new client.Counter({
			name: 'commerce_db_errors_total',
			help: 'Database queries that failed, by driver error code (SQLITE_BUSY, SQLITE_CONSTRAINT_UNIQUE, …).',
			labelNames: ['code'] as const,
			registers,
		}),
		emailFailures: new client.Counter({
			name: 'commerce_email_failures_total',
			help: 'Emails that could not be sent or written to the outbox.',
			registers,
		}),
		emailQueueDepth: new client.Gauge({
			name: 'commerce_email_queue_depth',
			help: 'Emails accepted but not yet sent.',
			registers,
		}),
		emailQueueAge: new client.Gauge({
			name: 'commerce_email_queue_oldest_age_seconds',
			help: 'Age of the oldest email not yet sent (0 when none waits).',
			registers,
		}),
		analyticsQueueDepth: new client.Gauge({
			name: 'commerce_analytics_queue_depth',
			help: 'Analytics events waiting in memory for their batch write.',
			registers,
		}),
		analyticsDropped: new client.Gauge({
			name: 'commerce_analytics_events_dropped',
			help: 'Analytics events dropped since the process started (queue full or a failed write).',
			registers,
		}),
		backups: new client.Counter({
			name: 'commerce_backups_total',
			help: 'Backups made by this process (scheduled), by status.',
			labelNames: ['status'] as const,
			registers,
		}),
		backupLastSuccess: new client.Gauge({
			name: 'commerce_backup_last_success_timestamp_seconds',
			help: 'When the last good backup of the database finished (Unix time; any process: CLI or schedule). 0 = never.',
			registers,
		}),
		backupLastSize: new client.Gauge({
			name: 'commerce_backup_last_size_bytes',
			help: 'Size of the last good backup.',
			registers,
		}),
		backupLastDuration: new client.Gauge({
			name: 'commerce_backup_last_duration_seconds',
			help: 'How long the last good backup took.',
			registers,
		}),
		ready: new client.Gauge({
			name: 'commerce_ready',
			help: '1 while the store is ready for traffic (database reachable, schema current, not draining).',
			registers,
		}),
	};
}

export type CommerceMetrics = ReturnType<typeof createMetrics>;

/** The process-wide metrics (shared by every copy of this module in the process). */
export function metrics(): CommerceMetrics {
	const state = processState();
	state.metrics ??= createMetrics();
	return state.metrics as CommerceMetrics;
}

/** A short identifier for a label value (reasons, codes): anything else becomes `other`. */
export function labelValue(value: unknown, fallback = 'other'): string {
	return typeof value === 'string' && /^[A-Za-z0-9_.:-]{1,48}$/.test(value) ? value : fallback;
}

/** Records one answered HTTP request. */
export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
	const m = metrics();
	const verb = METHODS.has(method) ? method : 'OTHER';
	m.httpRequests.inc({ method: verb, route, status: String(status) });
	m.httpDuration.observe({ method: verb, route }, seconds);
}

/** An order was placed (counted once, by the request or webhook that placed it). */
export function countOrderPlaced(currency: string, total: number): void {
	const m = metrics();
	const c = labelValue(currency.toLowerCase(), 'unknown');
	m.ordersPlaced.inc({ currency: c });
	if (total > 0) m.orderValue.inc({ currency: c }, total);
}

/** A payment was refused or failed at checkout. */
export function countPaymentFailure(provider: string, reason: string | undefined): void {
	metrics().paymentFailures.inc({ provider: labelValue(provider), reason: labelValue(reason ?? 'payment_failed') });
}

/** A webhook delivery was answered with an error status. */
export function countWebhookFailure(provider: string, reason: string): void {
	metrics().webhookFailures.inc({ provider: labelValue(provider), reason: labelValue(reason) });
}

/** A database query failed (called from the database layer's error log hook). */
export function countDbError(error: unknown): void {
	const code = (error as { code?: unknown } | null)?.code;
	metrics().dbErrors.inc({ code: labelValue(code, 'unknown') });
}

/** Fills the gauges that describe the running store; called right before each scrape. */
export async function refreshRuntimeGauges(read: (() => Promise<RuntimeGauges>) | undefined): Promise<void> {
	if (!read) return;
	const m = metrics();
	const g = await read();
	m.emailQueueDepth.set(g.emailQueue.depth);
	m.emailQueueAge.set(g.emailQueue.oldestAgeSeconds);
	m.analyticsQueueDepth.set(g.analyticsQueue.depth);
	m.analyticsDropped.set(g.analyticsQueue.dropped);
	m.backupLastSuccess.set(g.lastBackup.succeededAt ?? 0);
	if (g.lastBackup.bytes !== null) m.backupLastSize.set(g.lastBackup.bytes);
	if (g.lastBackup.durationSeconds !== null) m.backupLastDuration.set(g.lastBackup.durationSeconds);
}

import type { Kysely, Selectable, Updateable } from 'kysely';
import { compiledQuery } from '../compiled-query.ts';
import type { Database, WebhookDeliveryTable, WebhookEndpointTable } from '../types.ts';

// Webhook endpoints and their delivery log (migration 0035). Messages travel through the outbox; this file only
// stores what the merchant configured and what each attempt did.

type Db = Kysely<Database>;

export interface WebhookEndpoint {
	id: string;
	url: string;
	events: string[];
	description: string | null;
	secret: string;
	previousSecret: string | null;
	previousSecretExpiresAt: string | null;
	enabled: boolean;
	disabledReason: string | null;
	disabledAt: string | null;
	failureCount: number;
	failingSince: string | null;
	createdAt: string;
	updatedAt: string;
}

export interface WebhookDelivery {
	id: string;
	endpointId: string;
	messageId: string;
	eventType: string;
	outboxId: string | null;
	attempt: number;
	status: 'succeeded' | 'failed';
	responseStatus: number | null;
	latencyMs: number;
	error: string | null;
	payload: string;
	createdAt: string;
}

const toEndpoint = (row: Selectable<WebhookEndpointTable>): WebhookEndpoint => ({
	id: row.id,
	url: row.url,
	events: JSON.parse(row.events) as string[],
	description: row.description,
	secret: row.secret,
	previousSecret: row.previous_secret,
	previousSecretExpiresAt: row.previous_secret_expires_at,
	enabled: row.enabled === 1,
	disabledReason: row.disabled_reason,
	disabledAt: row.disabled_at,
	failureCount: row.failure_count,
	failingSince: row.failing_since,
	createdAt: row.created_at,
	updatedAt: row.updated_at,
});

const toDelivery = (row: Selectable<WebhookDeliveryTable>): WebhookDelivery => ({
	id: row.id,
	endpointId: row.endpoint_id,
	messageId: row.message_id,
	eventType: row.event_type,
	outboxId: row.outbox_id,
	attempt: row.attempt,
	status: row.status,
	responseStatus: row.response_status,
	latencyMs: row.latency_ms,
	error: row.error,
	payload: row.payload,
	createdAt: row.created_at,
});

export async function insertWebhookEndpoint(
	db: Db,
	e: Pick<WebhookEndpoint, 'id' | 'url' | 'events' | 'description' | 'secret' | 'createdAt'>,
): Promise<void> {
	await db
		.insertInto('webhook_endpoint')
		.values({
			id: e.id,
			url: e.url,
			events: JSON.stringify(e.events),
			description: e.description,
			secret: e.secret,
			previous_secret: null,
			previous_secret_expires_at: null,
			enabled: 1,
			disabled_reason: null,
			disabled_at: null,
			failure_count: 0,
			failing_since: null,
			created_at: e.createdAt,
			updated_at: e.createdAt,
		})
		.execute();
}

export async function findWebhookEndpoint(db: Db, id: string): Promise<WebhookEndpoint | null> {
	const row = await db.selectFrom('webhook_endpoint').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? toEndpoint(row) : null;
}

export async function listWebhookEndpoints(db: Db, filter: { enabledOnly?: boolean } = {}): Promise<WebhookEndpoint[]> {
	if (filter.enabledOnly) return (await enabledEndpoints(db)).rows.map(toEndpoint);
	return (await db.selectFrom('webhook_endpoint').selectAll().orderBy('created_at').orderBy('id').execute()).map(
		toEndpoint,
	);
}

// Read by every order change that may notify (each order placed): compiled once (compiled-query.ts).
const enabledEndpoints = compiledQuery((db: Db) =>
	db.selectFrom('webhook_endpoint').selectAll().where('enabled', '=', 1).orderBy('created_at').orderBy('id'),
);

export interface WebhookEndpointChanges {
	url?: string;
	events?: string[];
	description?: string | null;
	secret?: string;
	previousSecret?: string | null;
	previousSecretExpiresAt?: string | null;
	enabled?: boolean;
	disabledReason?: string | null;
	disabledAt?: string | null;
	failureCount?: number;
	failingSince?: string | null;
	updatedAt: string;
}

/** Applies the given changes; false when the endpoint does not exist. */
export async function updateWebhookEndpoint(db: Db, id: string, c: WebhookEndpointChanges): Promise<boolean> {
	const set: Updateable<WebhookEndpointTable> = { updated_at: c.updatedAt };
	if (c.url !== undefined) set.url = c.url;
	if (c.events !== undefined) set.events = JSON.stringify(c.events);
	if (c.description !== undefined) set.description = c.description;
	if (c.secret !== undefined) set.secret = c.secret;
	if (c.previousSecret !== undefined) set.previous_secret = c.previousSecret;
	if (c.previousSecretExpiresAt !== undefined) set.previous_secret_expires_at = c.previousSecretExpiresAt;
	if (c.enabled !== undefined) set.enabled = c.enabled ? 1 : 0;
	if (c.disabledReason !== undefined) set.disabled_reason = c.disabledReason;
	if (c.disabledAt !== undefined) set.disabled_at = c.disabledAt;
	if (c.failureCount !== undefined) set.failure_count = c.failureCount;
	if (c.failingSince !== undefined) set.failing_since = c.failingSince;
	const result = await db.updateTable('webhook_endpoint').set(set).where('id', '=', id).executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

/** Deletes an endpoint and its delivery log; false when it did not exist. */
export async function deleteWebhookEndpoint(db: Db, id: string): Promise<boolean> {
	await db.deleteFrom('webhook_delivery').where('endpoint_id', '=', id).execute();
	const result = await db.deleteFrom('webhook_endpoint').where('id', '=', id).executeTakeFirst();
	return Number(result.numDeletedRows) > 0;
}

/** Counts one failed attempt; the run of failures starts at `at` unless one is already running. Returns the endpoint. */
export async function recordEndpointFailure(db: Db, id: string, at: string): Promise<WebhookEndpoint | null> {
	await db
		.updateTable('webhook_endpoint')
		.set((eb) => ({
			failure_count: eb('failure_count', '+', 1),
			failing_since: eb.fn.coalesce('failing_since', eb.val(at)),
		}))
		.where('id', '=', id)
		.execute();
	return findWebhookEndpoint(db, id);
}

/** A success ends the run of failures. */
export async function recordEndpointSuccess(db: Db, id: string): Promise<void> {
	await db
		.updateTable('webhook_endpoint')
		.set({ failure_count: 0, failing_since: null })
		.where('id', '=', id)
		.where('failure_count', '>', 0)
		.execute();
}

export async function insertWebhookDelivery(db: Db, d: WebhookDelivery): Promise<void> {
	await db
		.insertInto('webhook_delivery')
		.values({
			id: d.id,
			endpoint_id: d.endpointId,
			message_id: d.messageId,
			event_type: d.eventType,
			outbox_id: d.outboxId,
			attempt: d.attempt,
			status: d.status,
			response_status: d.responseStatus,
			latency_ms: d.latencyMs,
			error: d.error,
			payload: d.payload,
			created_at: d.createdAt,
		})
		.execute();
}

/** One endpoint's attempts, newest first, with the total count. */
export async function listWebhookDeliveries(
	db: Db,
	endpointId: string,
	page: { limit: number; offset: number },
): Promise<{ deliveries: WebhookDelivery[]; count: number }> {
	const rows = await db
		.selectFrom('webhook_delivery')
		.selectAll()
		.where('endpoint_id', '=', endpointId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(page.limit)
		.offset(page.offset)
		.execute();
	const total = await db
		.selectFrom('webhook_delivery')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('endpoint_id', '=', endpointId)
		.executeTakeFirst();
	return { deliveries: rows.map(toDelivery), count: Number(total?.n ?? 0) };
}

export async function findWebhookDelivery(db: Db, endpointId: string, id: string): Promise<WebhookDelivery | null> {
	const row = await db
		.selectFrom('webhook_delivery')
		.selectAll()
		.where('endpoint_id', '=', endpointId)
		.where('id', '=', id)
		.executeTakeFirst();
	return row ? toDelivery(row) : null;
}

/** Deletes delivery log rows older than `before` (retention); returns how many. */
export async function pruneWebhookDeliveries(db: Db, before: string): Promise<number> {
	const result = await db.deleteFrom('webhook_delivery').where('created_at', '<', before).executeTakeFirst();
	return Number(result.numDeletedRows);
}

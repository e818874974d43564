import { isIP } from 'node:net';
import { z } from 'zod';
import { invalid, notFound } from '../../core/errors.ts';
import { isLocalHostName, isPrivateAddress } from '../../core/webhooks/address-policy.ts';
import { WEBHOOK_EVENT_TYPES } from '../../core/webhooks/events.ts';
import { newWebhookSecret } from '../../core/webhooks/signature.ts';
import type { CommerceDb } from '../../db/client.ts';
import { newId } from '../../db/ids.ts';
import { enqueueOutbox } from '../../db/repositories/outbox-repository.ts';
import {
	deleteWebhookEndpoint,
	findWebhookDelivery,
	findWebhookEndpoint,
	insertWebhookEndpoint,
	listWebhookDeliveries,
	listWebhookEndpoints,
	updateWebhookEndpoint,
	type WebhookDelivery,
	type WebhookEndpoint,
} from '../../db/repositories/webhook-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { WEBHOOK_KIND, type WebhookMessage } from './webhook-events.ts';
import type { WebhookSettings } from './webhook-settings.ts';

// The merchant's side of webhooks: register, change, disable, delete, rotate the secret, read the delivery log, resend.

const eventList = z
	.array(z.enum(WEBHOOK_EVENT_TYPES))
	.min(1, 'subscribe to at least one event')
	.transform((events) => [...new Set(events)]);

const url = z.string().trim().min(1).max(2000);

export const createWebhookInput = z
	.object({ url, events: eventList, description: z.string().trim().max(200).optional() })
	.strict();

export const updateWebhookInput = z
	.object({
		url: url.optional(),
		events: eventList.optional(),
		description: z.string().trim().max(200).nullable().optional(),
		enabled: z.boolean().optional(),
	})
	.strict();

export const deliveriesQuery = z
	.object({
		limit: z.coerce.number().int().min(1).max(200).default(50),
		offset: z.coerce.number().int().min(0).default(0),
	})
	.strict();

/**
 * The URL as it will be called, or `invalid`: http(s) only, no credentials in it, and (unless private addresses are
 * allowed) no loopback, private or local host. Names are resolved again at every delivery, where the same rule applies
 * to every address they resolve to (a name that later points inside is refused then).
 */
export function checkWebhookUrl(raw: string, settings: Pick<WebhookSettings, 'allowPrivate'>): string {
	let parsed: URL;
	try {
		parsed = new URL(raw);
	} catch {
		throw invalid(
			`url must be an absolute http(s) URL such as https://example.com/hooks; got "${raw}".`,
			'invalid_url',
		);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
		throw invalid('url must start with https:// (or http://).', 'invalid_url');
	if (parsed.username || parsed.password)
		throw invalid('url must not contain a user name or password; use the signature to authenticate.', 'invalid_url');
	const host = parsed.hostname.replace(/^\[|\]$/g, '');
	const local = isIP(host) ? isPrivateAddress(host) : isLocalHostName(host);
	if (local && !settings.allowPrivate)
		throw invalid(
			`${parsed.hostname} is a loopback, private or local address, which webhooks never call (SSRF protection). Use a public URL, or set COMMERCE_WEBHOOKS_ALLOW_PRIVATE=1 (webhooks.allowPrivate) for local development.`,
			'private_address',
		);
	parsed.hash = '';
	return parsed.toString();
}

export async function listEndpoints(db: CommerceDb): Promise<WebhookEndpoint[]> {
	return listWebhookEndpoints(db);
}

export async function getEndpoint(db: CommerceDb, id: string): Promise<WebhookEndpoint> {
	const endpoint = await findWebhookEndpoint(db, id);
	if (!endpoint) throw notFound(`Webhook endpoint with id ${id} was not found`);
	return endpoint;
}

export async function createEndpoint(
	db: CommerceDb,
	input: z.output<typeof createWebhookInput>,
	settings: WebhookSettings,
): Promise<WebhookEndpoint> {
	const id = newId('whep');
	await insertWebhookEndpoint(db, {
		id,
		url: checkWebhookUrl(input.url, settings),
		events: input.events,
		description: input.description || null,
		secret: newWebhookSecret(),
		createdAt: new Date().toISOString(),
	});
	return getEndpoint(db, id);
}

/** Changes url, events, description, or enables/disables (enabling clears the failure run and the notice). */
export async function updateEndpoint(
	db: CommerceDb,
	id: string,
	input: z.output<typeof updateWebhookInput>,
	settings: WebhookSettings,
): Promise<WebhookEndpoint> {
	const current = await getEndpoint(db, id);
	const at = new Date().toISOString();
	const enabling = input.enabled === true && !current.enabled;
	const disabling = input.enabled === false && current.enabled;
	await updateWebhookEndpoint(db, id, {
		url: input.url === undefined ? undefined : checkWebhookUrl(input.url, settings),
		events: input.events,
		description: input.description === undefined ? undefined : input.description || null,
		enabled: input.enabled,
		...(enabling ? { disabledReason: null, disabledAt: null, failureCount: 0, failingSince: null } : {}),
		...(disabling ? { disabledReason: 'manual', disabledAt: at } : {}),
		updatedAt: at,
	});
	return getEndpoint(db, id);
}

export async function deleteEndpoint(db: CommerceDb, id: string): Promise<void> {
	if (!(await writeTransaction(db, (trx) => deleteWebhookEndpoint(trx, id))))
		throw notFound(`Webhook endpoint with id ${id} was not found`);
}

/** A new secret; the old one keeps signing beside it for `rotationOverlapMs` so receivers can switch over. */
export async function rotateEndpointSecret(
	db: CommerceDb,
	id: string,
	settings: WebhookSettings,
): Promise<WebhookEndpoint> {
	const current = await getEndpoint(db, id);
	const now = Date.now();
	await updateWebhookEndpoint(db, id, {
		secret: newWebhookSecret(),
		previousSecret: current.secret,
		previousSecretExpiresAt: new Date(now + settings.rotationOverlapMs).toISOString(),
		updatedAt: new Date(now).toISOString(),
	});
	return getEndpoint(db, id);
}

export async function endpointDeliveries(
	db: CommerceDb,
	id: string,
	page: z.output<typeof deliveriesQuery>,
): Promise<{ deliveries: WebhookDelivery[]; count: number }> {
	await getEndpoint(db, id);
	return listWebhookDeliveries(db, id, page);
}

/**
 * Sends a logged message again, with the same `webhook-id` (receivers deduplicate on it) and body, signed anew. The
 * endpoint must be enabled: re-enable it first.
 */
export async function resendDelivery(db: CommerceDb, id: string, deliveryId: string): Promise<WebhookMessage> {
	const endpoint = await getEndpoint(db, id);
	if (!endpoint.enabled)
		throw invalid('This endpoint is disabled. Enable it, then resend.', 'webhook_endpoint_disabled');
	const delivery = await findWebhookDelivery(db, id, deliveryId);
	if (!delivery) throw notFound(`Delivery with id ${deliveryId} was not found for this endpoint`);
	const body = JSON.parse(delivery.payload) as Pick<WebhookMessage, 'type' | 'timestamp' | 'data'>;
	const message: WebhookMessage = {
		endpointId: id,
		messageId: delivery.messageId,
		type: body.type,
		timestamp: body.timestamp,
		data: body.data,
	};
	await enqueueOutbox(db, { kind: WEBHOOK_KIND, payload: message }, new Date().toISOString());
	return message;
}

import type { WebhookDelivery, WebhookEndpoint } from '../../db/repositories/webhook-repository.ts';
import {
	createEndpoint,
	createWebhookInput,
	deleteEndpoint,
	deliveriesQuery,
	endpointDeliveries,
	getEndpoint,
	listEndpoints,
	resendDelivery,
	rotateEndpointSecret,
	updateEndpoint,
	updateWebhookInput,
} from '../../services/webhooks/webhook-endpoints.ts';
import { type AdminRoute, areaRoute } from './area-route.ts';

// Outgoing webhook endpoints (admin only): `{ webhook }` / `{ webhooks }`, secrets `whsec_…` (Standard Webhooks).

/** An endpoint as the admin API answers; the secret is shown to admins (they paste it into their receiver). */
export const toAdminWebhook = (e: WebhookEndpoint) => ({
	id: e.id,
	object: 'webhook_endpoint',
	url: e.url,
	events: e.events,
	description: e.description,
	secret: e.secret,
	enabled: e.enabled,
	disabled_reason: e.disabledReason,
	disabled_at: e.disabledAt,
	failure_count: e.failureCount,
	failing_since: e.failingSince,
	previous_secret_expires_at: e.previousSecretExpiresAt,
	created_at: e.createdAt,
	updated_at: e.updatedAt,
});

export const toAdminDelivery = (d: WebhookDelivery) => ({
	id: d.id,
	message_id: d.messageId,
	event_type: d.eventType,
	attempt: d.attempt,
	status: d.status,
	response_status: d.responseStatus,
	latency_ms: d.latencyMs,
	error: d.error,
	payload: JSON.parse(d.payload) as unknown,
	created_at: d.createdAt,
});

export const webhookRoutes: AdminRoute[] = [
	areaRoute('webhooks', {
		method: 'GET',
		path: '/webhooks',
		handler: async (ctx) => ({ webhooks: (await listEndpoints(ctx.runtime.db)).map(toAdminWebhook) }),
	}),
	areaRoute('webhooks', {
		method: 'POST',
		path: '/webhooks',
		body: createWebhookInput,
		handler: async (ctx) => ({
			webhook: toAdminWebhook(await createEndpoint(ctx.runtime.db, ctx.body, ctx.runtime.webhooks)),
		}),
	}),
	areaRoute('webhooks', {
		method: 'GET',
		path: '/webhooks/:id',
		handler: async (ctx) => ({ webhook: toAdminWebhook(await getEndpoint(ctx.runtime.db, ctx.params.id)) }),
	}),
	areaRoute('webhooks', {
		method: 'POST',
		path: '/webhooks/:id',
		body: updateWebhookInput,
		handler: async (ctx) => ({
			webhook: toAdminWebhook(await updateEndpoint(ctx.runtime.db, ctx.params.id, ctx.body, ctx.runtime.webhooks)),
		}),
	}),
	areaRoute('webhooks', {
		method: 'DELETE',
		path: '/webhooks/:id',
		handler: async (ctx) => {
			await deleteEndpoint(ctx.runtime.db, ctx.params.id);
			return { id: ctx.params.id, object: 'webhook_endpoint', deleted: true };
		},
	}),
	...(['disable', 'enable'] as const).map((action) =>
		areaRoute('webhooks', {
			method: 'POST',
			path: `/webhooks/:id/${action}`,
			handler: async (ctx) => ({
				webhook: toAdminWebhook(
					await updateEndpoint(ctx.runtime.db, ctx.params.id, { enabled: action === 'enable' }, ctx.runtime.webhooks),
				),
			}),
		}),
	),
	areaRoute('webhooks', {
		method: 'POST',
		path: '/webhooks/:id/rotate-secret',
		handler: async (ctx) => ({
			webhook: toAdminWebhook(await rotateEndpointSecret(ctx.runtime.db, ctx.params.id, ctx.runtime.webhooks)),
		}),
	}),
	areaRoute('webhooks', {
		method: 'GET',
		path: '/webhooks/:id/deliveries',
		query: deliveriesQuery,
		handler: async (ctx) => {
			const { deliveries, count } = await endpointDeliveries(ctx.runtime.db, ctx.params.id, ctx.query);
			return { deliveries: deliveries.map(toAdminDelivery), count, ...ctx.query };
		},
	}),
	areaRoute('webhooks', {
		method: 'POST',
		path: '/webhooks/:id/deliveries/:delivery_id/resend',
		handler: async (ctx) => {
			const message = await resendDelivery(ctx.runtime.db, ctx.params.id, ctx.params.delivery_id);
			ctx.runtime.outbox.wake();
			return { queued: true, message_id: message.messageId };
		},
	}),
];

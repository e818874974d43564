import { type LookupAddress, lookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isLocalHostName, isPrivateAddress } from '../../core/webhooks/address-policy.ts';
import { webhookHeaders } from '../../core/webhooks/signature.ts';
import type { CommerceDb } from '../../db/client.ts';
import { newId } from '../../db/ids.ts';
import type { OutboxMessage } from '../../db/repositories/outbox-repository.ts';
import {
	findWebhookEndpoint,
	insertWebhookDelivery,
	recordEndpointFailure,
	recordEndpointSuccess,
	updateWebhookEndpoint,
	type WebhookEndpoint,
} from '../../db/repositories/webhook-repository.ts';
import { logger } from '../../log/logger.ts';
import { GiveUpError, type OutboxHandler } from '../outbox/outbox-drainer.ts';
import type { WebhookMessage } from './webhook-events.ts';
import type { WebhookSettings } from './webhook-settings.ts';

// Delivering one webhook message: build the body, sign it (Standard Webhooks), POST it with a guarded DNS lookup,
// log the attempt, and keep the endpoint's failure run (auto-disable). Throwing makes the outbox retry on the
// webhook schedule; `GiveUpError` ends the message (endpoint gone or disabled).

class RefusedAddressError extends Error {}

/** A DNS lookup that refuses names resolving to any loopback/private address (checked at connect time: no rebinding). */
function guardedLookup(allowPrivate: boolean): LookupFunction {
	return (hostname, options, callback) => {
		lookup(hostname, { ...options, all: true }, (error, addresses) => {
			if (error) return callback(error, '', 0);
			const list = addresses as unknown as LookupAddress[];
			const inside = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
			if (inside || !list.length) {
				const refused = new RefusedAddressError(
					`${hostname} resolves to ${inside?.address ?? 'no address'}, a loopback or private address; webhooks never call those unless COMMERCE_WEBHOOKS_ALLOW_PRIVATE=1.`,
				);
				return callback(refused as NodeJS.ErrnoException, '', 0);
			}
			if ((options as { all?: boolean }).all) return (callback as (e: null, a: LookupAddress[]) => void)(null, list);
			callback(null, list[0].address, list[0].family);
		});
	};
}

export interface PostResult {
	status: number | null;
	/** The first characters of the answer (or the network error). */
	text: string;
}

/** POSTs a JSON body without following redirects; resolves with the status (null on a network error). */
export function postWebhook(
	url: string,
	headers: Record<string, string>,
	body: string,
	opts: { allowPrivate: boolean; timeoutMs: number },
): Promise<PostResult> {
	const target = new URL(url);
	const host = target.hostname.replace(/^\[|\]$/g, '');
	if (!opts.allowPrivate && (isIP(host) ? isPrivateAddress(host) : isLocalHostName(host))) {
		return Promise.resolve({
			status: null,
			text: `${target.hostname} is a loopback or private address; webhooks never call those unless COMMERCE_WEBHOOKS_ALLOW_PRIVATE=1.`,
		});
	}
	const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise((resolve) => {
		let settled = false;
		const done = (result: PostResult) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve(result);
		};
		const req = send(
			target,
			{
				method: 'POST',
				headers: {
					...headers,
					'content-type': 'application/json',
					'content-length': String(Buffer.byteLength(body)),
					'user-agent': 'FrostBuy-Commerce-Webhooks/1',
				},
				lookup: guardedLookup(opts.allowPrivate),
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					if (text.length < 500) text += chunk;
				});
				res.on('end', () => done({ status: res.statusCode ?? null, text: text.slice(0, 500) }));
				res.on('error', (error) => done({ status: res.statusCode ?? null, text: error.message }));
			},
		);
		const timer = setTimeout(() => {
			req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`));
		}, opts.timeoutMs);
		req.on('error', (error) => done({ status: null, text: error.message.slice(0, 500) }));
		req.end(body);
	});
}

function isWebhookMessage(value: unknown): value is WebhookMessage {
	const m = value as Partial<WebhookMessage> | null;
	return (
		typeof m === 'object' &&
		m !== null &&
		typeof m.endpointId === 'string' &&
		typeof m.messageId === 'string' &&
		typeof m.type === 'string' &&
		typeof m.timestamp === 'string' &&
		typeof m.data === 'object'
	);
}

/** The secrets that sign now: the current one, and the previous one while its rotation overlap lasts. */
function signingSecrets(endpoint: WebhookEndpoint, now: Date): string[] {
	const previous =
		endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now.toISOString()
			? [endpoint.previousSecret]
			: [];
	return [endpoint.secret, ...previous];
}

/** The outbox handler of kind `webhook`. */
export function webhookHandler(db: CommerceDb, settings: WebhookSettings): OutboxHandler {
	return async (payload: unknown, outbox: OutboxMessage) => {
		if (!isWebhookMessage(payload)) throw new GiveUpError('The outbox webhook payload is malformed.');
		const endpoint = await findWebhookEndpoint(db, payload.endpointId);
		if (!endpoint) throw new GiveUpError('The webhook endpoint was deleted.');
		if (!endpoint.enabled) throw new GiveUpError('The webhook endpoint is disabled.');

		const body = JSON.stringify({ type: payload.type, timestamp: payload.timestamp, data: payload.data });
		const now = new Date();
		const headers = webhookHeaders(
			signingSecrets(endpoint, now),
			payload.messageId,
			Math.floor(now.getTime() / 1000),
			body,
		);
		const started = performance.now();
		const result = await postWebhook(endpoint.url, headers, body, settings);
		const latencyMs = Math.round(performance.now() - started);
		const ok = result.status !== null && result.status >= 200 && result.status < 300;
		const at = new Date().toISOString();
		await insertWebhookDelivery(db, {
			id: newId('whd'),
			endpointId: endpoint.id,
			messageId: payload.messageId,
			eventType: payload.type,
			outboxId: outbox.id,
			attempt: outbox.attempts,
			status: ok ? 'succeeded' : 'failed',
			responseStatus: result.status,
			latencyMs,
			error: ok ? null : result.text || `HTTP ${result.status}`,
			payload: body,
			createdAt: at,
		});
		if (ok) {
			await recordEndpointSuccess(db, endpoint.id);
			return;
		}
		const reason = result.status === null ? result.text : `HTTP ${result.status}: ${result.text}`.trim();
		const failing = await recordEndpointFailure(db, endpoint.id, at);
		if (failing?.failingSince && Date.parse(at) - Date.parse(failing.failingSince) >= settings.disableAfterMs) {
			const notice = `Disabled automatically on ${at.slice(0, 16).replace('T', ' ')} UTC: every delivery since ${failing.failingSince.slice(0, 16).replace('T', ' ')} UTC failed (${failing.failureCount} attempts; last: ${reason.slice(0, 200)}). Fix the receiver, then enable the endpoint and resend what it missed from the delivery log.`;
			await updateWebhookEndpoint(db, endpoint.id, {
				enabled: false,
				disabledReason: notice,
				disabledAt: at,
				updatedAt: at,
			});
			logger().error(`[commerce] webhook endpoint ${endpoint.id} (${endpoint.url}): ${notice}`);
			throw new GiveUpError(`The endpoint was disabled after failing since ${failing.failingSince}: ${reason}`);
		}
		throw new Error(reason || 'delivery failed');
	};
}

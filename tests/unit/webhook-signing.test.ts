import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { isLocalHostName, isPrivateAddress } from '../../plugins/commerce/src/core/webhooks/address-policy.ts';
import { WEBHOOK_RETRY_STEPS, webhookRetryDelayMs } from '../../plugins/commerce/src/core/webhooks/events.ts';
import { newWebhookSecret, verifyWebhook, webhookHeaders } from '../../plugins/commerce/src/core/webhooks/signature.ts';

describe('webhook signatures (Standard Webhooks)', () => {
	it('produce headers the standardwebhooks package verifies, for every signing secret', () => {
		const secret = newWebhookSecret();
		const older = newWebhookSecret();
		expect(secret).toMatch(/^whsec_/);
		expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
		const body = JSON.stringify({ type: 'order.placed', timestamp: '2026-12-01T00:00:00.000Z', data: { id: 'o' } });
		const now = Math.floor(Date.now() / 1000);
		const headers = webhookHeaders([secret, older], 'msg_1', now, body);
		expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+ v1,[A-Za-z0-9+/=]+$/);
		expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
		expect(new Webhook(older).verify(body, headers)).toEqual(JSON.parse(body));
		expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
		expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
		// Our own verifier agrees, and refuses stale timestamps.
		const parts = { id: 'msg_1', timestamp: String(now), signature: headers['webhook-signature'] };
		expect(verifyWebhook(secret, parts, body, now)).toBe(true);
		expect(verifyWebhook(secret, parts, body, now + 301)).toBe(false);
		expect(verifyWebhook(secret, { ...parts, id: 'msg_2' }, body, now)).toBe(false);
	});

	it('matches the spec example (whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, msg_p5jXN8AQM9LWM0D4loKWxJek)', () => {
		const headers = webhookHeaders(
			['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
			'msg_p5jXN8AQM9LWM0D4loKWxJek',
			1614265330,
			'{"test": 2432232314}',
		);
		expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
	});
});

describe('webhook retry schedule', () => {
	it('spans more than 24 hours and then gives up', () => {
		const base = 5000;
		const total = WEBHOOK_RETRY_STEPS.reduce((sum, _, i) => sum + (webhookRetryDelayMs(i + 1, base) ?? 0), 0);
		expect(total).toBeGreaterThan(24 * 3_600_000);
		expect(webhookRetryDelayMs(1, base)).toBe(5000);
		expect(webhookRetryDelayMs(2, base)).toBe(300_000);
		expect(webhookRetryDelayMs(WEBHOOK_RETRY_STEPS.length + 1, base)).toBeNull();
	});
});

describe('webhook address policy (SSRF)', () => {
	it.each([
		'127.0.0.1',
		'127.8.9.10',
		'10.0.0.1',
		'172.16.5.4',
		'172.31.255.255',
		'192.168.1.1',
		'169.254.169.254',
		'100.64.0.1',
		'0.0.0.0',
		'224.0.0.1',
		'::1',
		'::',
		'fe80::1',
		'fd00::1',
		'::ffff:127.0.0.1',
		'::ffff:10.0.0.1',
		'[::1]',
		'not-an-ip',
	])('%s is private', (address) => {
		expect(isPrivateAddress(address)).toBe(true);
	});

	it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111'])('%s is public', (address) => {
		expect(isPrivateAddress(address)).toBe(false);
	});

	it('treats localhost and .local names as local', () => {
		expect(isLocalHostName('localhost')).toBe(true);
		expect(isLocalHostName('api.localhost')).toBe(true);
		expect(isLocalHostName('nas.local')).toBe(true);
		expect(isLocalHostName('hooks.example.com')).toBe(false);
	});
});

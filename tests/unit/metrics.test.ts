import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import {
	claimOutbox,
	enqueueOutbox,
	markOutboxSent,
} from '../../plugins/commerce/src/db/repositories/outbox-repository.ts';
import type { Mailer } from '../../plugins/commerce/src/email/index.ts';
import { metricsResponse } from '../../plugins/commerce/src/metrics/endpoint.ts';
import { emailQueueState, instrumentMailer } from '../../plugins/commerce/src/metrics/queues.ts';
import {
	countOrderPlaced,
	countPaymentFailure,
	labelValue,
	metrics,
	observeHttpRequest,
} from '../../plugins/commerce/src/metrics/registry.ts';
import { EMAIL_KIND } from '../../plugins/commerce/src/services/outbox/outbox-email.ts';

const dir = mkdtempSync(join(tmpdir(), 'frostbuy-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scrape = (token?: string) =>
	metricsResponse(
		new Request('http://shop.test/metrics', token ? { headers: { authorization: `Bearer ${token}` } } : {}),
		{ METRICS_TOKEN: 'scrape-me-0123456789' },
	);

/** The value of one sample line in Prometheus text, 0 when absent. */
function sample(text: string, line: string): number {
	const found = text.split('\n').find((l) => l.startsWith(`${line} `));
	return found ? Number(found.split(' ').at(-1)) : 0;
}

describe('GET /metrics', () => {
	it('is off without METRICS_TOKEN and answers 401 without the right bearer token', async () => {
		const off = await metricsResponse(new Request('http://shop.test/metrics'), {});
		expect(off.status).toBe(404);
		expect((await off.json()).message).toMatch(/METRICS_TOKEN/);
		const anonymous = await scrape();
		expect(anonymous.status).toBe(401);
		expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
		expect((await scrape('wrong')).status).toBe(401);
		expect((await anonymous.text()).includes('http_requests_total')).toBe(false);
	});

	it('serves the Prometheus text format with process, HTTP and commerce metrics that move', async () => {
		const before = await (await scrape('scrape-me-0123456789')).text();
		observeHttpRequest('POST', '/store/carts/:id/complete', 200, 0.042);
		countOrderPlaced('USD', 4999);
		countPaymentFailure('test', 'card_declined');
		const response = await scrape('scrape-me-0123456789');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const text = await response.text();
		expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
		const completions = 'http_requests_total{method="POST",route="/store/carts/:id/complete",status="200"}';
		expect(sample(text, completions)).toBe(sample(before, completions) + 1);
		expect(sample(text, 'commerce_orders_placed_total{currency="usd"}')).toBe(
			sample(before, 'commerce_orders_placed_total{currency="usd"}') + 1,
		);
		expect(sample(text, 'commerce_payment_failures_total{provider="test",reason="card_declined"}')).toBeGreaterThan(0);
		expect(text).toMatch(
			/http_request_duration_seconds_bucket\{le="0\.05",method="POST",route="\/store\/carts\/:id\/complete"\} [1-9]/,
		);
	});

	it('keeps label values short identifiers and unknown methods bounded', () => {
		expect(labelValue('card_declined')).toBe('card_declined');
		expect(labelValue('a reason with spaces and <html>')).toBe('other');
		expect(labelValue(undefined, 'unknown')).toBe('unknown');
		observeHttpRequest('BREW', '/store/health', 405, 0.001);
		const counter = metrics().httpRequests as unknown as { hashMap: Record<string, { labels: { method: string } }> };
		const methods = Object.values(counter.hashMap).map((v) => v.labels.method);
		expect(methods).toContain('OTHER');
		expect(methods).not.toContain('BREW');
	});

	it('counts failed queries by driver code', async () => {
		const db = openDatabase(join(dir, 'errors.sqlite'));
		const before = (await metrics().dbErrors.get()).values.find((v) => v.labels.code === 'SQLITE_ERROR')?.value ?? 0;
		await expect(
			db
				.selectFrom('no_such_table' as never)
				.selectAll()
				.execute(),
		).rejects.toThrow();
		const after = (await metrics().dbErrors.get()).values.find((v) => v.labels.code === 'SQLITE_ERROR')?.value ?? 0;
		expect(after).toBe(before + 1);
		await db.destroy();
	});
});

describe('email queue gauge', () => {
	it('counts the emails waiting in the outbox and how long the oldest has waited', async () => {
		const db = openDatabase(join(dir, 'queue.sqlite'));
		await migrateToLatest(db);
		expect(await emailQueueState(db)).toEqual({ depth: 0, oldestAgeSeconds: 0 });
		const queuedAt = Date.now();
		await enqueueOutbox(db, { kind: EMAIL_KIND, payload: { n: 1 } }, new Date(queuedAt).toISOString());
		await enqueueOutbox(db, { kind: EMAIL_KIND, payload: { n: 2 } }, new Date(queuedAt + 1000).toISOString());
		// Other kinds of outbox messages are not emails.
		await enqueueOutbox(db, { kind: 'other', payload: {} }, new Date(queuedAt + 1500).toISOString());
		const waiting = await emailQueueState(db, queuedAt + 5000);
		expect(waiting).toEqual({ depth: 2, oldestAgeSeconds: 5 });
		const [first] = await claimOutbox(db, {
			limit: 1,
			now: new Date(queuedAt + 2000).toISOString(),
			lockUntil: new Date(queuedAt + 60_000).toISOString(),
		});
		await markOutboxSent(db, first!, new Date(queuedAt + 3000).toISOString());
		expect(await emailQueueState(db, queuedAt + 5000)).toEqual({ depth: 1, oldestAgeSeconds: 4 });
		await db.destroy();
	});

	it('counts failed sends of the instrumented mailer', async () => {
		const failing: Mailer = { send: () => Promise.reject(new Error('smtp down')) };
		const before = sample(await (await scrape('scrape-me-0123456789')).text(), 'commerce_email_failures_total');
		await expect(
			instrumentMailer(failing).send({ to: 'a@b.co', subject: 's', text: 't', html: 'h' }),
		).rejects.toThrow();
		const after = sample(await (await scrape('scrape-me-0123456789')).text(), 'commerce_email_failures_total');
		expect(after).toBe(before + 1);
	});
});

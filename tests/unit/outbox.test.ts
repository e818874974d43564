import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import {
	claimOutbox,
	enqueueOutbox,
	listOutbox,
} from '../../plugins/commerce/src/db/repositories/outbox-repository.ts';
import { writeTransaction } from '../../plugins/commerce/src/db/transaction.ts';
import {
	type OutboxDrainer,
	type OutboxDrainerOptions,
	retryDelayMs,
	startOutboxDrainer,
} from '../../plugins/commerce/src/services/outbox/outbox-drainer.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// The outbox against a real SQLite file with a clock the test moves: what a transaction enqueues is delivered after
// it commits and never when it rolls back, failures are retried with backoff and given up after the last attempt,
// a claim left by a crashed drainer is taken over once its lock runs out, and two drainers never deliver twice.

let testDb: TestDatabase;
let db: CommerceDb;
let now: Date;
const drainers: OutboxDrainer[] = [];
const extraDbs: CommerceDb[] = [];

beforeEach(async () => {
	testDb = await createTestDatabase('outbox');
	db = testDb.db;
	now = new Date('2026-12-01T10:00:00.000Z');
});
afterEach(async () => {
	for (const d of drainers.splice(0)) await d.stop();
	for (const d of extraDbs.splice(0)) await d.destroy();
	await testDb.destroy();
});

/** A drainer on the test clock that never polls by itself: the test drives it with `drain()`. */
function drainer(options: Partial<OutboxDrainerOptions> & Pick<OutboxDrainerOptions, 'handlers'>, on = db) {
	const started = startOutboxDrainer(on, { pollMs: 3_600_000, now: () => now, logError: () => {}, ...options });
	drainers.push(started);
	return started;
}
const later = (ms: number) => {
	now = new Date(now.getTime() + ms);
};
const enqueue = (payload: unknown, dedupeKey?: string) =>
	writeTransaction(db, (trx) => enqueueOutbox(trx, { kind: 'note', payload, dedupeKey }, now.toISOString()));

describe('retryDelayMs', () => {
	it('doubles from the base and stops at the maximum', () => {
		expect([1, 2, 3, 4, 10].map((n) => retryDelayMs(n, 30_000, 3_600_000))).toEqual([
			30_000, 60_000, 120_000, 240_000, 3_600_000,
		]);
	});
});

describe('outbox drainer', () => {
	it('delivers what a committed transaction enqueued, nothing of a rolled-back one, and a dedupe key once', async () => {
		const got: unknown[] = [];
		await enqueue({ n: 1 }, 'k1');
		await enqueue({ n: 1, again: true }, 'k1');
		await expect(
			writeTransaction(db, async (trx) => {
				await enqueueOutbox(trx, { kind: 'note', payload: { n: 2 } }, now.toISOString());
				throw new Error('the order failed');
			}),
		).rejects.toThrow('the order failed');
		const d = drainer({ handlers: { note: async (p) => void got.push(p) } });
		await d.drain();
		expect(got).toEqual([{ n: 1 }]);
		expect(await listOutbox(db)).toEqual([
			expect.objectContaining({ status: 'sent', attempts: 1, sentAt: now.toISOString(), lastError: null }),
		]);
	});

	it('retries a failed delivery after the backoff and gives up after the last attempt', async () => {
		let calls = 0;
		const logged: string[] = [];
		const d = drainer({
			handlers: {
				note: async () => {
					calls++;
					if (calls < 3) throw new Error(`SMTP down (${calls})`);
				},
			},
			retryBaseMs: 1000,
			logError: (line) => logged.push(line),
		});
		await enqueue({ n: 1 });
		await d.drain();
		expect(await listOutbox(db)).toEqual([
			expect.objectContaining({
				status: 'pending',
				attempts: 1,
				lastError: 'SMTP down (1)',
				nextAttemptAt: '2026-12-01T10:00:01.000Z',
				lockedUntil: null,
			}),
		]);
		later(999);
		await d.drain();
		expect(calls).toBe(1);
		later(1);
		await d.drain();
		expect(calls).toBe(2);
		later(1999);
		await d.drain();
		expect(calls).toBe(2);
		later(1);
		await d.drain();
		expect(calls).toBe(3);
		expect(await listOutbox(db)).toEqual([expect.objectContaining({ status: 'sent', attempts: 3 })]);

		const dead = drainer({
			handlers: {
				note: async () => {
					throw new Error('mailbox unavailable');
				},
			},
			retryBaseMs: 10,
			maxAttempts: 3,
			logError: (line) => logged.push(line),
		});
		await enqueue({ n: 2 });
		for (let i = 0; i < 5; i++) {
			await dead.drain();
			later(1000);
		}
		expect(await listOutbox(db, { status: 'dead' })).toEqual([
			expect.objectContaining({ payload: { n: 2 }, attempts: 3, lastError: 'mailbox unavailable' }),
		]);
		expect(logged.some((line) => line.includes('failed 3 times and was given up'))).toBe(true);
	});

	it('marks a kind without a handler dead at once', async () => {
		await writeTransaction(db, (trx) => enqueueOutbox(trx, { kind: 'webhook', payload: {} }, now.toISOString()));
		await drainer({ handlers: {} }).drain();
		expect(await listOutbox(db)).toEqual([expect.objectContaining({ status: 'dead', attempts: 1 })]);
	});

	it('takes over a message claimed by a drainer that crashed, once its lock has run out', async () => {
		await enqueue({ n: 1 });
		// A drainer claims it and dies before reporting anything.
		const lockUntil = new Date(now.getTime() + 60_000).toISOString();
		expect(await claimOutbox(db, { now: now.toISOString(), lockUntil, limit: 10 })).toHaveLength(1);
		const got: unknown[] = [];
		const d = drainer({ handlers: { note: async (p) => void got.push(p) } });
		await d.drain();
		expect(got).toEqual([]);
		later(60_000);
		await d.drain();
		expect(got).toEqual([{ n: 1 }]);
		expect(await listOutbox(db)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
	});

	it('lets two drainers on two connections deliver 40 messages exactly once between them', async () => {
		for (let i = 0; i < 40; i++) await enqueue({ n: i });
		const second = testDb.open();
		extraDbs.push(second);
		const got: number[] = [];
		const handler = async (p: unknown) => {
			await new Promise((resolve) => setTimeout(resolve, 1));
			got.push((p as { n: number }).n);
		};
		const a = drainer({ handlers: { note: handler }, batchSize: 3 });
		const b = drainer({ handlers: { note: handler }, batchSize: 3 }, second);
		await Promise.all([a.drain(), b.drain()]);
		expect(got.sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
		expect((await listOutbox(db, { status: 'sent' })).length).toBe(40);
	});

	it('starts delivering by itself and on wake-up', async () => {
		const got: unknown[] = [];
		await enqueue({ n: 1 });
		const d = drainer({ handlers: { note: async (p) => void got.push(p) } });
		await expect.poll(() => got.length).toBe(1);
		await enqueue({ n: 2 });
		d.wake();
		await expect.poll(() => got.length).toBe(2);
	});
});

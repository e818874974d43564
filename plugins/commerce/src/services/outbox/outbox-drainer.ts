import type { CommerceDb } from '../../db/client.ts';
import {
	claimOutbox,
	markOutboxDead,
	markOutboxRetry,
	markOutboxSent,
	type OutboxMessage,
	pruneSentOutbox,
} from '../../db/repositories/outbox-repository.ts';
import { logger } from '../../log/logger.ts';

/** Delivers one message of a kind; throwing means "try again later" (`GiveUpError`: never again). */
export type OutboxHandler = (payload: unknown, message: OutboxMessage) => Promise<void>;

/** Thrown by a handler when retrying cannot help (the webhook endpoint was deleted or disabled): marked dead at once. */
export class GiveUpError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'GiveUpError';
	}
}

/** A kind's own retry schedule: the delay after `attempts` failed attempts, or null to give up. */
export type RetryPolicy = (attempts: number) => number | null;

export interface OutboxDrainerOptions {
	/** One handler per `kind`; a message of a kind without a handler is marked dead at once. */
	handlers: Record<string, OutboxHandler>;
	/** How often due messages are looked for without a wake-up (retries, messages left by a crash). @default 5000 */
	pollMs?: number;
	/** Messages claimed per round. @default 20 */
	batchSize?: number;
	/** How long a claim holds a message against other drainers; longer than `handlerTimeoutMs`. @default 120000 */
	lockMs?: number;
	/** A delivery taking longer counts as failed (and is retried). @default 60000 */
	handlerTimeoutMs?: number;
	/** Delay before the first retry; doubles each attempt. @default 30000 */
	retryBaseMs?: number;
	/** Longest delay between attempts. @default 3600000 (1 hour) */
	retryMaxMs?: number;
	/** Attempts before a message is marked dead (kept, logged). @default 10 */
	maxAttempts?: number;
	/** Kinds with a schedule of their own (webhooks retry for more than 24 hours); others use base/max/maxAttempts. */
	retryPolicies?: Record<string, RetryPolicy>;
	/** Delivered messages are deleted after this long. @default 7 days */
	keepSentMs?: number;
	now?: () => Date;
	/** Receives one line per message given up and per drain failure. @default the server log (error level) */
	logError?: (line: string) => void;
}

/** A running drainer. `wake` after a commit that enqueued something sends it now instead of at the next poll. */
export interface OutboxDrainer {
	wake(): void;
	/** Delivers everything due now; resolves with how many messages were handled (sent, retried or given up). */
	drain(): Promise<number>;
	stop(): Promise<void>;
}

/** The wait before attempt `attempts + 1`: base × 2^(attempts − 1), at most `max`. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
	return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
	});
	try {
		return await Promise.race([work, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Starts delivering outbox messages: at once, on every `wake()`, and every `pollMs`. Delivery is at least once: a
 * message is marked sent after its handler returned, so a crash in between sends it again after restart (handlers of
 * kinds that must not repeat use the message id as their idempotency key). Failures are retried with exponential
 * backoff; after `maxAttempts` the message is marked dead and logged for the merchant. One round runs at a time.
 */
export function startOutboxDrainer(db: CommerceDb, options: OutboxDrainerOptions): OutboxDrainer {
	const opts = {
		pollMs: 5000,
		batchSize: 20,
		lockMs: 120_000,
		handlerTimeoutMs: 60_000,
		retryBaseMs: 30_000,
		retryMaxMs: 3_600_000,
		maxAttempts: 10,
		keepSentMs: 7 * 24 * 3_600_000,
		now: () => new Date(),
		logError: (line: string) => logger().error(line),
		// An option given as undefined keeps its default.
		...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as OutboxDrainerOptions),
	};
	let running: Promise<number> | null = null;
	let again = false;
	let stopped = false;
	let lastPrune = 0;

	async function deliver(message: OutboxMessage): Promise<void> {
		const handler = opts.handlers[message.kind];
		if (!handler) {
			opts.logError(`[commerce] outbox message ${message.id}: no handler for kind "${message.kind}"; marked dead.`);
			await markOutboxDead(db, message, `no handler for kind ${message.kind}`);
			return;
		}
		try {
			await withTimeout(handler(message.payload, message), opts.handlerTimeoutMs);
			await markOutboxSent(db, message, opts.now().toISOString());
		} catch (error) {
			const reason = messageOf(error);
			if (error instanceof GiveUpError) {
				await markOutboxDead(db, message, reason);
				return;
			}
			const policy = opts.retryPolicies?.[message.kind];
			const delay = policy
				? policy(message.attempts)
				: message.attempts >= opts.maxAttempts
					? null
					: retryDelayMs(message.attempts, opts.retryBaseMs, opts.retryMaxMs);
			if (delay === null) {
				opts.logError(
					`[commerce] outbox message ${message.id} (${message.kind}) failed ${message.attempts} times and was given up: ${reason}`,
				);
				await markOutboxDead(db, message, reason);
				return;
			}
			await markOutboxRetry(db, message, new Date(opts.now().getTime() + delay).toISOString(), reason);
		}
	}

	async function round(): Promise<number> {
		let handled = 0;
		for (;;) {
			const now = opts.now();
			const claimed = await claimOutbox(db, {
				now: now.toISOString(),
				lockUntil: new Date(now.getTime() + opts.lockMs).toISOString(),
				limit: opts.batchSize,
			});
			if (!claimed.length) break;
			for (const message of claimed) await deliver(message);
			handled += claimed.length;
			if (stopped) break;
		}
		// Delivered messages are only kept for support questions: pruned at most once an hour.
		const at = opts.now().getTime();
		if (at - lastPrune > 3_600_000) {
			lastPrune = at;
			await pruneSentOutbox(db, new Date(at - opts.keepSentMs).toISOString());
		}
		return handled;
	}

	function drain(): Promise<number> {
		if (running) {
			again = true;
			return running;
		}
		running = (async () => {
			let handled = 0;
			do {
				again = false;
				handled += await round();
			} while (again && !stopped);
			return handled;
		})().finally(() => {
			running = null;
		});
		return running;
	}

	const safeDrain = () => {
		if (stopped) return;
		drain().catch((error: unknown) => opts.logError(`[commerce] the outbox could not be drained: ${messageOf(error)}`));
	};
	const timer = setInterval(safeDrain, opts.pollMs);
	// Never keeps the process alive on its own (the CLI, tests).
	timer.unref();
	setImmediate(safeDrain);

	return {
		wake: () => setImmediate(safeDrain),
		drain,
		async stop() {
			stopped = true;
			clearInterval(timer);
			await running?.catch(() => {});
		},
	};
}

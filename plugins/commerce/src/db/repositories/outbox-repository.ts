import type { Kysely, Selectable } from 'kysely';
import { compiledQuery } from '../compiled-query.ts';
import { databaseDialect } from '../dialect.ts';
import { newId } from '../ids.ts';
import type { Database, OutboxStatus, OutboxTable } from '../types.ts';

// The transactional outbox (migration 0007). Rows are written by `enqueueOutbox` inside the transaction of the change
// that causes them and delivered by `services/outbox/outbox-drainer.ts`. The claim is one statement here; on
// PostgreSQL its inner select is `FOR UPDATE SKIP LOCKED`, so the drainers of several servers share the work.

type Db = Kysely<Database>;

/** One outbox row as the drainer sees it. */
export interface OutboxMessage {
	id: string;
	kind: string;
	dedupeKey: string | null;
	payload: unknown;
	status: OutboxStatus;
	/** Deliveries started so far, this one included once claimed. */
	attempts: number;
	nextAttemptAt: string;
	lockedUntil: string | null;
	lastError: string | null;
	createdAt: string;
	sentAt: string | null;
}

const toMessage = (row: Selectable<OutboxTable>): OutboxMessage => ({
	id: row.id,
	kind: row.kind,
	dedupeKey: row.dedupe_key,
	payload: JSON.parse(row.payload),
	status: row.status,
	attempts: row.attempts,
	nextAttemptAt: row.next_attempt_at,
	lockedUntil: row.locked_until,
	lastError: row.last_error,
	createdAt: row.created_at,
	sentAt: row.sent_at,
});

/**
 * Queues a message for delivery after the caller's transaction commits (call it with that transaction). With a
 * `dedupeKey`, a second message with the same key is dropped, so a retried use case never sends twice.
 */
export async function enqueueOutbox(
	db: Db,
	message: { kind: string; payload: unknown; dedupeKey?: string },
	at: string,
): Promise<void> {
	await insertMessage(db, newId('obx'), message.kind, message.dedupeKey ?? null, JSON.stringify(message.payload), at);
}

// Every order, stock alert and webhook queues through here: compiled once (compiled-query.ts).
const insertMessage = compiledQuery(
	(db: Db, id: string, kind: string, dedupeKey: string | null, payload: string, at: string) =>
		db
			.insertInto('outbox')
			.values({
				id,
				kind,
				dedupe_key: dedupeKey,
				payload,
				status: 'pending',
				attempts: 0,
				next_attempt_at: at,
				locked_until: null,
				last_error: null,
				created_at: at,
				sent_at: null,
			})
			.onConflict((oc) => oc.column('dedupe_key').doNothing()),
);

/**
 * Claims up to `limit` due messages for one delivery attempt each: pending, due, and not locked by another drainer
 * (or its lock expired: that drainer crashed mid-delivery). Claiming counts the attempt and locks the row until
 * `lockUntil`. One statement, so two drainers never claim the same row (SQLite takes the write lock for it;
 * PostgreSQL locks the picked rows with `FOR UPDATE SKIP LOCKED`).
 */
export async function claimOutbox(
	db: Db,
	opts: { now: string; lockUntil: string; limit: number },
): Promise<OutboxMessage[]> {
	const rows = await db
		.updateTable('outbox')
		.set((eb) => ({ locked_until: opts.lockUntil, attempts: eb('attempts', '+', 1) }))
		.where('id', 'in', (eb) => {
			const due = eb
				.selectFrom('outbox')
				.select('id')
				.where('status', '=', 'pending')
				.where('next_attempt_at', '<=', opts.now)
				.where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', opts.now)]))
				.orderBy('next_attempt_at')
				.orderBy('id')
				.limit(opts.limit);
			// PostgreSQL runs claims of several servers at once: each locks the rows it picks and skips rows another
			// claim holds; the locking read sees the latest committed row, so a row claimed meanwhile is not due.
			return databaseDialect(db) === 'postgres' ? due.forUpdate().skipLocked() : due;
		})
		.returningAll()
		.execute();
	return rows.map(toMessage).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id.localeCompare(b.id));
}

// The three outcomes of an attempt. Each matches the attempt number it was claimed with, so a drainer whose lock ran
// out (and whose row another drainer claimed again) cannot overwrite the newer attempt's outcome.

// Once per message sent (every order's confirmation): compiled once (compiled-query.ts).
const markSent = compiledQuery((db: Db, id: string, attempts: number, at: string) =>
	db
		.updateTable('outbox')
		.set({ status: 'sent', sent_at: at, locked_until: null, last_error: null })
		.where('id', '=', id)
		.where('attempts', '=', attempts),
);

export async function markOutboxSent(db: Db, message: OutboxMessage, at: string): Promise<void> {
	await markSent(db, message.id, message.attempts, at);
}

export async function markOutboxRetry(
	db: Db,
	message: OutboxMessage,
	nextAttemptAt: string,
	error: string,
): Promise<void> {
	await db
		.updateTable('outbox')
		.set({ next_attempt_at: nextAttemptAt, locked_until: null, last_error: error })
		.where('id', '=', message.id)
		.where('attempts', '=', message.attempts)
		.execute();
}

export async function markOutboxDead(db: Db, message: OutboxMessage, error: string): Promise<void> {
	await db
		.updateTable('outbox')
		.set({ status: 'dead', locked_until: null, last_error: error })
		.where('id', '=', message.id)
		.where('attempts', '=', message.attempts)
		.execute();
}

/** Deletes delivered messages sent before `before` (they only matter for a while, for support questions). */
export async function pruneSentOutbox(db: Db, before: string): Promise<number> {
	const result = await db
		.deleteFrom('outbox')
		.where('status', '=', 'sent')
		.where('sent_at', '<', before)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Messages by kind and status, oldest first (the admin's and the tests' view). */
export async function listOutbox(
	db: Db,
	filter: { kind?: string; status?: OutboxStatus } = {},
): Promise<OutboxMessage[]> {
	let query = db.selectFrom('outbox').selectAll();
	if (filter.kind) query = query.where('kind', '=', filter.kind);
	if (filter.status) query = query.where('status', '=', filter.status);
	return (await query.orderBy('created_at').orderBy('id').execute()).map(toMessage);
}

/** The backlog of some kinds: messages still to deliver (pending, retrying or claimed) and when the oldest was queued. */
export async function outboxBacklog(
	db: Db,
	kinds: readonly string[],
): Promise<{ depth: number; oldestCreatedAt: string | null }> {
	const row = await db
		.selectFrom('outbox')
		.select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min('created_at').as('oldest')])
		.where('kind', 'in', [...kinds])
		.where('status', '=', 'pending')
		.executeTakeFirst();
	return { depth: Number(row?.depth ?? 0), oldestCreatedAt: row?.oldest ?? null };
}

import { type Dialect, databaseDialect, pingDatabase, type SchemaState, schemaState } from '../db/health-queries.ts';
import { countCatalog } from '../db/repositories/catalog-repository.ts';
import { lastGoodBackup } from '../db/repositories/operations-repository.ts';
import { emailQueueState } from '../metrics/queues.ts';
import { metrics } from '../metrics/registry.ts';
import { resolveBackupSchedule } from '../ops/schedule.ts';
import type { CommerceRuntime } from '../runtime/commerce-runtime.ts';
import { processState } from '../runtime/process-state.ts';
import { type HeapMode, heapMode } from '../runtime/small-heap.ts';
import { eventQueueFor } from './analytics/event-queue.ts';

// Three questions, three costs:
// - liveness (`GET /store/health`): does the process answer and the database respond? One `select 1` per call plus a
//   snapshot of schema and catalog counts refreshed at most every 10 s: cheap enough for balancers probing every second.
// - readiness (`GET /store/health/ready`): should traffic come here? Database reachable, schema exactly the one this
//   code expects (none pending, none unknown), not draining for shutdown. Two small queries.
// - detail (`GET /store/health?full=1`): the operator's report, computed fresh.

type DatabaseStatus = 'ok' | 'pending_migrations' | 'newer_schema' | 'unreachable';

export interface HealthReport {
	status: 'ok' | 'degraded' | 'unavailable';
	database: {
		status: DatabaseStatus;
		dialect: Dialect;
		migration: string | null;
		applied: number;
		pending: number;
	};
	catalog: { products: number; active_products: number; variants: number; categories: number };
	uptime_seconds: number;
}

export interface ReadinessReport {
	status: 'ready' | 'not_ready';
	dialect: Dialect;
	checks: { database: 'ok' | 'unreachable'; schema: 'current' | 'pending' | 'newer' | 'unknown'; draining: boolean };
	/** What is wrong, in words, when not ready. */
	reasons: string[];
}

export interface DetailedHealthReport extends HealthReport {
	migrations: { applied: string[]; pending: string[]; unknown: string[] };
	last_sync: CommerceRuntime['lastSync'];
	ready: ReadinessReport;
	queues: {
		email: { depth: number; oldest_age_seconds: number };
		analytics: { depth: number; dropped: number };
	};
	backups: {
		schedule: { every_seconds: number; keep: number } | null;
		last_success_at: string | null;
	};
	/** `v8_heap`: `small` when the server asked V8 to favour memory over throughput (runtime/small-heap.ts). */
	process: { node: string; rss_bytes: number; heap_used_bytes: number; v8_heap: HeapMode; started_at: string };
}

interface Snapshot {
	schema: SchemaState;
	catalog: HealthReport['catalog'];
}

const SNAPSHOT_MS = 10_000;
const snapshots = new WeakMap<CommerceRuntime, { at: number; value: Promise<Snapshot> }>();

async function takeSnapshot(runtime: CommerceRuntime): Promise<Snapshot> {
	const [schema, catalog] = await Promise.all([schemaState(runtime.db), countCatalog(runtime.db)]);
	return {
		schema,
		catalog: {
			products: catalog.products,
			active_products: catalog.activeProducts,
			variants: catalog.variants,
			categories: catalog.categories,
		},
	};
}

/** Schema and catalog counts, at most 10 s old; callers within those 10 s share one refresh. */
function snapshot(runtime: CommerceRuntime, now: number): Promise<Snapshot> {
	const cached = snapshots.get(runtime);
	if (cached && now - cached.at < SNAPSHOT_MS) return cached.value;
	const value = takeSnapshot(runtime);
	snapshots.set(runtime, { at: now, value });
	value.catch(() => snapshots.delete(runtime));
	return value;
}

function schemaStatus(schema: SchemaState): DatabaseStatus {
	if (schema.unknown.length) return 'newer_schema';
	if (schema.pending.length) return 'pending_migrations';
	return 'ok';
}

function report(runtime: CommerceRuntime, schema: SchemaState, catalog: Snapshot['catalog'], now: Date): HealthReport {
	const status = schemaStatus(schema);
	return {
		status: status === 'ok' ? 'ok' : 'degraded',
		database: {
			status,
			dialect: databaseDialect(runtime.db),
			migration: schema.applied.at(-1) ?? null,
			applied: schema.applied.length,
			pending: schema.pending.length,
		},
		catalog,
		uptime_seconds: Math.round((now.getTime() - runtime.startedAt.getTime()) / 1000),
	};
}

function unreachable(runtime: CommerceRuntime, now: Date): HealthReport {
	return {
		status: 'unavailable',
		database: { status: 'unreachable', dialect: databaseDialect(runtime.db), migration: null, applied: 0, pending: 0 },
		catalog: { products: 0, active_products: 0, variants: 0, categories: 0 },
		uptime_seconds: Math.round((now.getTime() - runtime.startedAt.getTime()) / 1000),
	};
}

/** Liveness: the database answers a ping; schema and catalog from a snapshot at most 10 s old. */
export async function checkHealth(runtime: CommerceRuntime, now = new Date()): Promise<HealthReport> {
	try {
		await pingDatabase(runtime.db);
		const snap = await snapshot(runtime, now.getTime());
		return report(runtime, snap.schema, snap.catalog, now);
	} catch {
		return unreachable(runtime, now);
	}
}

/** Readiness: reachable, schema current, not draining. Also sets the `commerce_ready` gauge. */
export async function checkReadiness(runtime: CommerceRuntime): Promise<ReadinessReport> {
	const dialect = databaseDialect(runtime.db);
	const draining = processState().draining;
	const reasons: string[] = [];
	let database: ReadinessReport['checks']['database'] = 'ok';
	let schema: ReadinessReport['checks']['schema'] = 'unknown';
	try {
		await pingDatabase(runtime.db);
		const state = await schemaState(runtime.db);
		schema = state.unknown.length ? 'newer' : state.pending.length ? 'pending' : 'current';
		if (schema === 'pending')
			reasons.push(`${state.pending.length} database migration(s) pending: run \`commerce migrate\` or restart.`);
		if (schema === 'newer')
			reasons.push(
				`the database was migrated by a newer version (${state.unknown.join(', ')}): deploy that version here too.`,
			);
	} catch (error) {
		database = 'unreachable';
		reasons.push(`the database does not answer: ${(error as Error).message}`);
	}
	if (draining) reasons.push('the server is shutting down.');
	const ready = !reasons.length;
	metrics().ready.set(ready ? 1 : 0);
	return { status: ready ? 'ready' : 'not_ready', dialect, checks: { database, schema, draining }, reasons };
}

/** The operator's report: everything above computed fresh, plus migrations by name, queues and backups. */
export async function checkHealthDetailed(runtime: CommerceRuntime, now = new Date()): Promise<DetailedHealthReport> {
	const ready = await checkReadiness(runtime);
	if (ready.checks.database === 'unreachable') {
		const base = unreachable(runtime, now);
		return {
			...base,
			migrations: { applied: [], pending: [], unknown: [] },
			last_sync: runtime.lastSync,
			ready,
			queues: { email: { depth: 0, oldest_age_seconds: 0 }, analytics: { depth: 0, dropped: 0 } },
			backups: { schedule: null, last_success_at: null },
			process: processInfo(runtime),
		};
	}
	const snap = await takeSnapshot(runtime);
	snapshots.set(runtime, { at: now.getTime(), value: Promise.resolve(snap) });
	const email = await emailQueueState(runtime.db);
	const analytics = eventQueueFor(runtime.db, runtime.databasePath);
	const last = await lastGoodBackup(runtime.db).catch(() => undefined);
	let schedule: ReturnType<typeof resolveBackupSchedule> = null;
	try {
		schedule = resolveBackupSchedule({ backups: runtime.options.backups ?? { keep: 7 } }, runtime.databasePath);
	} catch {
		// Invalid settings are reported in the log at start.
	}
	return {
		...report(runtime, snap.schema, snap.catalog, now),
		migrations: { applied: snap.schema.applied, pending: snap.schema.pending, unknown: snap.schema.unknown },
		last_sync: runtime.lastSync,
		ready,
		queues: {
			email: { depth: email.depth, oldest_age_seconds: Math.round(email.oldestAgeSeconds) },
			analytics: { depth: analytics.pending, dropped: analytics.dropped },
		},
		backups: {
			schedule: schedule ? { every_seconds: schedule.intervalMs / 1000, keep: schedule.keep } : null,
			last_success_at: last?.finished_at ?? null,
		},
		process: processInfo(runtime),
	};
}

function processInfo(runtime: CommerceRuntime) {
	return {
		node: process.version,
		rss_bytes: process.memoryUsage.rss(),
		heap_used_bytes: process.memoryUsage().heapUsed,
		v8_heap: heapMode(),
		started_at: runtime.startedAt.toISOString(),
	};
}

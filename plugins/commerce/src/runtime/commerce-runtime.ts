import { randomBytes } from 'node:crypto';
import type { CatalogProduct } from '../content/product-schema.ts';
import { webhookRetryDelayMs } from '../core/webhooks/events.ts';
import {
	type CommerceDb,
	type DatabaseTarget,
	describeTarget,
	openDatabase,
	resolveDatabaseTarget,
} from '../db/client.ts';
import { databaseDialect } from '../db/dialect.ts';
import { hasTables, migrateToLatest } from '../db/migrate.ts';
import { ensureSecret } from '../db/repositories/setting-repository.ts';
import { postgresLimiterStore } from '../db/shared-limiter-store.ts';
import { STARTUP_LOCK, withDatabaseLock } from '../db/transaction.ts';
import { createMailer, type Mailer, resolveMailerConfig } from '../email/index.ts';
import { logger } from '../log/logger.ts';
import { instrumentMailer } from '../metrics/queues.ts';
import { startOperations } from '../ops/operations.ts';
import type { ResolvedOptions } from '../options.ts';
import { createPaymentProviders, type PaymentProvider } from '../payments/index.ts';
import { createAdminUser } from '../services/admin/admin-users.ts';
import { refreshStaleRollups } from '../services/analytics/rollup-rebuild.ts';
import {
	CART_REMINDER_KIND,
	cartRecoverySettings,
	cartReminderHandler,
} from '../services/cart-recovery/cart-recovery.ts';
import { type SyncReport, syncCatalog } from '../services/catalog-sync.ts';
import { seedDiscounts } from '../services/discounts.ts';
import { GIFT_CARD_DELIVERY_KIND, giftCardDeliveryHandler } from '../services/gift-card-purchases.ts';
import { BACK_IN_STOCK_KIND, backInStockHandler } from '../services/inventory/stock-alerts.ts';
import { type OutboxDrainer, startOutboxDrainer } from '../services/outbox/outbox-drainer.ts';
import { EMAIL_KIND, emailHandler } from '../services/outbox/outbox-email.ts';
import { memoryLimiterStore, useLimiterStore } from '../services/rate-limit.ts';
import { webhookHandler } from '../services/webhooks/webhook-delivery.ts';
import { WEBHOOK_KIND } from '../services/webhooks/webhook-events.ts';
import { type WebhookSettings, webhookSettings } from '../services/webhooks/webhook-settings.ts';

/** Everything a request handler needs: the open database and the options it was started with. */
export interface CommerceRuntime {
	db: CommerceDb;
	options: ResolvedOptions;
	/** `test` (and its alias `manual`) always; `stripe` when its keys are set. */
	payments: Map<string, PaymentProvider>;
	mailer: Mailer;
	/** Delivers what use cases queued in their transactions (order emails) after the commit, with retries. */
	outbox: OutboxDrainer;
	/** Outgoing webhooks: SSRF rule, timeouts and retry timing (options and environment). */
	webhooks: WebhookSettings;
	/** Signs order-access cookies; created once per database. */
	secret: string;
	/** Where the data lives (the SQLite file, or PostgreSQL with its pool size). */
	database: DatabaseTarget;
	/** The SQLite file; on PostgreSQL the URL without its password (for messages only). */
	databasePath: string;
	startedAt: Date;
	lastSync: SyncReport | null;
}

/**
 * Opens the database, applies pending migrations and (unless turned off) syncs the catalog. Any failure here stops the
 * server from answering with a half-initialised database: callers get the error instead.
 */
export async function startRuntime(
	options: ResolvedOptions,
	catalog: CatalogProduct[],
	env = process.env,
): Promise<CommerceRuntime> {
	const database = resolveDatabaseTarget(options, env);
	const databasePath = describeTarget(database);
	const db = openDatabase(database);
	try {
		// Several servers starting at once on one PostgreSQL database take turns: the first migrates, syncs and seeds,
		// the others find it done (no duplicate demo admin, no two syncs moving the same opening stock).
		const { lastSync, secret } = await withDatabaseLock(db, STARTUP_LOCK, async () => {
			// Before migrating: a database without any tables yet is new (the demo admin is only ever created on one).
			const isNew = !(await hasTables(db));
			await migrateToLatest(db);
			const lastSync = options.syncOnStart ? await syncCatalog(db, catalog) : null;
			// After the sync, so seed discounts can name products and categories by handle.
			await seedDiscounts(db, options.seed.discounts);
			// Rows the rollups do not hold (written behind the app's back) start a background rebuild, in a worker thread
			// on a SQLite file; never awaited here. Analytics must not keep the shop from starting: a failed check is logged.
			await refreshStaleRollups(
				db,
				options.reportingTimeZone,
				database.dialect === 'sqlite' ? database.path : undefined,
			).catch((error: unknown) =>
				logger().error(
					{ reason: (error as Error).message },
					'[commerce] analytics: the rollup check failed; run `commerce analytics:rebuild`',
				),
			);
			if (isNew && options.seed.demoAdmin) await seedDemoAdmin(db);
			return { lastSync, secret: await ensureSecret(db) };
		});
		// Several servers share a PostgreSQL database: every rate limit and lockout counts in it, so a client gets the
		// same allowance whichever instance answers. One SQLite process keeps them in memory.
		useLimiterStore(databaseDialect(db) === 'postgres' ? postgresLimiterStore(db) : memoryLimiterStore);
		// COMMERCE_CAPTURE_METHOD overrides the option at run time (one build, tests of both capture flows).
		const override = env.COMMERCE_CAPTURE_METHOD;
		const captureMethod = override === 'manual' || override === 'automatic' ? override : options.payments.captureMethod;
		const payments = await createPaymentProviders(env, { captureMethod });
		const mailer = instrumentMailer(
			createMailer({ ...resolveMailerConfig(env, process.cwd()), log: (line) => logger().info(line) }),
		);
		// Messages a crash left behind go out now, new ones as soon as their transaction commits.
		const webhooks = webhookSettings(options, env);
		const outbox = startOutboxDrainer(db, {
			handlers: {
				[EMAIL_KIND]: emailHandler(mailer),
				[WEBHOOK_KIND]: webhookHandler(db, webhooks),
				// Rendered at delivery: the signed restore link never rests in the outbox.
				[CART_REMINDER_KIND]: cartReminderHandler({
					db,
					mailer,
					options,
					secret,
					settings: cartRecoverySettings(options, env),
					env,
				}),
				[GIFT_CARD_DELIVERY_KIND]: giftCardDeliveryHandler({ db, mailer, options, env }),
				// Rendered at delivery: the stock move that queues it knows no options (shop name, footer).
				[BACK_IN_STOCK_KIND]: backInStockHandler({ db, mailer, options }),
			},
			// Webhooks retry on their own schedule (Standard Webhooks: about 27.6 hours), emails on the drainer's.
			retryPolicies: { [WEBHOOK_KIND]: (attempts) => webhookRetryDelayMs(attempts, webhooks.retryBaseMs) },
			...outboxTiming(env),
		});
		const runtime = {
			db,
			options,
			database,
			databasePath,
			startedAt: new Date(),
			lastSync,
			payments,
			mailer,
			outbox,
			webhooks,
			secret,
		};
		// Heartbeat (restore refuses while it runs), metrics gauges, scheduled backups.
		await startOperations(runtime);
		return runtime;
	} catch (error) {
		await db.destroy();
		throw error;
	}
}

/**
 * `COMMERCE_OUTBOX_RETRY_MS` sets the first retry delay of a failed delivery (default 30 s, doubling up to 1 hour);
 * `COMMERCE_OUTBOX_POLL_MS` how often the outbox is checked without a wake-up (default 5 s).
 */
function outboxTiming(env: NodeJS.ProcessEnv): { retryBaseMs?: number; pollMs?: number } {
	const ms = (value: string | undefined) => {
		const n = Number(value);
		return value && Number.isInteger(n) && n >= 10 && n <= 3_600_000 ? n : undefined;
	};
	return { retryBaseMs: ms(env.COMMERCE_OUTBOX_RETRY_MS), pollMs: ms(env.COMMERCE_OUTBOX_POLL_MS) };
}

/** The demo's admin (option `seed.demoAdmin`, new databases only): a random password, printed once to the server log. */
async function seedDemoAdmin(db: CommerceDb): Promise<void> {
	const email = 'admin@frostbuy.local';
	const password = randomBytes(12).toString('base64url');
	const result = await createAdminUser(db, { email, password, role: 'admin' });
	if (result.ok)
		logger().warn(
			`[commerce] demo admin: ${email} password: ${password} (shown once; change it with \`commerce admin:create --email ${email}\`)`,
		);
	else logger().error(`[commerce] the demo admin could not be created: ${result.message}`);
}

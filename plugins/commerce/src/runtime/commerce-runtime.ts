import type { CatalogProduct } from '../content/product-schema.ts';
import { openDatabase, resolveDatabasePath, type CommerceDb } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { writeTransaction } from '../db/transaction.ts';
import type { ResolvedOptions } from '../options.ts';
import { syncCatalog, type SyncReport } from '../services/catalog-sync.ts';
import { seedDiscounts } from '../services/discount-admin.ts';
import { ensureSecret } from '../db/repositories/setting-repository.ts';
import { createMailer, resolveMailerConfig, type Mailer } from '../email/index.ts';
import { createPaymentProviders, type PaymentProvider } from '../payments/index.ts';

/** Everything a request handler needs: the open database and the options it was started with. */
export interface CommerceRuntime {
	db: CommerceDb;
	options: ResolvedOptions;
	/** `test` (and its alias `manual`) always; `stripe` when its keys are set. */
	payments: Map<string, PaymentProvider>;
	mailer: Mailer;
	/** Signs order-access cookies; created once per database. */
	secret: string;
	databasePath: string;
	startedAt: Date;
	lastSync: SyncReport | null;
}

/**
 * Opens the database, applies pending migrations and (unless turned off) syncs the catalog. Any failure here stops the
 * server from answering with a half-initialised database: callers get the error instead.
 */
export async function startRuntime(options: ResolvedOptions, catalog: CatalogProduct[], env = process.env): Promise<CommerceRuntime> {
	const databasePath = resolveDatabasePath(options.databasePath, env);
	const db = openDatabase(databasePath);
	try {
		await migrateToLatest(db);
		const lastSync = options.syncOnStart ? await syncCatalog(db, catalog) : null;
		// After the sync, so seed coupons can name products and categories by handle.
		await writeTransaction(db, (trx) => seedDiscounts(trx, options.seed.discounts));
		const secret = await ensureSecret(db);
		const payments = createPaymentProviders(env, { captureMethod: options.payments.captureMethod });
		const mailer = createMailer(resolveMailerConfig(env, process.cwd()));
		return { db, options, databasePath, startedAt: new Date(), lastSync, payments, mailer, secret };
	} catch (error) {
		await db.destroy();
		throw error;
	}
}

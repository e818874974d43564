// The CLI's commands other than `serve`, loaded by main.ts only when one of them runs: `commerce serve` keeps none of
// these modules (catalog loader, migrations' reports, copy, reconciliation, retention) in its memory.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCatalogFromDirectory } from '../content/load-catalog.ts';
import { formatIssues } from '../content/product-schema.ts';
import { discountInput } from '../core/discount-input.ts';
import { CommerceError } from '../core/errors.ts';
import { type DatabaseTarget, describeTarget, isPostgresUrl, openDatabase } from '../db/client.ts';
import { CopyRefusedError, copySqliteToPostgres } from '../db/copy-database.ts';
import { migrateToLatest, migrationStatus } from '../db/migrate.ts';
import { STARTUP_LOCK, withDatabaseLock } from '../db/transaction.ts';
import { syncCatalog } from '../services/catalog-sync.ts';
import { createDiscount } from '../services/discounts.ts';
import { reconcilePayments } from '../services/reconciliation.ts';
import { pruneExpiredData } from '../services/retention/prune.ts';
import { adminCreate } from './admin-create.ts';
import { analyticsPruneCommand, analyticsRebuildCommand } from './analytics-commands.ts';
import { couponFromFlags } from './coupon-flags.ts';
import type { CliValues } from './main.ts';
import { backupCommand, restoreCommand } from './ops-commands.ts';
import { stockExportCommand, stockImportCommand } from './stock-commands.ts';

/** What main.ts resolved from the flags and the built site's settings. */
export interface CommandContext {
	values: CliValues;
	positionals: string[];
	/** Where every command works, chosen as the server chooses. */
	target: DatabaseTarget;
	/** The target for messages, without a password. */
	where: string;
	/** The SQLite file of the commands that work on one. */
	databasePath: string;
	/** backup and restore name the SQLite file even on PostgreSQL (restore's refusal message shows it). */
	opsTarget: { databasePath: string; databaseUrl?: string };
	productsDir: string;
}

/** Runs one CLI command other than `serve` and `help`; returns the process exit code. */
export async function runCommand(command: string, context: CommandContext): Promise<number> {
	const { positionals, target, where, databasePath, opsTarget, productsDir } = context;
	const { values } = context;
	switch (command) {
		case 'migrate':
		case 'sync': {
			const db = openDatabase(target);
			try {
				// The same lock servers take at start, so a deploy's `commerce migrate` and starting servers take turns.
				await withDatabaseLock(db, STARTUP_LOCK, async () => {
					const applied = await migrateToLatest(db);
					const status = await migrationStatus(db);
					console.log(`migrations: ${applied.length} applied now, at ${status.applied.at(-1) ?? 'none'} (${where})`);
					if (command === 'sync') {
						const catalog = loadCatalogFromDirectory(resolve(productsDir));
						const report = await syncCatalog(db, catalog);
						console.log(`catalog: ${catalog.length} product files; ${JSON.stringify(report)}`);
					}
				});
				return 0;
			} catch (error) {
				console.error((error as Error).message);
				return 1;
			} finally {
				await db.destroy();
			}
		}
		case 'coupon:create': {
			const flags = couponFromFlags(values);
			if (!flags.ok) {
				console.error(flags.message);
				return 2;
			}
			const rules = discountInput.safeParse(flags.value);
			if (!rules.success) {
				console.error(`Coupon not created:\n${formatIssues(rules.error)}`);
				return 1;
			}
			const db = openDatabase(target);
			try {
				await withDatabaseLock(db, STARTUP_LOCK, () => migrateToLatest(db));
				await createDiscount(db, rules.data);
				console.log(`coupon ${rules.data.code.toUpperCase()} created (${where})`);
				return 0;
			} catch (error) {
				console.error(
					error instanceof CommerceError && error.kind === 'duplicate'
						? `A coupon with the code ${rules.data.code.toUpperCase()} already exists.`
						: `Coupon not created:\n${(error as Error).message}`,
				);
				return 1;
			} finally {
				await db.destroy();
			}
		}
		case 'db:copy': {
			const from = values.from ? resolve(values.from) : databasePath;
			const to = values.to ?? process.env.DATABASE_URL;
			if (!isPostgresUrl(to)) {
				console.error(
					'db:copy needs the PostgreSQL database to copy into: --to postgres://user:password@host:5432/shop (or DATABASE_URL).',
				);
				return 2;
			}
			if (!existsSync(from)) {
				console.error(`There is no SQLite database at ${from}; give the shop's file with --from <file>.`);
				return 2;
			}
			const source = openDatabase(from);
			const dest = openDatabase({ dialect: 'postgres', url: to, poolSize: 2 });
			try {
				const report = await copySqliteToPostgres(source, dest);
				const rows = report.tables.reduce((sum, t) => sum + t.rows, 0);
				const count = (table: string) => report.tables.find((t) => t.table === table)?.rows ?? 0;
				console.log(
					`copied ${rows} rows in ${report.tables.length} tables from ${from} to ${describeTarget({ dialect: 'postgres', url: to, poolSize: 2 })}: ${count('orders')} orders, ${count('customer')} customers, ${count('product')} products, ${count('inventory_level')} stock levels; the next order is #${report.nextDisplayId}. Start the servers with DATABASE_URL set.`,
				);
				return 0;
			} catch (error) {
				console.error(
					error instanceof CopyRefusedError ? error.message : `Nothing was copied: ${(error as Error).message}`,
				);
				return 1;
			} finally {
				await source.destroy();
				await dest.destroy();
			}
		}
		case 'prune': {
			const db = openDatabase(target);
			try {
				await migrateToLatest(db);
				const report = await pruneExpiredData(db);
				console.log(
					values.json
						? JSON.stringify(report)
						: `removed: ${report.idempotencyKeys} idempotency keys, ${report.abandonedCarts} abandoned carts, ${report.analyticsEvents} analytics events, ${report.webhookDeliveries} webhook delivery logs`,
				);
				return 0;
			} catch (error) {
				console.error((error as Error).message);
				return 1;
			} finally {
				await db.destroy();
			}
		}
		case 'reconcile': {
			const db = openDatabase(target);
			try {
				await migrateToLatest(db);
				const report = await reconcilePayments(db);
				if (values.json) console.log(JSON.stringify(report));
				else {
					for (const p of report.paymentsWithoutOrders)
						console.log(
							`payment without order: ${p.providerId} ${p.reference ?? p.sessionId} ${p.amount} ${p.currencyCode} (cart ${p.cartId}, ${p.updatedAt})`,
						);
					for (const o of report.ordersWithoutPayments)
						console.log(
							`order without payment: #${o.displayId} ${o.orderId} total ${o.total} ${o.currencyCode}, authorized ${o.amountAuthorized}${o.providerId ? ` (${o.providerId})` : ' (no payment)'}`,
						);
					console.log(
						`reconciled: ${report.paymentsWithoutOrders.length} payments without orders, ${report.ordersWithoutPayments.length} orders without payments`,
					);
				}
				return report.paymentsWithoutOrders.length + report.ordersWithoutPayments.length > 0 ? 1 : 0;
			} catch (error) {
				console.error((error as Error).message);
				return 2;
			} finally {
				await db.destroy();
			}
		}
		case 'stock:import':
			return stockImportCommand(target, positionals[1], { dryRun: values['dry-run'], actor: values.actor });
		case 'stock:export':
			return stockExportCommand(target, values.out ?? values.output ?? positionals[1]);
		case 'analytics:rebuild':
			return analyticsRebuildCommand(target, { timeZone: values['time-zone'], json: values.json });
		case 'analytics:prune':
			return analyticsPruneCommand(target, { keepDays: values['keep-days'], json: values.json });
		case 'admin:create':
			return adminCreate({ email: values.email, role: values.role, databasePath: target });
		case 'backup':
			return backupCommand(opsTarget, {
				destination: values.out ?? values.output ?? values.to ?? values.dir ?? positionals[1],
				keep: values.keep,
				vacuum: values.vacuum,
				json: values.json,
			});
		case 'restore': {
			// `commerce restore <file> [target]`, or the target as --db / --to / COMMERCE_DB.
			const into = values.to ?? positionals[2];
			return restoreCommand(into ? { databasePath: resolve(into) } : opsTarget, positionals[1], { json: values.json });
		}
		default:
			return -1;
	}
}

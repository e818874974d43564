import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalogFromDirectory } from '../content/load-catalog.ts';
import { formatIssues } from '../content/product-schema.ts';
import { discountInput } from '../core/discount-input.ts';
import { CommerceError } from '../core/errors.ts';
import {
	type DatabaseTarget,
	describeTarget,
	isPostgresUrl,
	openDatabase,
	resolveDatabasePath,
	resolveDatabaseTarget,
} from '../db/client.ts';
import { CopyRefusedError, copySqliteToPostgres } from '../db/copy-database.ts';
import { migrateToLatest, migrationStatus } from '../db/migrate.ts';
import { STARTUP_LOCK, withDatabaseLock } from '../db/transaction.ts';
import { captureProcessOutput } from '../log/logger.ts';
import { serve } from '../server/serve.ts';
import { syncCatalog } from '../services/catalog-sync.ts';
import { createDiscount } from '../services/discounts.ts';
import { reconcilePayments } from '../services/reconciliation.ts';
import { pruneExpiredData } from '../services/retention/prune.ts';
import { adminCreate } from './admin-create.ts';
import { analyticsPruneCommand, analyticsRebuildCommand } from './analytics-commands.ts';
import { couponFromFlags } from './coupon-flags.ts';
import { backupCommand, databaseTarget, restoreCommand } from './ops-commands.ts';
import { readSiteSettings } from './site-settings.ts';
import { stockExportCommand, stockImportCommand } from './stock-commands.ts';

const HELP = `Usage: commerce <command> [options]

Commands:
  migrate            apply pending database migrations (SQLite file, or PostgreSQL with DATABASE_URL / --db postgres://…)
  sync               migrate, then sync the catalog from the product files into the database
  db:copy            copy a SQLite shop into a new PostgreSQL database: --from <file> (default: $COMMERCE_DB or
                     db/commerce.sqlite) --to postgres://… (default: $DATABASE_URL); stop the server first
  serve              serve a built site (dist/) with security headers on every response
  coupon:create      create a discount code (see coupon options below)
  admin:create       create an admin or staff account, or promote a customer:
                     --email <address> [--role admin|staff] (default admin); the password
                     is read from stdin when piped, otherwise prompted without echo
  backup [dest]      consistent online backup while the store serves: to a directory (timestamped name, default
                     $COMMERCE_BACKUP_DIR or backups/ beside the database) or a file; writes <file>.sha256 and checks
                     the copy (integrity_check). --keep <n> keeps the n newest in the directory; --vacuum copies with
                     VACUUM INTO (compacted) instead of the backup API. On PostgreSQL (DATABASE_URL=postgres://…) it
                     runs pg_dump, or says what to use when pg_dump is missing
  restore <file> [db] replace the database (db, --db or COMMERCE_DB) with a backup: refuses while a server uses it,
                     checks checksum, integrity and schema version (newer refused, older migrated), keeps the
                     replaced file as <name>.replaced-<time>.sqlite
  stock:import <file> import a stock CSV (header sku,stock or sku,delta; - reads stdin): one transaction, any bad
                     line changes nothing and is listed; --dry-run previews. Ledger rows: reason import, actor
                     cli:<user> (or --actor <email>)
  stock:export [file] current stock as sku,stock CSV (stdout, or the file / --out)
  prune              delete what the retention rules say is old (idempotency keys after 24 h, abandoned carts after
                     90 days, analytics events after 13 months, webhook delivery logs after 30 days); prints the
                     counts (--json: one JSON object)
  reconcile          list payments without orders (authorized over an hour ago, cart never completed) and orders
                     without a payment covering them, for every provider; exit 1 when anything is found (cron)
  analytics:rebuild  recompute the dashboard's analytics rollups from the raw orders, carts and events, one day
                     per transaction (safe while the store serves); progress on stderr. --time-zone <IANA> rebuilds
                     in another reporting time zone (the server rebuilds by itself when its option differs)
  analytics:prune    delete raw analytics events older than --keep-days <n> (default 396, about 13 months) in
                     batches; the rollups and so the dashboard's history stay
  help               show this text

Run it from the site's root: it reads the options \`astro build\` resolved (dist/commerce.json: databasePath,
productsDir, storeName), so it touches the same database as the server. Without a build it uses the defaults.

Options:
  --db <file|url>    SQLite file (default: $COMMERCE_DB, else databasePath from dist/commerce.json, else
                     db/commerce.sqlite), or a postgres:// URL (default when set: $DATABASE_URL)
  --products <dir>   product files (default: productsDir from dist/commerce.json, else content/products)
  --entry <file>     server build to serve (default: dist/server/entry.mjs)
  --host <host>      serve: address to listen on (default: $HOST or 127.0.0.1)
  --port <port>      serve: port (default: $PORT or 4321)
  --out <dest>       backup: same as the [dest] argument (also -o, --output, --to, --dir)
  --json             backup, restore, analytics:*: print one JSON object (for scripts)

Coupon options (coupon:create):
  --code <CODE>              required; letters, digits, - and _
  --type <type>              percentage | fixed | free_shipping
  --value <n>                percent for percentage (10), an amount for fixed (5.00)
  --currency <usd>           currency of fixed amounts and of --min-subtotal / --max-discount
  --min-subtotal <25.00>     order minimum before discounts
  --max-discount <15.00>     cap of the discount
  --starts-at <ISO date>     e.g. 2026-12-01T00:00:00Z
  --ends-at <ISO date>       exclusive
  --usage-limit <n>          total uses
  --per-customer-limit <n>   uses per customer (guests by email)
  --product-handles <h1,h2>  restrict to these products
  --category-handles <c1,c2> restrict to these categories
  --description <text>
  --disabled
`;

/** Runs one CLI command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
	if (argv.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
		console.error(
			'Passwords are never taken from the command line (they would stay in shell history and process lists). Pipe it on stdin, e.g. `printf %s "$PASS" | commerce admin:create --email …`, or type it at the prompt.',
		);
		return 2;
	}
	let parsed: ReturnType<typeof parseCliArgs>;
	try {
		parsed = parseCliArgs(argv);
	} catch (error) {
		console.error(`${(error as Error).message}\n\n${HELP}`);
		return 2;
	}
	const { values, positionals } = parsed;
	const command = values.help ? 'help' : (positionals[0] ?? 'help');
	let site: ReturnType<typeof readSiteSettings>;
	try {
		site = readSiteSettings();
	} catch (error) {
		console.error((error as Error).message);
		return 1;
	}
	const productsDir = values.products ?? site.productsDir;
	// An explicit --db beats COMMERCE_DB, which beats the site's databasePath (as built), which beats the default.
	const pgFlag = isPostgresUrl(values.db) ? values.db : undefined;
	const databasePath = values.db && !pgFlag ? resolve(values.db) : resolveDatabasePath(site.databasePath);
	// Where migrate, sync, coupon:create and admin:create work: --db (a file or a postgres:// URL), else DATABASE_URL,
	// else the SQLite file. Two connections are plenty for a command.
	let target: DatabaseTarget;
	try {
		target = pgFlag
			? { dialect: 'postgres', url: pgFlag, poolSize: 2 }
			: values.db
				? { dialect: 'sqlite', path: databasePath }
				: resolveDatabaseTarget({ databasePath: site.databasePath, database: { poolSize: 2 } });
	} catch (error) {
		console.error((error as Error).message);
		return 2;
	}
	const where = describeTarget(target);

	switch (command) {
		case 'help':
			console.log(HELP);
			return 0;
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
			const db = openDatabase(databasePath);
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
			const db = openDatabase(databasePath);
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
			return stockImportCommand(databasePath, positionals[1], { dryRun: values['dry-run'], actor: values.actor });
		case 'stock:export':
			return stockExportCommand(databasePath, values.out ?? values.output ?? positionals[1]);
		case 'analytics:rebuild':
			return analyticsRebuildCommand(databasePath, { timeZone: values['time-zone'], json: values.json });
		case 'analytics:prune':
			return analyticsPruneCommand(databasePath, { keepDays: values['keep-days'], json: values.json });
		case 'admin:create':
			return adminCreate({ email: values.email, role: values.role, databasePath: target });
		case 'backup':
			return backupCommand(databaseTarget(values.db, databasePath), {
				destination: values.out ?? values.output ?? values.to ?? values.dir ?? positionals[1],
				keep: values.keep,
				vacuum: values.vacuum,
				json: values.json,
			});
		case 'restore': {
			// `commerce restore <file> [target]`, or the target as --db / --to / COMMERCE_DB.
			const into = values.to ?? positionals[2];
			const target = into ? databaseTarget(undefined, resolve(into), {}) : databaseTarget(values.db, databasePath);
			return restoreCommand(target, positionals[1], { json: values.json });
		}
		case 'serve': {
			const port = Number(values.port ?? process.env.PORT ?? 4321);
			if (!Number.isInteger(port) || port < 0 || port > 65535) {
				console.error(`--port ${values.port} is not a port number (0-65535).`);
				return 2;
			}
			if (pgFlag) process.env.DATABASE_URL = pgFlag;
			else if (values.db) process.env.COMMERCE_DB = databasePath;
			// Everything this process prints is a JSON log line (or its terminal rendering): Astro's messages too.
			captureProcessOutput();
			try {
				const running = await serve({
					entry: values.entry,
					host: values.host ?? process.env.HOST ?? '127.0.0.1',
					port,
				});
				const stop = () => void running.close().then(() => process.exit(0));
				process.once('SIGINT', stop);
				process.once('SIGTERM', stop);
				await new Promise(() => {});
				return 0;
			} catch (error) {
				console.error((error as Error).message);
				return 1;
			}
		}
		default:
			console.error(`Unknown command "${command}".\n\n${HELP}`);
			return 2;
	}
}

/** The flags every command understands; `parseArgs` throws on unknown ones. */
function parseCliArgs(argv: string[]) {
	return parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			db: { type: 'string' },
			from: { type: 'string' },
			products: { type: 'string' },
			entry: { type: 'string', default: 'dist/server/entry.mjs' },
			host: { type: 'string' },
			port: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
			code: { type: 'string' },
			type: { type: 'string' },
			value: { type: 'string' },
			currency: { type: 'string' },
			'min-subtotal': { type: 'string' },
			'max-discount': { type: 'string' },
			'starts-at': { type: 'string' },
			'ends-at': { type: 'string' },
			'usage-limit': { type: 'string' },
			'per-customer-limit': { type: 'string' },
			'product-handles': { type: 'string' },
			'category-handles': { type: 'string' },
			description: { type: 'string' },
			disabled: { type: 'boolean' },
			email: { type: 'string' },
			role: { type: 'string' },
			out: { type: 'string', short: 'o' },
			// Accepted spellings of --out (backup) and of the target database (restore): people guess these.
			output: { type: 'string' },
			to: { type: 'string' },
			dir: { type: 'string' },
			keep: { type: 'string' },
			vacuum: { type: 'boolean' },
			'dry-run': { type: 'boolean' },
			actor: { type: 'string' },
			json: { type: 'boolean' },
			'time-zone': { type: 'string' },
			'keep-days': { type: 'string' },
		},
	});
}

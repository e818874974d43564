import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
	type DatabaseTarget,
	describeTarget,
	isPostgresUrl,
	resolveDatabasePath,
	resolveDatabaseTarget,
} from '../db/client.ts';
import { captureProcessOutput } from '../log/logger.ts';
import { serve } from '../server/serve.ts';
import { readSiteSettings } from './site-settings.ts';

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
database.url, productsDir, storeName), so every command touches the same database as the server, chosen the same
way: $DATABASE_URL, else the database.url option (PostgreSQL), else the SQLite file ($COMMERCE_DB, else
databasePath). Without a build it uses the defaults.

Options:
  --db <file|url>    the database for this run, a SQLite file or a postgres:// URL (beats everything above)
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
	// Where every command works, chosen as the server chooses (resolveDatabaseTarget): --db (a file or a postgres://
	// URL), else DATABASE_URL, else the site's database.url option, else the SQLite file (COMMERCE_DB, then the site's
	// databasePath). Two connections are plenty for a command.
	let target: DatabaseTarget;
	try {
		target = pgFlag
			? { dialect: 'postgres', url: pgFlag, poolSize: 2 }
			: values.db
				? { dialect: 'sqlite', path: databasePath }
				: resolveDatabaseTarget(
						{ databasePath: site.databasePath, database: { url: site.databaseUrl, poolSize: 2 } },
						{ ...process.env, DATABASE_POOL_SIZE: undefined },
					);
	} catch (error) {
		console.error((error as Error).message);
		return 2;
	}
	// backup and restore name the SQLite file even on PostgreSQL (restore's refusal message shows it).
	const opsTarget = target.dialect === 'postgres' ? { databasePath, databaseUrl: target.url } : { databasePath };
	const where = describeTarget(target);

	if (command === 'help') {
		console.log(HELP);
		return 0;
	}
	if (command !== 'serve') {
		// Every other command lives in commands.ts, loaded only for it: a serving process keeps none of those modules.
		const { runCommand } = await import('./commands.ts');
		const code = await runCommand(command, {
			values,
			positionals,
			target,
			where,
			databasePath,
			opsTarget,
			productsDir,
		});
		if (code >= 0) return code;
		console.error(`Unknown command "${command}".\n\n${HELP}`);
		return 2;
	}
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

/** The parsed flags (commands.ts reads them too). */
export type CliValues = ReturnType<typeof parseCliArgs>['values'];

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

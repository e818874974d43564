import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import { migrations } from '../../plugins/commerce/src/db/migrations/index.ts';

// The database a DB-touching unit test runs on: a fresh SQLite file by default, a fresh PostgreSQL database when
// COMMERCE_TEST_DB=postgres (the `unit-postgres` project; npm test runs both). PostgreSQL databases are created from a
// migrated template (CREATE DATABASE … TEMPLATE copies files: ~50 ms instead of migrating each time) and dropped after.

export const testDialect: 'sqlite' | 'postgres' = process.env.COMMERCE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = testDialect === 'postgres';

/** The server tests create their databases on; `COMMERCE_TEST_PG` overrides it. */
export const PG_SERVER = process.env.COMMERCE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';
/** Prefix of every database the tests create (several checkouts can share one server with different prefixes). */
const PREFIX = (process.env.COMMERCE_TEST_PG_PREFIX ?? 'commerce_test').replace(/[^a-z0-9_]/gi, '_').toLowerCase();

export interface TestDatabase {
	db: CommerceDb;
	/** The SQLite file or the postgres:// URL: what a server, the CLI or a second connection opens. */
	target: string;
	/** A second, independent connection (pool) to the same database. */
	open(): CommerceDb;
	/** Closes `db` and deletes the database. */
	destroy(): Promise<void>;
}

const urlOf = (name: string) => `${PG_SERVER.replace(/\/+$/, '')}/${name}`;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: urlOf('postgres') });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

let template: Promise<string> | undefined;

/** The migrated template, named by a hash of the migrations' code, so a changed migration gets a new one. */
function migratedTemplate(): Promise<string> {
	template ??= (async () => {
		const hash = createHash('sha256');
		for (const [name, m] of Object.entries(migrations)) hash.update(name).update(String(m.up));
		const name = `${PREFIX}_tpl_${hash.digest('hex').slice(0, 12)}`;
		await admin(async (client) => {
			// Test files run in parallel workers: one of them builds the template, the others wait for it.
			await client.query(`select pg_advisory_lock(hashtext('${name}'))`);
			try {
				const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
				if (rowCount) return;
				await client.query(`create database ${name}`);
				const db = openDatabase(urlOf(name));
				try {
					await migrateToLatest(db);
				} catch (error) {
					await db.destroy();
					await client.query(`drop database ${name}`);
					throw error;
				}
				await db.destroy();
			} finally {
				await client.query(`select pg_advisory_unlock(hashtext('${name}'))`);
			}
		});
		return name;
	})();
	return template;
}

/** A new empty store database, migrated to the latest schema, on the dialect this test run uses. */
export async function createTestDatabase(label = 'db'): Promise<TestDatabase> {
	if (!onPostgres) {
		const dir = mkdtempSync(join(tmpdir(), `frostbuy-${label}-`));
		const file = join(dir, 'commerce.sqlite');
		const db = openDatabase(file);
		await migrateToLatest(db);
		return {
			db,
			target: file,
			open: () => openDatabase(file),
			destroy: async () => {
				await db.destroy();
				rmSync(dir, { recursive: true, force: true });
			},
		};
	}
	const from = await migratedTemplate();
	const name = `${PREFIX}_${label
		.replace(/[^a-z0-9]/gi, '')
		.toLowerCase()
		.slice(0, 20)}_${randomBytes(5).toString('hex')}`;
	await admin((client) => client.query(`create database ${name} template ${from}`));
	const url = urlOf(name);
	const db = openDatabase(url);
	return {
		db,
		target: url,
		open: () => openDatabase(url),
		destroy: async () => {
			await db.destroy();
			await admin((client) => client.query(`drop database if exists ${name} with (force)`));
		},
	};
}

/** An empty PostgreSQL database (no tables) for tests of migrations and start-up; dropped by the returned function. */
export async function createEmptyPostgresDatabase(label = 'empty'): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `${PREFIX}_${label
		.replace(/[^a-z0-9]/gi, '')
		.toLowerCase()
		.slice(0, 20)}_${randomBytes(5).toString('hex')}`;
	await admin((client) => client.query(`create database ${name}`));
	return {
		url: urlOf(name),
		drop: () => admin((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
	};
}

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../plugins/commerce/src/cli/main.ts';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import { migrations } from '../../plugins/commerce/src/db/migrations/index.ts';
import { acquireLease, insertInstance } from '../../plugins/commerce/src/db/repositories/operations-repository.ts';
import { backupSqlite, backupStamp, OpsError, rotateBackups } from '../../plugins/commerce/src/ops/backup.ts';
import { restoreSqlite } from '../../plugins/commerce/src/ops/restore.ts';
import { parseInterval, resolveBackupSchedule } from '../../plugins/commerce/src/ops/schedule.ts';

// Real files, worker threads, child processes and pg_dump: seconds each on a busy 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'frostbuy-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sqlite = (file: string) => new SQLite(file);

/** A migrated database with `orders` rows (the table's own columns filled by a raw insert of only what is required). */
async function shop(file: string, orders: number): Promise<void> {
	const db = openDatabase(file);
	await migrateToLatest(db);
	await db.destroy();
	const raw = sqlite(file);
	raw.pragma('foreign_keys = OFF');
	const columns = (
		raw.prepare('select name, "notnull" as nn, type from pragma_table_info(\'orders\')').all() as {
			name: string;
			nn: number;
			type: string;
		}[]
	).filter((c) => c.nn);
	const insert = raw.prepare(
		`insert into orders (${columns.map((c) => c.name).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
	);
	for (let i = 0; i < orders; i++)
		insert.run(
			...columns.map((c) =>
				c.name === 'id' ? `order_${i}` : c.name === 'display_id' ? i + 1 : /int/i.test(c.type) ? 0 : `v${i}`,
			),
		);
	raw.close();
}

const count = (file: string, table: string) => {
	const db = sqlite(file);
	try {
		return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
	} finally {
		db.close();
	}
};

let live: string;
beforeAll(async () => {
	live = join(dir, 'live', 'commerce.sqlite');
	mkdirSync(join(dir, 'live'));
	await shop(live, 25);
});

describe('commerce backup (SQLite)', () => {
	it('writes a timestamped, checked copy with its checksum into a directory, and records the run', async () => {
		const out = join(dir, 'backups-a');
		const at = new Date('2026-12-01T10:00:00Z');
		const result = await backupSqlite({ source: live, destination: out, trigger: 'cli', now: () => at });
		expect(result.file).toBe(join(out, `commerce-${backupStamp(at)}.sqlite`));
		expect(result.file).toMatch(/commerce-2026-12-01T10-00-00Z\.sqlite$/);
		expect(result.integrity).toBe('ok');
		expect(result.counts.orders).toBe(25);
		expect(result.migration).toBe(Object.keys(migrations).sort().at(-1));
		const [hash, name] = readFileSync(result.checksumFile, 'utf8').trim().split(/\s+/);
		expect(name).toBe('commerce-2026-12-01T10-00-00Z.sqlite');
		expect(hash).toBe(result.sha256);
		// A single self-contained file (no write-ahead log beside it), with every order.
		expect(readdirSync(out).sort()).toEqual([name, `${name}.sha256`]);
		expect(count(result.file, 'orders')).toBe(25);
		const runs = sqlite(live).prepare('select trigger, status, file_name from backup_run').all();
		expect(runs).toContainEqual({ trigger: 'cli', status: 'ok', file_name: name });
	});

	it('copies consistently while another process writes (every row committed before it started is in it)', async () => {
		// A writer in another process commits continuously during the backup.
		const writer = spawn(
			process.execPath,
			[
				'-e',
				`const S = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new S(${JSON.stringify(live)}); db.pragma('busy_timeout = 5000');
				 db.exec('create table if not exists load (n integer)'); let n = 0;
				 process.stdout.write('ready\\n');
				 const loop = () => { const end = Date.now() + 20; while (Date.now() < end) db.prepare('insert into load values (?)').run(n++); setImmediate(loop); }; loop();`,
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		await new Promise((resolve) => writer.stdout.once('data', resolve));
		await new Promise((resolve) => setTimeout(resolve, 200));
		const before = count(live, 'load');
		const result = await backupSqlite({ source: live, destination: join(dir, 'backups-load/'), trigger: 'cli' });
		writer.kill();
		expect(result.integrity).toBe('ok');
		expect(count(result.file, 'load')).toBeGreaterThanOrEqual(before);
	});

	it('writes to a named file, refuses to overwrite one, and refuses a missing database', async () => {
		const file = join(dir, 'named', 'nightly.sqlite');
		mkdirSync(join(dir, 'named'));
		const result = await backupSqlite({ source: live, destination: file, trigger: 'cli' });
		expect(result.file).toBe(file);
		expect(existsSync(`${file}.sha256`)).toBe(true);
		await expect(backupSqlite({ source: live, destination: file, trigger: 'cli' })).rejects.toThrow(/exists already/);
		await expect(backupSqlite({ source: join(dir, 'nope.sqlite'), trigger: 'cli' })).rejects.toThrow(/No database at/);
	});

	it('never runs two backups of one database at once (the backup lease)', async () => {
		const db = openDatabase(live);
		const now = new Date();
		await acquireLease(db, {
			name: 'backup',
			holder: 'server:elsewhere',
			now: now.toISOString(),
			expiresAt: new Date(now.getTime() + 60_000).toISOString(),
		});
		await db.destroy();
		await expect(backupSqlite({ source: live, destination: join(dir, 'busy/'), trigger: 'cli' })).rejects.toThrow(
			/Another backup of this database is running \(server:elsewhere/,
		);
		sqlite(live).prepare("delete from commerce_lease where name = 'backup'").run();
	});

	it('keeps the newest n backups of the database in a directory and nothing else is touched', async () => {
		const out = join(dir, 'rotate');
		mkdirSync(out);
		writeFileSync(join(out, 'notes.txt'), 'keep me');
		writeFileSync(join(out, 'other-2026-01-01T00-00-00Z.sqlite'), 'another database');
		const times = ['2026-12-01T01:00:00Z', '2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z', '2026-12-01T03:00:00Z'];
		let last: Awaited<ReturnType<typeof backupSqlite>> | undefined;
		for (const t of times)
			last = await backupSqlite({ source: live, destination: out, keep: 2, trigger: 'cli', now: () => new Date(t) });
		expect(last?.removed).toHaveLength(1);
		expect(readdirSync(out).sort()).toEqual([
			'commerce-2026-12-01T03-00-00Z-2.sqlite',
			'commerce-2026-12-01T03-00-00Z-2.sqlite.sha256',
			'commerce-2026-12-01T03-00-00Z.sqlite',
			'commerce-2026-12-01T03-00-00Z.sqlite.sha256',
			'notes.txt',
			'other-2026-01-01T00-00-00Z.sqlite',
		]);
		expect(rotateBackups(out, live, 1)).toEqual([join(out, 'commerce-2026-12-01T03-00-00Z.sqlite')]);
	});

	it('the CLI prints the file and the checks, or one JSON object with --json', async () => {
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		expect(await main(['backup', join(dir, 'cli-out/'), '--db', live, '--json'])).toBe(0);
		const report = JSON.parse(String(log.mock.calls.at(-1)?.[0]));
		expect(report).toMatchObject({ ok: true, dialect: 'sqlite', integrity: 'ok', counts: { orders: 25 } });
		expect(existsSync(report.file)).toBe(true);
		log.mockClear();
		expect(await main(['backup', '--out', join(dir, 'cli-out/'), '--db', live])).toBe(0);
		expect(log.mock.calls.map((c) => c[0]).join('\n')).toMatch(
			/backup written: .*commerce-.*\.sqlite\n.*integrity_check ok/,
		);
		log.mockRestore();
	});
});

describe('commerce restore (SQLite)', () => {
	let backup: string;
	beforeAll(async () => {
		backup = (await backupSqlite({ source: live, destination: join(dir, 'for-restore/'), trigger: 'cli' })).file;
	});

	it('restores into a new file, forgetting the servers recorded in the backup', async () => {
		const db = openDatabase(live);
		const at = new Date().toISOString();
		await insertInstance(db, { id: 'inst_x', role: 'server', hostname: 'h', pid: 1, started_at: at, heartbeat_at: at });
		await db.destroy();
		const copy = (await backupSqlite({ source: live, destination: join(dir, 'with-instance/'), trigger: 'cli' })).file;
		sqlite(live).prepare("delete from commerce_instance where id = 'inst_x'").run();
		const target = join(dir, 'restored', 'new.sqlite');
		const result = await restoreSqlite({ backup: copy, target });
		expect(result).toMatchObject({ kept: null, migrated: [], checksum: 'verified', counts: { orders: 25 } });
		expect(count(target, 'orders')).toBe(25);
		expect(count(target, 'commerce_instance')).toBe(0);
	});

	it('keeps the replaced database and leaves no write-ahead log of it behind', async () => {
		const target = join(dir, 'replace', 'commerce.sqlite');
		mkdirSync(join(dir, 'replace'));
		await shop(target, 3);
		const result = await restoreSqlite({ backup, target, now: () => new Date('2026-12-02T08:00:00Z') });
		expect(result.kept).toBe(join(dir, 'replace', 'commerce.replaced-2026-12-02T08-00-00Z.sqlite'));
		expect(count(result.kept as string, 'orders')).toBe(3);
		expect(count(target, 'orders')).toBe(25);
		expect(existsSync(`${target}-wal`)).toBe(false);
	});

	it('refuses while a server uses the target: a fresh heartbeat of a live process, or any open connection', async () => {
		const target = join(dir, 'busy', 'commerce.sqlite');
		mkdirSync(join(dir, 'busy'), { recursive: true });
		await shop(target, 1);
		const db = openDatabase(target);
		const at = new Date().toISOString();
		await insertInstance(db, {
			id: 'inst_live',
			role: 'server',
			hostname: (await import('node:os')).hostname(),
			pid: process.pid,
			started_at: at,
			heartbeat_at: at,
		});
		await expect(restoreSqlite({ backup, target })).rejects.toThrow(/A server is using .*pid \d+/);
		await db.deleteFrom('commerce_instance').execute();
		// No heartbeat, but the file is open (a server started without one, a stray process).
		await expect(restoreSqlite({ backup, target })).rejects.toThrow(/open in another process/);
		await db.destroy();
		expect(count(target, 'orders')).toBe(1);
		// A heartbeat from a process of this machine that is gone (a crash) does not block.
		const closed = openDatabase(target);
		await insertInstance(closed, {
			id: 'inst_dead',
			role: 'server',
			hostname: (await import('node:os')).hostname(),
			pid: 2 ** 22 + 7,
			started_at: at,
			heartbeat_at: at,
		});
		await closed.destroy();
		await expect(restoreSqlite({ backup, target })).resolves.toMatchObject({ counts: { orders: 25 } });
	});

	it('refuses a damaged backup (checksum), a corrupt file and a newer schema before touching the target', async () => {
		const target = join(dir, 'refuse', 'commerce.sqlite');
		mkdirSync(join(dir, 'refuse'));
		await shop(target, 2);

		const damaged = join(dir, 'refuse', 'damaged.sqlite');
		writeFileSync(damaged, readFileSync(backup));
		writeFileSync(`${damaged}.sha256`, `${'0'.repeat(64)}  damaged.sqlite\n`);
		await expect(restoreSqlite({ backup: damaged, target })).rejects.toThrow(/does not match its checksum/);

		const garbage = join(dir, 'refuse', 'garbage.sqlite');
		writeFileSync(garbage, Buffer.alloc(8192, 7));
		await expect(restoreSqlite({ backup: garbage, target })).rejects.toThrow(OpsError);

		const newer = join(dir, 'refuse', 'newer.sqlite');
		writeFileSync(newer, readFileSync(backup));
		sqlite(newer)
			.prepare('insert into kysely_migration (name, timestamp) values (?, ?)')
			.run('2099-01-01-0099-from-the-future', new Date().toISOString());
		await expect(restoreSqlite({ backup: newer, target })).rejects.toThrow(
			/newer version of @frostbuy\/commerce.*2099-01-01-0099-from-the-future.*Upgrade the plugin/,
		);
		expect(count(target, 'orders')).toBe(2);
		expect(readdirSync(join(dir, 'refuse')).filter((n) => n.includes('replaced'))).toEqual([]);
	});

	it('migrates a backup from an older version to the current schema', async () => {
		const old = join(dir, 'old', 'commerce.sqlite');
		mkdirSync(join(dir, 'old'));
		const names = Object.keys(migrations).sort();
		const db: CommerceDb = openDatabase(old);
		const older = Object.fromEntries(names.slice(0, 3).map((n) => [n, migrations[n]]));
		await new Migrator({ db, provider: { getMigrations: async () => older } }).migrateToLatest();
		await db.destroy();
		const oldBackup = (await backupSqlite({ source: old, destination: join(dir, 'old-backups/'), trigger: 'cli' }))
			.file;
		const target = join(dir, 'old-restored.sqlite');
		const result = await restoreSqlite({ backup: oldBackup, target });
		expect(result.migrated).toEqual(names.slice(3));
		expect(result.migration).toBe(names.at(-1));
	});

	it('the CLI restores into --db and says where the old file went', async () => {
		const target = join(dir, 'cli-restore.sqlite');
		await shop(target, 1);
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		expect(await main(['restore', backup, '--db', target])).toBe(0);
		expect(log.mock.calls.map((c) => c[0]).join('\n')).toMatch(/restored .* into .*cli-restore\.sqlite[\s\S]*kept as/);
		// The target can also be the second argument.
		const second = join(dir, 'cli-restore-positional.sqlite');
		expect(await main(['restore', backup, second, '--json'])).toBe(0);
		expect(JSON.parse(String(log.mock.calls.at(-1)?.[0]))).toMatchObject({ ok: true, target: second, kept: null });
		log.mockRestore();
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		expect(await main(['restore', '--db', target])).toBe(2);
		expect(await main(['restore', join(dir, 'missing.sqlite'), '--db', target])).toBe(1);
		expect(String(error.mock.calls.at(-1)?.[0])).toMatch(/No backup at/);
		error.mockRestore();
	});
});

describe('scheduled backups settings', () => {
	it('reads durations, with the environment winning over the options', () => {
		expect(parseInterval('6h')).toBe(6 * 3_600_000);
		expect(parseInterval('30')).toBe(30 * 60_000);
		expect(parseInterval('45s')).toBe(45_000);
		expect(parseInterval('off')).toBeNull();
		expect(parseInterval(undefined)).toBeNull();
		expect(() => parseInterval('soon')).toThrow(/not a duration/);
		const options = { backups: { interval: '1d', keep: 7 } };
		expect(resolveBackupSchedule(options, '/srv/db/commerce.sqlite', {})).toEqual({
			intervalMs: 86_400_000,
			keep: 7,
			directory: '/srv/db/backups',
		});
		expect(
			resolveBackupSchedule(options, '/srv/db/commerce.sqlite', {
				COMMERCE_BACKUP_INTERVAL: '2h',
				COMMERCE_BACKUP_KEEP: '3',
				COMMERCE_BACKUP_DIR: '/mnt/backups',
			}),
		).toEqual({ intervalMs: 7_200_000, keep: 3, directory: '/mnt/backups' });
		expect(resolveBackupSchedule({ backups: { keep: 7 } }, '/srv/db/commerce.sqlite', {})).toBeNull();
		expect(() => resolveBackupSchedule(options, '/x.sqlite', { COMMERCE_BACKUP_KEEP: '0' })).toThrow(/at least 1/);
	});
});

// pg_dump against the machine's PostgreSQL when both are there (the PostgreSQL branch makes them part of npm test).
const PG = { host: '127.0.0.1', user: 'postgres' };
const pgReady =
	spawnSync('pg_dump', ['--version']).status === 0 &&
	spawnSync('psql', ['-h', PG.host, '-U', PG.user, '-d', 'postgres', '-Atc', 'select 1'], { timeout: 5000 }).status ===
		0;

describe('commerce backup on PostgreSQL', () => {
	it.runIf(pgReady)(
		'runs pg_dump (custom format), lists the archive with pg_restore and writes a checksum',
		async () => {
			const database = `frostbuy_ops_${process.pid}`;
			const psql = (sql: string, db = database) =>
				spawnSync('psql', ['-h', PG.host, '-U', PG.user, '-d', db, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], {
					encoding: 'utf8',
				});
			expect(psql(`create database ${database}`, 'postgres').status).toBe(0);
			try {
				expect(
					psql("create table orders (id text primary key); insert into orders values ('order_1'), ('order_2')").status,
				).toBe(0);
				const log = vi.spyOn(console, 'log').mockImplementation(() => {});
				const code = await main([
					'backup',
					join(dir, 'pg-out/'),
					'--db',
					`postgres://postgres@127.0.0.1:5432/${database}`,
					'--json',
				]);
				const report = JSON.parse(String(log.mock.calls.at(-1)?.[0]));
				log.mockRestore();
				expect(code).toBe(0);
				expect(report).toMatchObject({ ok: true, dialect: 'postgres' });
				expect(report.file).toMatch(new RegExp(`${database}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.dump$`));
				expect(report.entries).toBeGreaterThan(0);
				expect(readFileSync(`${report.file}.sha256`, 'utf8')).toContain(report.sha256);
				const listed = spawnSync('pg_restore', ['--list', report.file], { encoding: 'utf8' });
				expect(listed.stdout).toMatch(/TABLE DATA public orders/);
			} finally {
				psql(`drop database if exists ${database}`, 'postgres');
			}
		},
	);

	it('explains what to use when pg_dump is not installed', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		const path = process.env.PATH;
		process.env.PATH = join(dir, 'empty-bin');
		try {
			expect(await main(['backup', join(dir, 'pg/'), '--db', 'postgres://shop:s3cret@db.example:5432/shop'])).toBe(1);
		} finally {
			process.env.PATH = path;
		}
		const said = error.mock.calls.map((c) => c[0]).join('\n');
		expect(said).toMatch(/pg_dump is not installed/);
		expect(said).toMatch(/apt-get install postgresql-client/);
		expect(said).toMatch(/pg_restore/);
		expect(log.mock.calls.map((c) => c[0]).join('\n')).not.toContain('s3cret');
		error.mockRestore();
		log.mockRestore();
	});
});

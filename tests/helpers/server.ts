import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEmptyPostgresDatabase, onPostgres } from './test-db.ts';

export interface TestServer {
	/** Base URL, always 127.0.0.1 so tests never depend on how `localhost` resolves. */
	url: string;
	/** The SQLite file, or the postgres:// URL when the server runs on PostgreSQL. */
	databasePath: string;
	output: () => string;
	stop(): Promise<void>;
	/** Kills the process with SIGKILL (no shutdown at all) and waits for it to exit; the database file stays. */
	kill(): Promise<void>;
}

const REPO = resolve(import.meta.dirname, '../..');
const CLI = join(REPO, 'plugins/commerce/bin/commerce.mjs');

/**
 * Starts a built site exactly as `npm start` serves it (`commerce serve`), on a free port with its own temporary
 * SQLite file (or `databasePath`, e.g. to restart on the file of a killed server), and resolves once it listens.
 * With `databaseUrl` (or COMMERCE_TEST_DB=postgres, which creates a new empty database) it runs on PostgreSQL.
 */
export async function startServer(
	opts: { root?: string; env?: Record<string, string>; databasePath?: string; databaseUrl?: string } = {},
): Promise<TestServer> {
	const root = opts.root ?? REPO;
	// A caller-chosen file or database belongs to the caller, who removes it; a temporary one is removed by `stop`.
	const own =
		!opts.databaseUrl && !opts.databasePath && onPostgres ? await createEmptyPostgresDatabase('server') : null;
	const databaseUrl = opts.databaseUrl ?? own?.url;
	const dir = opts.databasePath || databaseUrl ? null : mkdtempSync(join(tmpdir(), 'frostbuy-test-'));
	const databasePath = databaseUrl ?? opts.databasePath ?? join(dir!, 'commerce.sqlite');
	const database: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : { COMMERCE_DB: databasePath };
	// A free port chosen first, so the server knows its public URL: the demo's `site` (localhost:4321) would otherwise
	// put that address into email links and image URLs.
	const freePort = await new Promise<number>((done, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
		});
	});
	const child: ChildProcess = spawn(
		process.execPath,
		[CLI, 'serve', '--port', String(freePort), '--host', '127.0.0.1'],
		{
			cwd: root,
			// Tests play the trusted proxy: X-Forwarded-For stands for different clients (client-address.test.ts checks the default).
			env: {
				...process.env,
				...database,
				ASTRO_TELEMETRY_DISABLED: '1',
				TRUST_PROXY: '1',
				COMMERCE_PUBLIC_URL: `http://127.0.0.1:${freePort}`,
				...opts.env,
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let log = '';
	child.stdout?.on('data', (chunk) => (log += chunk));
	child.stderr?.on('data', (chunk) => (log += chunk));
	const port = await new Promise<number>((resolvePort, reject) => {
		// Generous: two servers migrating one PostgreSQL database take turns, and CI machines may be loaded. No orphan keeps
		// running (and holding its database) after a failed start.
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`server did not start in 90 s:\n${log}`));
		}, 90_000);
		// Removed once matched: the log grows by an access line per request, and matching all of it on every chunk made
		// long tests slower the more requests they sent.
		const onData = () => {
			const match = /serving on http:\/\/[^:]+:(\d+)/.exec(log);
			if (match) {
				clearTimeout(timer);
				child.stdout?.off('data', onData);
				resolvePort(Number(match[1]));
			}
		};
		child.stdout?.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${log}`));
		});
	});
	return {
		url: `http://127.0.0.1:${port}`,
		databasePath,
		output: () => log,
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((done) => child.once('exit', done));
				child.kill('SIGTERM');
				await exited;
			}
			if (dir) rmSync(dir, { recursive: true, force: true });
			await own?.drop();
		},
		kill: async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((done) => child.once('exit', done));
			child.kill('SIGKILL');
			await exited;
		},
	};
}

export const repoRoot = REPO;

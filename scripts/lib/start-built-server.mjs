// Starts the built store as `npm start` serves it (`commerce serve`), on a free port with a throwaway SQLite file.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Resolves with `{ url, databasePath, pid, stop }` once the server listens. With `databasePath` the server opens that
 * file (a restart on a seeded database) and `stop` leaves it in place.
 * @param {{ entry?: string; env?: NodeJS.ProcessEnv; cwd?: string; startSeconds?: number; databasePath?: string }} [opts]
 */
export async function startBuiltServer(opts = {}) {
	const startSeconds = opts.startSeconds ?? 30;
	const dir = opts.databasePath ? null : mkdtempSync(join(tmpdir(), 'frostbuy-bench-'));
	const databasePath = opts.databasePath ?? join(dir, 'commerce.sqlite');
	const child = spawn(
		process.execPath,
		[
			// e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server (not allowed in NODE_OPTIONS).
			...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
			join(opts.cwd ?? '.', 'plugins/commerce/bin/commerce.mjs'),
			'serve',
			'--entry',
			opts.entry ?? 'dist/server/entry.mjs',
			'--port',
			'0',
			'--host',
			'127.0.0.1',
		],
		{
			cwd: opts.cwd,
			// As npm start serves it (scripts/start.mjs): glibc's malloc arenas capped at two unless the caller says otherwise.
			env: { MALLOC_ARENA_MAX: '2', ...(opts.env ?? process.env), COMMERCE_DB: databasePath },
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let log = '';
	const url = await new Promise((resolve, reject) => {
		// Generous: a start migrates, syncs the catalog and hashes the demo admin's password, on a machine that may be busy.
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`server did not start in ${startSeconds} s:\n${log}`));
		}, startSeconds * 1000);
		let started = false;
		const onData = (chunk) => {
			// Once it listens, only the last 64 KB are kept (for the exit message): the server writes an access line per
			// request, and appending all of them to one string and matching it again on every chunk made this process's
			// cost per request grow with the requests served — on a 2-core machine, the benches' server's too.
			if (started) {
				log = (log + chunk).slice(-65_536);
				return;
			}
			log += chunk;
			const match = /serving on http:\/\/[^\s:]+:(\d+)/.exec(log);
			if (match) {
				started = true;
				clearTimeout(timer);
				resolve(`http://127.0.0.1:${match[1]}`);
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${log}`));
		});
	});
	const stop = async () => {
		if (child.exitCode === null) {
			const exited = new Promise((done) => child.once('exit', done));
			child.kill('SIGTERM');
			await exited;
		}
		if (dir) rmSync(dir, { recursive: true, force: true });
	};
	return { url, databasePath, pid: child.pid, stop };
}

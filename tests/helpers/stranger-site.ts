import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './server.ts';

// A stranger's site: the packed plugin installed into a fresh Astro site outside this repository (os.tmpdir()), built,
// served and used in Chromium, exactly as the plugin README tells someone who has never seen the repository.
// Parameterized by the Astro/adapter/Preact versions and by the Node binary that installs, builds and serves, so the
// same steps prove every supported combination (tests/api/pack-and-install.test.ts; Astro 6/7 legs on Node 22).

/** The versions a site pins: the README's install line is `astro @astrojs/node @astrojs/preact preact`. */
export interface StackVersions {
	astro: string;
	adapter: string;
	preactIntegration: string;
	preact: string;
}

/** What the README's install line resolves to today on Astro 5. */
export const ASTRO5_LATEST: StackVersions = {
	astro: '^5',
	adapter: '^9',
	preactIntegration: '^4',
	preact: '^10',
};

/**
 * The oldest Astro 5 the peer range (`astro: ^5.0.0`, `@astrojs/node: ^9.0.0`, `@astrojs/preact: ^4.0.0`) admits,
 * with the first adapter and Preact integration of those majors. Exact pins: a caret would float to the newest.
 */
export const ASTRO5_OLDEST: StackVersions = {
	astro: '5.0.0',
	adapter: '9.0.0',
	preactIntegration: '4.0.0',
	preact: '10.19.0',
};

export interface Runtime {
	/** The Node binary that runs npm, astro, the server and the CLI (its directory goes first on PATH). @default process.execPath */
	node?: string;
	/** Extra environment for every step (e.g. `npm_config_nodedir` for a Node whose headers live elsewhere). */
	env?: Record<string, string>;
}

export interface StrangerSite {
	root: string;
	runtime: Runtime;
}

export interface RunResult {
	code: number;
	output: string;
}

/**
 * The environment a stranger's shell has: none of this repository's npm settings. Run through `npx vitest`, every
 * `npm_config_*` of the repo's .npmrc is inherited (`legacy-peer-deps=true` would leave the peer dependencies out).
 */
export function strangerEnv(runtime: Runtime = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE_OPTIONS') env[key] = value;
	}
	const node = runtime.node ?? process.execPath;
	env.PATH = [dirname(node), ...(process.env.PATH ?? '').split(delimiter)].join(delimiter);
	return { ...env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...runtime.env };
}

/** Runs a command to completion and collects its output (stdout and stderr, interleaved). */
export function run(
	command: string,
	args: string[],
	cwd: string,
	runtime: Runtime = {},
	input?: string,
): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env: strangerEnv(runtime), stdio: ['pipe', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code: code ?? 1, output }));
		child.stdin.end(input ?? '');
	});
}

async function mustRun(command: string, args: string[], cwd: string, runtime: Runtime = {}, input?: string) {
	const result = await run(command, args, cwd, runtime, input);
	if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.output}`);
	return result.output;
}

/** `npm pack` of plugins/commerce into `destination`; returns the tarball's path. `dist/` must be built already. */
export async function packPlugin(destination: string): Promise<string> {
	mkdirSync(destination, { recursive: true });
	// --ignore-scripts: prepack would rebuild dist/ under servers that other tests are running from it.
	await mustRun(
		'npm',
		['pack', '--ignore-scripts', '--pack-destination', destination],
		join(repoRoot, 'plugins/commerce'),
	);
	const tarball = readdirSync(destination).find((f) => f.endsWith('.tgz'));
	if (!tarball) throw new Error(`npm pack left no tarball in ${destination}`);
	return join(destination, tarball);
}

/**
 * A new site folder with a package.json and the README's install line: the tarball, astro, the adapter, the Preact
 * integration and preact (pinned as given), plus `extraDependencies` (e.g. React). Installs with npm's defaults.
 */
export async function createStrangerSite(options: {
	root: string;
	tarball: string;
	versions: StackVersions;
	extraDependencies?: Record<string, string>;
	runtime?: Runtime;
}): Promise<StrangerSite> {
	const { root, tarball, versions } = options;
	mkdirSync(root, { recursive: true });
	writeFileSync(
		join(root, 'package.json'),
		`${JSON.stringify({ name: 'stranger-site', private: true, type: 'module' }, null, '\t')}\n`,
	);
	const site = { root, runtime: options.runtime ?? {} };
	await installPackages(site, {
		'@frostbuy/commerce': `file:${tarball}`,
		astro: versions.astro,
		'@astrojs/node': versions.adapter,
		'@astrojs/preact': versions.preactIntegration,
		preact: versions.preact,
		...options.extraDependencies,
	});
	return site;
}

/** `npm install name@range…` in the site (also how a variant moves an installed site to other versions). */
export async function installPackages(site: StrangerSite, packages: Record<string, string>): Promise<void> {
	const specs = Object.entries(packages).map(([name, range]) =>
		range.startsWith('file:') ? range.slice(5) : `${name}@${range}`,
	);
	await mustRun('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], site.root, site.runtime);
}

/** Product files (and their images) every variant sells: one simple product, one with options and a sold-out size. */
export const PRODUCT_FILES: Record<string, string> = {
	'content/products/campus-mug.md':
		'---\ntitle: Campus Mug\ncategory: Kitchen\nimages: [{ src: /mug.svg, alt: A white mug }]\nvariants:\n  - { sku: MUG-1, prices: { usd: 12.50 }, stock: 10 }\n---\nA sturdy mug.\n',
	'content/products/logo-tee.md':
		'---\ntitle: Logo Tee\ncategory: Apparel\nimages: [{ src: /tee.svg, alt: A grey t-shirt }]\noptions: [{ title: Size, values: [S, M] }]\nvariants:\n  - { sku: TEE-S, options: { Size: S }, prices: { usd: 20 }, stock: 5 }\n  - { sku: TEE-M, options: { Size: M }, prices: { usd: 22 }, stock: 0 }\n---\nSoft cotton.\n',
	'public/mug.svg': '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>\n',
	'public/tee.svg': '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle cx="4" cy="4" r="4"/></svg>\n',
};

/**
 * The site's own pages over `@frostbuy/commerce/catalog`: one prerendered (`/our-catalog/`), one rendered per request
 * (`/live-categories`), so the catalog is proven at build time and at run time on every Astro major.
 */
export const CATALOG_API_FILES: Record<string, string> = {
	'src/pages/our-catalog.astro':
		'---\nimport { activeProducts, getProduct } from \'@frostbuy/commerce/catalog\';\nconst products = activeProducts();\n---\n<html lang="en"><head><meta charset="utf-8"><title>Catalog</title><link rel="icon" href="data:,"></head><body><ul>{products.map((p) => <li>{p.title}: {p.variants[0].prices.usd}</li>)}</ul><p>{getProduct(\'logo-tee\')?.description}</p></body></html>\n',
	'src/pages/live-categories.astro':
		'---\nexport const prerender = false;\nimport { getCategories } from \'@frostbuy/commerce/catalog\';\n---\n<html lang="en"><head><meta charset="utf-8"><title>Categories</title><link rel="icon" href="data:,"></head><body><ul>{getCategories().map((c) => <li>{c.title} ({c.count})</li>)}</ul></body></html>\n',
};

/**
 * Issue 11: no server chunk may hold the catalog as a literal (Rollup's memory at build time grew with it). The product
 * files' descriptions must appear only in `commerce-catalog.json`, beside the server build. Pass `except` for chunks a
 * site's own content collection brings in (Astro's data store).
 */
export function serverChunksWithCatalog(site: StrangerSite, except = /_astro_data-layer-content/): string[] {
	const server = join(site.root, 'dist/server');
	if (!existsSync(join(server, 'commerce-catalog.json'))) return ['(no commerce-catalog.json)'];
	return readdirSync(server, { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.mjs') && !except.test(file))
		.filter((file) => {
			const code = readFileSync(join(server, file), 'utf8');
			return code.includes('A sturdy mug.') || code.includes('Soft cotton.');
		});
}

/** The site's own home page: it must come out untouched. */
export const OWN_HOME_PAGE =
	'<html lang="en"><head><meta charset="utf-8"><title>Home</title><link rel="icon" href="data:,"></head><body><h1>My own home page</h1></body></html>\n';

/**
 * Replaces the site's sources: `astro.config.mjs`, a home page of its own, the product files and `files` (paths
 * relative to the root). The previous build, database and sources are removed first, so variants share one install.
 */
export function writeSite(site: StrangerSite, config: string, files: Record<string, string> = {}): void {
	for (const dir of ['src', 'content', 'public', 'dist', 'data', 'db', '.astro'])
		rmSync(join(site.root, dir), { recursive: true, force: true });
	const all = { 'astro.config.mjs': config, 'src/pages/index.astro': OWN_HOME_PAGE, ...PRODUCT_FILES, ...files };
	for (const [file, text] of Object.entries(all)) {
		mkdirSync(dirname(join(site.root, file)), { recursive: true });
		writeFileSync(join(site.root, file), text);
	}
}

/** `npx astro build`, as the README says. */
export function buildStrangerSite(site: StrangerSite): Promise<RunResult> {
	return run('npx', ['astro', 'build'], site.root, site.runtime);
}

/** `npx commerce <args>` in the site's root, with `input` on stdin (e.g. a password). */
export function runCommerceCli(site: StrangerSite, args: string[], input?: string): Promise<RunResult> {
	return run('npx', ['commerce', ...args], site.root, site.runtime, input);
}

export async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export interface ServedSite {
	url: string;
	/** The server process (e.g. for its RSS). */
	pid: number;
	log(): string;
	stop(): Promise<void>;
}

/**
 * Serves the built site on a free port: `'node'` is Astro's documented `node dist/server/entry.mjs`, `'commerce'`
 * the plugin's `commerce serve` (the same binary the site's `npx commerce` runs).
 */
export async function serveStrangerSite(site: StrangerSite, how: 'node' | 'commerce'): Promise<ServedSite> {
	const port = await freePort();
	const args =
		how === 'node'
			? ['dist/server/entry.mjs']
			: ['node_modules/@frostbuy/commerce/bin/commerce.mjs', 'serve', '--port', String(port)];
	const child: ChildProcess = spawn(site.runtime.node ?? process.execPath, args, {
		cwd: site.root,
		env: { ...strangerEnv(site.runtime), PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	child.stdout?.on('data', (d) => (log += d));
	child.stderr?.on('data', (d) => (log += d));
	const stop = () =>
		new Promise<void>((resolve) => {
			if (child.exitCode !== null) return resolve();
			child.once('exit', () => resolve());
			child.kill();
		});
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 300 && child.exitCode === null; i++) {
		const up = await fetch(`${url}/`).then(
			(r) => r.status < 500,
			() => false,
		);
		if (up) return { url, pid: child.pid as number, log: () => log, stop };
		await new Promise((r) => setTimeout(r, 200));
	}
	await stop();
	throw new Error(`the site did not start (${how}):\n${log}`);
}

/**
 * Product page → add to cart (the island hydrates) → the cart shows it → checkout with the test card → confirmation.
 * `base` is Astro's base with a trailing slash ('/' or '/shop/').
 */
export async function buyOnInjectedPages(page: Page, url: string, base = '/'): Promise<void> {
	await page.goto(`${url}${base}products/campus-mug/`);
	await page.getByRole('button', { name: 'Add to cart' }).click();
	await page.locator('[data-cart-indicator]', { hasText: '1' }).waitFor();
	await page.goto(`${url}${base}cart/`);
	await page.getByText('Campus Mug').first().waitFor();
	await Promise.all([page.waitForURL(/\/checkout\/$/), page.getByRole('link', { name: 'Checkout' }).click()]);
	await page.getByLabel('Email', { exact: true }).fill('ada@example.com');
	await page.getByLabel('First name').fill('Ada');
	await page.getByLabel('Last name').fill('Lovelace');
	await page.getByLabel('Address', { exact: true }).fill('101 Main Street');
	await page.getByLabel('City').fill('Springfield');
	await page.getByLabel('State').fill('IL');
	await page.getByLabel('Postal code').fill('62701');
	await page.locator('.cart-shipping__option', { hasText: /Standard shipping/ }).click();
	await page.locator('.cart-shipping__option:has(input:checked)').waitFor();
	await page.locator('.checkout[aria-busy="false"]').waitFor();
	await page.getByLabel('Card number').fill('4242 4242 4242 4242');
	await page.getByLabel('Expiry (MM/YY)').fill('12/34');
	await page.getByLabel('CVC').fill('123');
	await page.getByRole('button', { name: /^Place order/ }).click();
	await page.waitForURL(new RegExp(`${base}order/confirmed/\\?id=order_`));
	await page.locator('[data-order-number]').waitFor();
}

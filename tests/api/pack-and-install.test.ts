import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, watchForErrors } from '../helpers/browser.ts';
import { repoRoot } from '../helpers/server.ts';

// The installability proof: the plugin as a stranger gets it. `npm pack` (which builds dist/), the tarball installed
// into a fresh Astro 5 site OUTSIDE this repository (os.tmpdir()), built, served, and used in Chromium. One install
// (better-sqlite3 compiles from source, ~2.5 min) serves every variant: they differ only in astro.config.mjs and pages,
// and the React packages that variant (b) uses are simply unused by the others.

const ENV = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', npm_config_fund: 'false', npm_config_audit: 'false' };
let work = '';
let site = '';
let browser: Browser;
let running: ChildProcess | undefined;

function sh(command: string, args: string[], cwd: string): string {
	return execFileSync(command, args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

function writeSite(config: string, pages: Record<string, string> = {}): void {
	rmSync(join(site, 'src'), { recursive: true, force: true });
	rmSync(join(site, 'dist'), { recursive: true, force: true });
	rmSync(join(site, 'data'), { recursive: true, force: true });
	mkdirSync(join(site, 'src/pages'), { recursive: true });
	writeFileSync(join(site, 'astro.config.mjs'), config);
	writeFileSync(
		join(site, 'src/pages/index.astro'),
		'<html lang="en"><head><meta charset="utf-8"><title>Home</title><link rel="icon" href="data:,"></head><body><h1>My own home page</h1></body></html>\n',
	);
	for (const [file, text] of Object.entries(pages)) {
		mkdirSync(join(site, file, '..'), { recursive: true });
		writeFileSync(join(site, file), text);
	}
}

/** Builds the site and serves it on a free port; `serve: 'node'` is Astro's documented `node dist/server/entry.mjs`. */
async function buildAndServe(how: 'node' | 'commerce'): Promise<string> {
	running?.kill();
	sh('npx', ['astro', 'build'], site);
	const port = await freePort();
	const args =
		how === 'node'
			? ['dist/server/entry.mjs']
			: ['node_modules/@frostbuy/commerce/bin/commerce.mjs', 'serve', '--port', String(port)];
	running = spawn(process.execPath, args, {
		cwd: site,
		env: { ...ENV, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	running.stdout?.on('data', (d) => (log += d));
	running.stderr?.on('data', (d) => (log += d));
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 100; i++) {
		if (
			await fetch(`${url}/`).then(
				(r) => r.ok,
				() => false,
			)
		)
			return url;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`the site did not start:\n${log}`);
}

/** Product page → add to cart → cart shows it → checkout with the test card → confirmation. */
async function buyOnInjectedPages(page: Page, url: string, base: string): Promise<void> {
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

const PRODUCTS = {
	'content/products/campus-mug.md':
		'---\ntitle: Campus Mug\ncategory: Kitchen\nimages: [{ src: /mug.svg, alt: A white mug }]\nvariants:\n  - { sku: MUG-1, prices: { usd: 12.50 }, stock: 10 }\n---\nA sturdy mug.\n',
	'content/products/logo-tee.md':
		'---\ntitle: Logo Tee\ncategory: Apparel\nimages: [{ src: /tee.svg, alt: A grey t-shirt }]\noptions: [{ title: Size, values: [S, M] }]\nvariants:\n  - { sku: TEE-S, options: { Size: S }, prices: { usd: 20 }, stock: 5 }\n  - { sku: TEE-M, options: { Size: M }, prices: { usd: 22 }, stock: 0 }\n---\nSoft cotton.\n',
	'public/mug.svg': '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>\n',
	'public/tee.svg': '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle cx="4" cy="4" r="4"/></svg>\n',
};

// Opt-in until it has run green on CI's machine: FROSTBUY_PACK_TEST=1 npx vitest run --project api tests/api/pack-and-install.test.ts
describe.skipIf(!process.env.FROSTBUY_PACK_TEST)(
	'the packed plugin installed into a fresh Astro 5 site outside the repository',
	() => {
		beforeAll(async () => {
			work = mkdtempSync(join(tmpdir(), 'frostbuy-pack-'));
			site = join(work, 'site');
			const packed = join(work, 'pack');
			mkdirSync(packed);
			// npm test built dist/ first (scripts/test.mjs); --ignore-scripts keeps prepack from rebuilding it under running servers.
			sh('npm', ['pack', '--ignore-scripts', '--pack-destination', packed], join(repoRoot, 'plugins/commerce'));
			const tarball = join(packed, readdirSync(packed).find((f) => f.endsWith('.tgz')) ?? 'missing.tgz');
			mkdirSync(site);
			for (const [file, text] of Object.entries(PRODUCTS)) {
				mkdirSync(join(site, file, '..'), { recursive: true });
				writeFileSync(join(site, file), text);
			}
			writeFileSync(
				join(site, 'package.json'),
				JSON.stringify({
					name: 'stranger-site',
					private: true,
					type: 'module',
					dependencies: {
						astro: '^5.18.0',
						'@frostbuy/commerce': `file:${tarball}`,
						'@astrojs/react': '^4.4.0',
						react: '^19.0.0',
						'react-dom': '^19.0.0',
					},
				}),
			);
			// Peers (@astrojs/node@^9, @astrojs/preact@^4, preact) come with the plugin, as npm installs peer dependencies.
			sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], site);
			browser = await launchBrowser();
		}, 900_000);

		afterAll(async () => {
			running?.kill();
			await browser?.close();
			if (work) rmSync(work, { recursive: true, force: true });
		});

		it('ships compiled JavaScript with declared types and no TypeScript sources', () => {
			const pkg = JSON.parse(readFileSync(join(site, 'node_modules/@frostbuy/commerce/package.json'), 'utf8'));
			expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
			const dist = join(site, 'node_modules/@frostbuy/commerce/dist');
			expect(readdirSync(join(dist, 'components'))).toEqual(expect.arrayContaining(['AddToCart.js', 'AddToCart.d.ts']));
			expect(readdirSync(join(site, 'node_modules/@frostbuy/commerce'))).not.toContain('src');
			expect(readFileSync(join(dist, 'components/AddToCart.js'), 'utf8')).toContain('preact/jsx-runtime');
			expect(readdirSync(join(site, 'node_modules/@frostbuy/commerce'))).toEqual(
				expect.arrayContaining(['LICENSE', 'README.md']),
			);
		});

		it('only commerce({ databasePath }): builds, serves with node dist/server/entry.mjs, sells in Chromium, CLI uses the same database', async () => {
			writeSite(
				"import commerce from '@frostbuy/commerce';\nimport { defineConfig } from 'astro/config';\n\nexport default defineConfig({ integrations: [commerce({ databasePath: 'data/shop.sqlite' })] });\n",
			);
			const url = await buildAndServe('node');
			const home = await fetch(`${url}/`);
			expect(await home.text()).toContain('My own home page');
			for (const path of [
				'/products/',
				'/products/campus-mug/',
				'/cart/',
				'/checkout/',
				'/order/lookup/',
				'/account/login/',
			])
				expect((await fetch(`${url}${path}`)).status, path).toBe(200);
			const page = await browser.newPage();
			const problems = watchForErrors(page);
			await buyOnInjectedPages(page, url, '/');
			expect(problems).toEqual([]);
			await page.close();

			sh('sh', ['-c', "printf 'a-long-password-1' | npx commerce admin:create --email owner@example.com"], site);
			const db = new Database(join(site, 'data/shop.sqlite'), { readonly: true });
			try {
				const row = db.prepare("select role from customers where email = 'owner@example.com'").get() as {
					role: string;
				};
				expect(row.role).toBe('admin');
			} finally {
				db.close();
			}
		});

		it("(a) Preact-only site with base '/shop' served by commerce serve: links, API and headers follow the base", async () => {
			writeSite(
				"import node from '@astrojs/node';\nimport preact from '@astrojs/preact';\nimport commerce from '@frostbuy/commerce';\nimport { defineConfig } from 'astro/config';\n\nexport default defineConfig({ base: '/shop', adapter: node({ mode: 'standalone' }), integrations: [preact(), commerce({ storeName: 'Corner Shop' })] });\n",
			);
			const url = await buildAndServe('commerce');
			const product = await fetch(`${url}/shop/products/campus-mug/`);
			expect(product.status).toBe(200);
			expect(product.headers.get('x-frame-options')).toBe('DENY');
			const html = await product.text();
			expect(html).toContain('href="/shop/cart/"');
			expect(html).toContain('/shop/store');
			const own = await fetch(`${url}/shop/`);
			expect(own.headers.get('x-frame-options')).toBe('SAMEORIGIN');
			expect((await fetch(`${url}/shop/store/health`)).status).toBe(200);
			expect(await (await fetch(`${url}/shop/admin/login`)).text()).toContain('Corner Shop admin');
			const page = await browser.newPage();
			const problems = watchForErrors(page);
			await buyOnInjectedPages(page, url, '/shop/');
			expect(problems).toEqual([]);
			await page.close();
		});

		it('(b) React site with its own React island and no include/exclude patterns', async () => {
			writeSite(
				"import react from '@astrojs/react';\nimport commerce from '@frostbuy/commerce';\nimport { defineConfig } from 'astro/config';\n\nexport default defineConfig({ integrations: [react(), commerce()] });\n",
				{
					'src/components/Counter.jsx':
						'import { useState } from \'react\';\nexport default function Counter() {\n\tconst [n, setN] = useState(0);\n\treturn <button type="button" onClick={() => setN(n + 1)}>Clicked {n}</button>;\n}\n',
					'src/pages/react.astro':
						'---\nimport Counter from \'../components/Counter.jsx\';\n---\n<html lang="en"><head><meta charset="utf-8"><title>React</title><link rel="icon" href="data:,"></head><body><Counter client:load /></body></html>\n',
				},
			);
			const url = await buildAndServe('node');
			const page = await browser.newPage();
			const problems = watchForErrors(page);
			await page.goto(`${url}/react/`);
			await page.getByRole('button', { name: 'Clicked 0' }).click();
			await page.getByRole('button', { name: 'Clicked 1' }).waitFor();
			await buyOnInjectedPages(page, url, '/');
			expect(problems).toEqual([]);
			await page.close();
		});
	},
);

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, watchForErrors } from '../helpers/browser.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import {
	ASTRO5_LATEST,
	ASTRO5_OLDEST,
	buildStrangerSite,
	buyOnInjectedPages,
	CATALOG_API_FILES,
	createStrangerSite,
	installPackages,
	packPlugin,
	runCommerceCli,
	type ServedSite,
	type StrangerSite,
	serverChunksWithCatalog,
	serveStrangerSite,
	writeSite,
} from '../helpers/stranger-site.ts';

// The installability proof: the plugin as a stranger gets it. `npm pack`, the tarball installed with the README's
// install line into a fresh Astro 5 site OUTSIDE this repository (os.tmpdir()), built, served and used in Chromium.
// One install (better-sqlite3 compiles from source, minutes on a loaded machine) serves every variant: they differ in
// astro.config.mjs and pages only, and the oldest-Astro variant moves that same install down to the oldest versions.

const ONLY_DATABASE_PATH =
	"import commerce from '@frostbuy/commerce';\nimport { defineConfig } from 'astro/config';\n\nexport default defineConfig({ integrations: [commerce({ databasePath: 'data/shop.sqlite' })] });\n";

let work = '';
let site: StrangerSite;
let browser: Browser;
let served: ServedSite | undefined;

async function buildAndServe(how: 'node' | 'commerce'): Promise<string> {
	const build = await buildStrangerSite(site);
	expect(build.code, build.output).toBe(0);
	served = await serveStrangerSite(site, how);
	return served.url;
}

describe('the packed plugin installed into a fresh Astro 5 site outside the repository', () => {
	beforeAll(async () => {
		work = mkdtempSync(join(tmpdir(), 'frostbuy-pack-'));
		const tarball = await packPlugin(join(work, 'pack'));
		site = await createStrangerSite({
			root: join(work, 'site'),
			tarball,
			versions: ASTRO5_LATEST,
			extraDependencies: { '@astrojs/react': '^4', react: '^19', 'react-dom': '^19' },
		});
		browser = await launchBrowser();
	}, 1_200_000);

	afterEach(async () => {
		await served?.stop();
		served = undefined;
	});

	afterAll(async () => {
		await served?.stop();
		await browser?.close();
		if (work) rmSync(work, { recursive: true, force: true });
	});

	it('ships compiled JavaScript with declared types and no TypeScript sources', () => {
		const installed = join(site.root, 'node_modules/@frostbuy/commerce');
		const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
		expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
		expect(readdirSync(join(installed, 'dist/components'))).toEqual(
			expect.arrayContaining(['AddToCart.js', 'AddToCart.d.ts']),
		);
		expect(readdirSync(installed)).not.toContain('src');
		expect(readFileSync(join(installed, 'dist/components/AddToCart.js'), 'utf8')).toContain('preact/jsx-runtime');
		expect(readdirSync(installed)).toEqual(expect.arrayContaining(['LICENSE', 'README.md']));
		// The peers came from the README's install line, not from this repository's node_modules.
		for (const peer of ['astro', '@astrojs/node', '@astrojs/preact', 'preact'])
			expect(readdirSync(join(site.root, 'node_modules', ...peer.split('/'), '..'))).toContain(peer.split('/').pop());
	});

	it('(a) only commerce({ databasePath }) and two product files: node dist/server/entry.mjs serves the shop, Chromium buys, the CLI uses the same database', async () => {
		writeSite(site, ONLY_DATABASE_PATH, CATALOG_API_FILES);
		const url = await buildAndServe('node');
		expect(await (await fetch(`${url}/`)).text()).toContain('My own home page');
		// The site's own pages read the catalog through @frostbuy/commerce/catalog, prerendered and per request, and no
		// server chunk holds the catalog as a literal.
		const own = await (await fetch(`${url}/our-catalog/`)).text();
		expect(own).toContain('<li>Campus Mug: 1250</li>');
		expect(own).toContain('Soft cotton.');
		expect(await (await fetch(`${url}/live-categories`)).text()).toContain('<li>Apparel (1)</li>');
		expect(serverChunksWithCatalog(site)).toEqual([]);
		for (const path of [
			'/products/',
			'/products/campus-mug/',
			'/products/logo-tee/',
			'/categories/kitchen/',
			'/cart/',
			'/checkout/',
			'/order/lookup/',
			'/account/login/',
		])
			expect((await fetch(`${url}${path}`)).status, path).toBe(200);
		const health = await fetch(`${url}/store/health`);
		expect(await health.json()).toMatchObject({
			status: 'ok',
			database: { status: 'ok', pending: 0 },
			catalog: { products: 2, variants: 3 },
		});
		expect(health.headers.get('x-frame-options')).toBe('DENY');
		const page = await browser.newPage();
		const problems = watchForErrors(page);
		await buyOnInjectedPages(page, url, '/');
		expect(problems).toEqual([]);
		await page.close();

		const created = await runCommerceCli(site, ['admin:create', '--email', 'owner@example.com'], 'a-long-password-1');
		expect(created.code, created.output).toBe(0);
		const db = new Database(join(site.root, 'data/shop.sqlite'), { readonly: true });
		try {
			const admin = db.prepare("select role from customer where email = 'owner@example.com'").get() as {
				role: string;
			};
			expect(admin.role).toBe('admin');
			expect(db.prepare('select count(*) as n from orders').get()).toEqual({ n: 1 });
		} finally {
			db.close();
		}
	});

	it('(a) a malformed product file fails the build naming the file and the field', async () => {
		writeSite(site, ONLY_DATABASE_PATH, {
			'content/products/bad-mug.md':
				'---\ntitle: Bad Mug\ncategory: Kitchen\nimages: [{ src: /mug.svg, alt: A mug }]\nvariants:\n  - { sku: BAD-1, prices: { usd: 12.505 }, stock: 1 }\n---\nToo precise.\n',
		});
		const build = await buildStrangerSite(site);
		expect(build.code).not.toBe(0);
		expect(build.output).toContain('content/products/bad-mug.md');
		expect(build.output).toContain('variants.0.prices.usd');
		expect(build.output).toContain('more decimals than USD allows (2)');
	});

	it("base '/shop' served by commerce serve: links, API and headers follow the base; TRACE is a 405", async () => {
		writeSite(
			site,
			"import node from '@astrojs/node';\nimport preact from '@astrojs/preact';\nimport commerce from '@frostbuy/commerce';\nimport { defineConfig } from 'astro/config';\n\nexport default defineConfig({ base: '/shop', adapter: node({ mode: 'standalone' }), integrations: [preact(), commerce({ storeName: 'Corner Shop' })] });\n",
		);
		const url = await buildAndServe('commerce');
		const product = await fetch(`${url}/shop/products/campus-mug/`);
		expect(product.status).toBe(200);
		expect(product.headers.get('x-frame-options')).toBe('DENY');
		const html = await product.text();
		expect(html).toContain('href="/shop/cart/"');
		expect(html).toContain('/shop/store');
		// The site's own page gets the relaxed policy (its third-party content keeps working).
		const own = await fetch(`${url}/shop/`);
		expect(own.headers.get('x-frame-options')).toBe('SAMEORIGIN');
		expect(own.headers.get('content-security-policy') ?? '').not.toContain('default-src');
		expect((await fetch(`${url}/shop/store/health`)).status).toBe(200);
		const trace = await rawRequest(url, 'TRACE', '/shop/store/health');
		expect(trace.status).toBe(405);
		expect(trace.headers.allow).toBeTruthy();
		expect(await (await fetch(`${url}/shop/admin/login`)).text()).toContain('Corner Shop admin');
		const page = await browser.newPage();
		const problems = watchForErrors(page);
		await buyOnInjectedPages(page, url, '/shop/');
		expect(problems).toEqual([]);
		await page.close();
	});

	it('(b) React site with its own React island and no include/exclude patterns', async () => {
		writeSite(
			site,
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

	// Last: it moves the shared install down to the oldest versions the peer ranges admit.
	it(`(c) the oldest Astro 5 the peer range allows (astro ${ASTRO5_OLDEST.astro}, @astrojs/node ${ASTRO5_OLDEST.adapter}, @astrojs/preact ${ASTRO5_OLDEST.preactIntegration})`, async () => {
		await installPackages(site, {
			astro: ASTRO5_OLDEST.astro,
			'@astrojs/node': ASTRO5_OLDEST.adapter,
			'@astrojs/preact': ASTRO5_OLDEST.preactIntegration,
			preact: ASTRO5_OLDEST.preact,
		});
		const astro = JSON.parse(readFileSync(join(site.root, 'node_modules/astro/package.json'), 'utf8'));
		expect(astro.version).toBe(ASTRO5_OLDEST.astro);
		writeSite(site, ONLY_DATABASE_PATH);
		const url = await buildAndServe('node');
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
	});
});

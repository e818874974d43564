import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFromDirectory } from '../../plugins/commerce/src/content/load-catalog.ts';
import { migrations } from '../../plugins/commerce/src/db/migrations/index.ts';
import { repoRoot, startServer, type TestServer } from '../helpers/server.ts';

// The demo store as `npm start` serves it: built by `npm test` beforehand, served by `commerce serve`.
const REQUIRED_HEADERS = {
	'x-frame-options': 'DENY',
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
};

let server: TestServer;

beforeAll(async () => {
	if (!existsSync(join(repoRoot, 'dist/server/entry.mjs'))) throw new Error('Run `astro build` first (npm test does).');
	server = await startServer();
});
afterAll(() => server?.stop());

function expectSecurityHeaders(response: Response, path: string): void {
	for (const [name, value] of Object.entries(REQUIRED_HEADERS)) {
		expect(response.headers.get(name), `${name} on ${path}`).toBe(value);
	}
	expect(response.headers.get('permissions-policy'), path).toContain('camera=()');
	const csp = response.headers.get('content-security-policy') ?? '';
	expect(csp, path).toContain("frame-ancestors 'none'");
	expect(csp, path).toContain("object-src 'none'");
	// Plain http: no HSTS, which would pin a host that cannot do https.
	expect(response.headers.get('strict-transport-security'), path).toBeNull();
}

describe('the built FrostBuy store', () => {
	it('serves a page for every product file, with its title and price', async () => {
		const products = loadCatalogFromDirectory(join(repoRoot, 'content/products'), repoRoot);
		expect(products.length).toBeGreaterThanOrEqual(8);
		for (const product of products) {
			const response = await fetch(`${server.url}/products/${product.handle}/`);
			expect(response.status, product.handle).toBe(200);
			const html = await response.text();
			expect(html).toContain(product.title.replace(/&/g, '&amp;'));
			const cheapest = Math.min(...product.variants.map((v) => v.prices.usd));
			expect(html).toContain(`$${(cheapest / 100).toFixed(2)}`);
		}
	});

	it('serves the home page and every category page', async () => {
		const home = await fetch(`${server.url}/`);
		expect(home.status).toBe(200);
		const html = await home.text();
		const categories = [...new Set([...html.matchAll(/href="\/categories\/([a-z0-9-]+)\/?"/g)].map((m) => m[1]))];
		expect(categories.length).toBeGreaterThanOrEqual(3);
		for (const category of categories)
			expect((await fetch(`${server.url}/categories/${category}/`)).status, category).toBe(200);
	});

	it("renders descriptions through Astro's Markdown pipeline and the categories on an on-demand page", async () => {
		// Paragraphs with smart punctuation (card's → card’s): Astro's processor, not a plain paragraph split.
		const product = loadCatalogFromDirectory(join(repoRoot, 'content/products'), repoRoot).find(
			(p) => p.active && /\w'\w/.test(p.description),
		);
		expect(product, 'a demo product whose description has an apostrophe').toBeDefined();
		const html = await (await fetch(`${server.url}/products/${product?.handle}/`)).text();
		const word = /\w+'\w+/.exec(product?.description ?? '')?.[0] ?? '';
		expect(html).toContain(word.replace("'", '\u2019'));
		expect(html).toMatch(/class="product__description prose">[\s\S]*?<p>/);
		// The account pages are rendered per request: their header lists the categories from the server's catalog file.
		const login = await (await fetch(`${server.url}/account/login`)).text();
		expect(login).toContain(`href="/categories/${product?.categoryHandle}"`);
	});

	it('bundles no copy of the catalog: no demo module imports astro:content, no server chunk holds a product file', () => {
		// Issue 11: the content layer's store as a module (`_astro_data-layer-content_*.mjs`, the whole catalog as an
		// object literal) made Rollup's memory grow with the catalog (3.9 GB at 10,000 products). The catalog reaches
		// pages and server as `commerce-catalog.json`; any chunk holding a description sentence is a literal again.
		const sources = [...readdirSync(join(repoRoot, 'src'), { recursive: true, encoding: 'utf8' })].filter((f) =>
			/\.(astro|ts|tsx|mjs|js)$/.test(f),
		);
		for (const file of sources)
			expect(readFileSync(join(repoRoot, 'src', file), 'utf8'), file).not.toMatch(/from\s+['"]astro:content['"]/);
		const server = join(repoRoot, 'dist/server');
		expect(existsSync(join(server, 'commerce-catalog.json'))).toBe(true);
		const chunks = [...readdirSync(server, { recursive: true, encoding: 'utf8' })].filter((f) => f.endsWith('.mjs'));
		expect(chunks.filter((f) => f.includes('data-layer-content'))).toEqual([]);
		const sentences = loadCatalogFromDirectory(join(repoRoot, 'content/products'), repoRoot).map(
			(p) => p.description.split('\n')[0]?.slice(0, 60) ?? '',
		);
		for (const chunk of chunks) {
			const code = readFileSync(join(server, chunk), 'utf8');
			for (const sentence of sentences) expect(code.includes(sentence), `${chunk} holds "${sentence}"`).toBe(false);
		}
	});

	it('answers /store/health with database status, migration version and catalog counts', async () => {
		const response = await fetch(`${server.url}/store/health`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('application/json');
		const body = await response.json();
		expect(body.status).toBe('ok');
		const names = Object.keys(migrations).sort();
		expect(body.database).toMatchObject({
			status: 'ok',
			dialect: 'sqlite',
			migration: names.at(-1),
			applied: names.length,
			pending: 0,
		});
		const products = loadCatalogFromDirectory(join(repoRoot, 'content/products'), repoRoot);
		expect(body.catalog.active_products).toBe(products.length);
		expect(body.catalog.variants).toBe(products.reduce((n, p) => n + p.variants.length, 0));
		expect(body.catalog.categories).toBe(new Set(products.map((p) => p.categoryHandle)).size);
		expect(JSON.stringify(body)).not.toContain(server.databasePath);
	});

	it('refuses other methods on the health route with a JSON error body', async () => {
		const response = await fetch(`${server.url}/store/health`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(response.status).toBeGreaterThanOrEqual(400);
		expect(response.status).toBeLessThan(500);
	});

	it('puts the security headers on prerendered pages, assets, the API, errors and redirects', async () => {
		const asset = readdirSync(join(repoRoot, 'dist/client/_astro')).find(
			(f) => f.endsWith('.css') || f.endsWith('.js'),
		);
		expect(asset).toBeDefined();
		const paths = [
			'/',
			'/products/classic-hoodie/',
			`/_astro/${asset}`,
			'/favicon.ico',
			'/store/health',
			'/no-such-page',
			'/products/classic-hoodie',
		];
		for (const path of paths) {
			const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
			expect(response.status, path).toBeLessThan(500);
			expectSecurityHeaders(response, path);
		}
		const missing = await fetch(`${server.url}/no-such-page`);
		expect(missing.status).toBe(404);
		expect(await missing.text()).toContain('</html>');
	});

	it('sends HSTS when the request arrived over https at a proxy', async () => {
		const response = await fetch(`${server.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
		expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
	});

	it('synced the catalog into its own SQLite file with opening stock', async () => {
		const { default: SQLite } = await import('better-sqlite3');
		const db = new SQLite(server.databasePath, { readonly: true });
		try {
			const stock = db.prepare('select sum(stocked_quantity) as total from inventory_level').get() as { total: number };
			const ledger = db
				.prepare("select sum(delta) as total from inventory_ledger where reason = 'sync_initial'")
				.get() as { total: number };
			const products = loadCatalogFromDirectory(join(repoRoot, 'content/products'), repoRoot);
			const expected = products.flatMap((p) => p.variants).reduce((n, v) => n + v.stock, 0);
			expect(stock.total).toBe(expected);
			expect(ledger.total).toBe(expected);
		} finally {
			db.close();
		}
	});
});

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
	builtCatalogModule,
	CATALOG_FILE,
	clientCatalogModule,
	devCatalogModule,
} from '../../plugins/commerce/src/catalog/catalog-module.ts';
import { repoRoot } from '../helpers/server.ts';

// The catalog module (`virtual:frostbuy-commerce/catalog`) is generated source: these tests write it to disk as the
// build would and import it, so what runs is exactly what Vite bundles.

interface CatalogModule {
	live: boolean;
	getCatalog: () => { handle: string; title: string }[];
	loadCatalog: () => { handle: string; title: string }[];
	loadEmailImages: () => Record<string, string>;
}

const dirs: string[] = [];
// Inside the repository (tests/output, ignored by git): Vite, which runs these imports, serves no files outside it.
const tempDir = () => {
	mkdirSync(join(repoRoot, 'tests/output'), { recursive: true });
	const dir = mkdtempSync(join(repoRoot, 'tests/output/catalog-module-'));
	dirs.push(dir);
	return dir;
};
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let imports = 0;
async function importSource(dir: string, source: string): Promise<CatalogModule> {
	const file = join(dir, `catalog-${imports++}.mjs`);
	writeFileSync(file, source);
	return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as CatalogModule;
}

const product = (title: string) => `---
title: ${title}
category: Apparel
images:
  - src: /images/products/classic-hoodie.svg
    alt: A hoodie
variants:
  - sku: HOOD-1
    prices: { usd: 10 }
---
Warm.
`;

describe('the catalog module of a server build', () => {
	it('reads the catalog file beside its chunks once, keeps it for pages, and holds no literal of it', async () => {
		const server = tempDir();
		mkdirSync(join(server, 'chunks'));
		writeFileSync(join(server, CATALOG_FILE), JSON.stringify([{ handle: 'a', title: 'Beside' }]));
		const source = builtCatalogModule(join(tempDir(), 'missing.json'));
		expect(source).not.toContain('Beside');
		const module = await importSource(join(server, 'chunks'), source);
		expect(module.live).toBe(false);
		// The start-up sync reads without keeping: two reads, two arrays.
		expect(module.loadCatalog()).not.toBe(module.loadCatalog());
		const kept = module.getCatalog();
		expect(kept[0]?.title).toBe('Beside');
		expect(module.getCatalog()).toBe(kept);
		// Once a page read it, the sync reuses it instead of parsing the file again.
		expect(module.loadCatalog()).toBe(kept);
		expect(module.loadEmailImages()).toEqual({});
	});

	it("falls back to the build's own copy when prerendering runs outside the server folder", async () => {
		const buildFile = join(tempDir(), CATALOG_FILE);
		writeFileSync(buildFile, JSON.stringify([{ handle: 'b', title: 'Build copy' }]));
		const module = await importSource(tempDir(), builtCatalogModule(buildFile));
		expect(module.getCatalog()[0]?.title).toBe('Build copy');
	});

	it('refuses to run in a browser bundle, naming the fix', async () => {
		const module = await importSource(tempDir(), clientCatalogModule());
		expect(() => module.getCatalog()).toThrow(/server only.*props/);
	});
});

describe('the catalog module under astro dev', () => {
	it('reads the product files again after one changed, and only then', async () => {
		const root = tempDir();
		const products = join(root, 'content/products');
		mkdirSync(products, { recursive: true });
		const file = join(products, 'hoodie.md');
		writeFileSync(file, product('First title'));
		const loader = join(repoRoot, 'plugins/commerce/src/content/load-catalog.ts');
		const module = await importSource(root, devCatalogModule(products, root, loader));
		expect(module.live).toBe(true);
		const first = module.getCatalog();
		expect(first.map((p) => [p.handle, p.title])).toEqual([['hoodie', 'First title']]);
		expect(module.getCatalog()).toBe(first);
		writeFileSync(file, product('Edited title'));
		const later = new Date(Date.now() + 5_000);
		utimesSync(file, later, later);
		expect(module.getCatalog()[0]?.title).toBe('Edited title');
	});
});

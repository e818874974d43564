import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogFromDirectory } from '../../plugins/commerce/src/content/load-catalog.ts';
import { ProductFileError, parseProductFile } from '../../plugins/commerce/src/content/parse-product-file.ts';
import { repoRoot } from '../helpers/server.ts';

const valid = `---
title: Frostburg Classic Hoodie
category: Back to Campus
tags: [hoodie]
images:
  - src: /images/products/classic-hoodie.svg
    alt: Navy hoodie
options:
  - title: Size
    values: [S, M]
variants:
  - sku: FB-HOOD-S
    options: { Size: S }
    prices: { usd: 39.99, eur: 36.99 }
    stock: 3
  - sku: FB-HOOD-M
    options: { Size: M }
    prices: { usd: '0.29' }
---
Warm **hoodie**.
`;

function errorOf(file: string, text: string): ProductFileError {
	try {
		parseProductFile(file, text);
	} catch (error) {
		if (error instanceof ProductFileError) return error;
		throw error;
	}
	throw new Error('expected the file to be refused');
}

describe('parseProductFile', () => {
	it('validates a product and converts prices exactly to minor units', () => {
		const product = parseProductFile('content/products/classic-hoodie.md', valid);
		expect(product.handle).toBe('classic-hoodie');
		expect(product.categoryHandle).toBe('back-to-campus');
		expect(product.variants[0].prices).toEqual({ usd: 3999, eur: 3699 });
		expect(product.variants[1].prices).toEqual({ usd: 29 });
		expect(product.variants[1].stock).toBe(0);
		expect(product.variants.map((v) => v.title)).toEqual(['S', 'M']);
		expect(product.active).toBe(true);
		expect(product.featured).toBe(false);
		expect(product.description).toBe('Warm **hoodie**.');
	});

	it('keeps a variant image that is one of the product images (the gallery shows it for that variant)', () => {
		const text = valid.replace('    stock: 3\n', '    stock: 3\n    image: /images/products/classic-hoodie.svg\n');
		const product = parseProductFile('content/products/classic-hoodie.md', text);
		expect(product.variants[0].image).toBe('/images/products/classic-hoodie.svg');
		expect(product.variants[1].image).toBeUndefined();
	});

	it.each([
		[
			'a price with too many decimals',
			valid.replace('usd: 39.99', 'usd: 39.999'),
			'variants.0.prices.usd',
			'more decimals than USD allows',
		],
		[
			'an option value that is not declared',
			valid.replace('{ Size: M }', '{ Size: XXL }'),
			'variants.1.options.Size',
			'"XXL" is not one of S, M',
		],
		[
			'a missing option value',
			valid.replace('options: { Size: M }', 'options: {}'),
			'variants.1.options.Size',
			'missing a value',
		],
		['a duplicate sku', valid.replace('FB-HOOD-M', 'FB-HOOD-S'), 'variants.1.sku', 'duplicate sku'],
		['a negative stock', valid.replace('stock: 3', 'stock: -1'), 'variants.0.stock', 'greater than or equal to 0'],
		['a missing title', valid.replace('title: Frostburg Classic Hoodie\n', ''), 'title', 'Required'],
		[
			'an unknown field',
			valid.replace('tags: [hoodie]', 'tags: [hoodie]\ncolour: navy'),
			'(root)',
			"Unrecognized key(s) in object: 'colour'",
		],
		['no images', valid.replace(/images:\n(.*\n){2}/, 'images: []\n'), 'images', 'add at least one image'],
		['an image without alt text', valid.replace('    alt: Navy hoodie\n', ''), 'images.0.alt', 'Required'],
		['an uppercase currency', valid.replace('eur: 36.99', 'EUR: 36.99'), 'variants.0.prices.EUR', 'lowercase'],
		[
			'a variant image that is not one of the images',
			valid.replace('    stock: 3\n', '    stock: 3\n    image: /images/products/elsewhere.svg\n'),
			'variants.0.image',
			"is not one of the product's images",
		],
	])('refuses %s, naming the file and the field', (_label, text, field, message) => {
		const error = errorOf('content/products/classic-hoodie.md', text);
		expect(error.message).toContain('content/products/classic-hoodie.md');
		expect(error.details).toContain(field);
		expect(error.details).toContain(message);
	});

	it('refuses files without frontmatter, with broken YAML, or with a name that cannot be a URL', () => {
		expect(errorOf('content/products/mug.md', 'just text').details).toContain('(frontmatter)');
		expect(errorOf('content/products/mug.md', '---\ntitle: [unclosed\n---\n').details).toContain('not valid YAML');
		expect(errorOf('content/products/Big Mug.md', valid).details).toContain('kebab-case');
	});
});

describe('loadCatalogFromDirectory', () => {
	it('treats a missing directory as an empty catalog', () => {
		expect(loadCatalogFromDirectory(join(tmpdir(), 'does-not-exist-frostbuy'))).toEqual([]);
	});

	it('refuses a SKU used by two files, naming both', () => {
		const dir = mkdtempSync(join(tmpdir(), 'frostbuy-catalog-'));
		writeFileSync(join(dir, 'hoodie-a.md'), valid);
		writeFileSync(join(dir, 'hoodie-b.md'), valid);
		expect(() => loadCatalogFromDirectory(dir)).toThrow(/SKU FB-HOOD-S is used by both hoodie-a and hoodie-b/);
	});

	it('accepts the FrostBuy catalog: at least 8 products, 3 categories, 2 with sizes, unique SKUs', () => {
		const catalog = loadCatalogFromDirectory(join(repoRoot, 'content/products'), repoRoot);
		expect(catalog.length).toBeGreaterThanOrEqual(8);
		expect(new Set(catalog.map((p) => p.categoryHandle)).size).toBeGreaterThanOrEqual(3);
		expect(catalog.filter((p) => p.options.some((o) => o.title === 'Size')).length).toBeGreaterThanOrEqual(2);
		for (const product of catalog) {
			for (const variant of product.variants) expect(Number.isInteger(variant.prices.usd)).toBe(true);
		}
	});
});

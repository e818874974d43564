import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseProductFile } from './parse-product-file.ts';
import type { CatalogProduct } from './product-schema.ts';

/**
 * Reads every product file of a directory. A missing directory is an empty catalog (a fresh site), a bad file throws
 * a ProductFileError naming it; a SKU used by two files is an error too because stock is keyed by SKU.
 */
export function loadCatalogFromDirectory(dir: string, root = process.cwd()): CatalogProduct[] {
	if (!existsSync(dir)) return [];
	const files = readdirSync(dir)
		.filter((name) => /\.(md|markdown)$/i.test(name))
		.sort();
	const products = files.map((name) =>
		parseProductFile(relative(root, join(dir, name)) || name, readFileSync(join(dir, name), 'utf8')),
	);
	const owners = new Map<string, string>();
	for (const product of products) {
		for (const variant of product.variants) {
			const owner = owners.get(variant.sku);
			if (owner)
				throw new Error(
					`SKU ${variant.sku} is used by both ${owner} and ${product.handle}: SKUs must be unique across the catalog`,
				);
			owners.set(variant.sku, product.handle);
		}
	}
	return products;
}

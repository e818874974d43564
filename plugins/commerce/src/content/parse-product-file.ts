import { parse as parseYaml } from 'yaml';
import { type CatalogProduct, formatIssues, productSchema } from './product-schema.ts';

/** A product file that cannot be used; the message names the file and each wrong field. */
export class ProductFileError extends Error {
	constructor(
		readonly file: string,
		readonly details: string,
	) {
		super(`Product file ${file} is invalid:\n${details}`);
		this.name = 'ProductFileError';
	}
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

/**
 * Parses one `content/products/<handle>.md` file with the same schema Astro's content collection uses, so the
 * runtime catalog and the prerendered pages can never disagree about what a file means.
 */
export function parseProductFile(file: string, text: string): CatalogProduct {
	const handle = (file.split(/[\\/]/).pop() ?? file).replace(/\.(md|mdx|markdown)$/i, '');
	if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(handle)) {
		throw new ProductFileError(
			file,
			'  (file name)  name the file in kebab-case, e.g. classic-hoodie.md: it becomes the URL',
		);
	}
	const match = FRONTMATTER.exec(text.replace(/^\uFEFF/, ''));
	if (!match)
		throw new ProductFileError(
			file,
			'  (frontmatter)  start the file with a --- YAML block --- (see the product file format)',
		);
	let raw: unknown;
	try {
		raw = parseYaml(match[1]);
	} catch (error) {
		throw new ProductFileError(file, `  (frontmatter)  not valid YAML: ${(error as Error).message.split('\n')[0]}`);
	}
	const result = productSchema.safeParse(raw ?? {});
	if (!result.success) throw new ProductFileError(file, formatIssues(result.error));
	return { ...result.data, handle, description: match[2].trim() };
}

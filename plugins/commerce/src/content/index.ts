import { glob } from 'astro/loaders';

export { ProductFileError, parseProductFile } from './parse-product-file.ts';
export {
	type CatalogProduct,
	formatIssues,
	type ProductData,
	type ProductInput,
	productSchema,
} from './product-schema.ts';

/**
 * The content-layer loader for product files, for `src/content.config.ts`:
 * `defineCollection({ loader: productsLoader(), schema: productSchema })`.
 * @param base directory of the product files, relative to the project root. @default 'content/products'
 */
export function productsLoader(base = 'content/products') {
	return glob({ pattern: '**/*.{md,markdown}', base });
}

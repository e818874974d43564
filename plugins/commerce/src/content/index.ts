import { glob } from 'astro/loaders';
import type { z } from 'astro/zod';
import { toAstroSchema } from '../astro-compat.ts';
import { type ProductData, productSchema as productFileSchema } from './product-schema.ts';

export { ProductFileError, parseProductFile } from './parse-product-file.ts';
export { type CatalogProduct, formatIssues, type ProductData, type ProductInput } from './product-schema.ts';

/**
 * The product file schema for a content collection, made with the site's own `astro/zod` (zod 3 on Astro 5, zod 4 on
 * 6 and 7) so every major parses it and writes its JSON schema; the rules are the plugin's (`product-schema.ts`).
 */
export const productSchema: z.ZodType<ProductData> = toAstroSchema(productFileSchema);

/**
 * The content-layer loader for product files, for `src/content.config.ts`:
 * `defineCollection({ loader: productsLoader(), schema: productSchema })`.
 * @param base directory of the product files, relative to the project root. @default 'content/products'
 */
export function productsLoader(base = 'content/products') {
	return glob({ pattern: '**/*.{md,markdown}', base });
}

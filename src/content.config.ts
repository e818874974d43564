import { defineCollection } from 'astro:content';
import { productSchema, productsLoader } from '@frostbuy/commerce/content';

// The plugin owns the product file format; the site only says where the files are.
export const collections = {
	products: defineCollection({ loader: productsLoader('content/products'), schema: productSchema }),
};

import { z } from 'zod';
import { toMinorUnits } from '../core/money.ts';
import { slugify } from '../core/slug.ts';

const currencyCode = z.string().regex(/^[a-z]{3}$/, 'write currency codes as three lowercase letters, e.g. usd');

/** `{ usd: 14.99 }` as the merchant writes it → `{ usd: 1499 }`, exactly, or a field error naming the currency. */
const prices = z
	.record(currencyCode, z.union([z.number(), z.string()]))
	.transform((input, ctx) => {
		const out: Record<string, number> = {};
		for (const [currency, value] of Object.entries(input)) {
			const converted = toMinorUnits(value, currency);
			if (converted.ok) out[currency] = converted.amount;
			else ctx.addIssue({ code: z.ZodIssueCode.custom, path: [currency], message: converted.reason });
		}
		return out;
	})
	.refine((value) => Object.keys(value).length > 0, 'give at least one price, e.g. { usd: 14.99 }');

const variant = z.object({
	sku: z
		.string()
		.trim()
		.min(1)
		.max(64)
		.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-" only'),
	title: z.string().trim().min(1).max(120).optional(),
	options: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
	prices,
	stock: z.number().int('stock must be a whole number').min(0).max(1_000_000).default(0),
	/** The picture of this variant (a colour): one of the product's `images[].src`; the gallery shows it when chosen. */
	image: z.string().min(1).optional(),
});

const image = z.object({
	src: z.string().min(1),
	alt: z.string().trim().min(1, 'describe the image for screen readers'),
});

const option = z.object({
	title: z.string().trim().min(1).max(60),
	values: z.array(z.union([z.string(), z.number()]).transform(String)).min(1),
});

/**
 * Frontmatter of a product content file (`content/products/<handle>.md`). Prices are written as decimals and come
 * out as integer minor units; cross-field rules (every variant names a value for every option, unique SKUs inside
 * the product) are checked here so a bad file fails the build with the field that is wrong.
 */
export const productSchema = z
	.object({
		title: z.string().trim().min(1).max(120),
		subtitle: z.string().trim().max(200).optional(),
		category: z.string().trim().min(1).max(60),
		collection: z.string().trim().min(1).max(60).optional(),
		tags: z.array(z.string().trim().min(1).max(40)).default([]),
		images: z.array(image).min(1, 'add at least one image'),
		options: z.array(option).default([]),
		variants: z.array(variant).min(1, 'add at least one variant with a sku and prices'),
		active: z.boolean().default(true),
		featured: z.boolean().default(false),
		/**
		 * A gift card sold as a product: each variant is a denomination (its price is the card's value in that currency);
		 * paying for the order issues one card per unit and emails its code to the purchaser.
		 */
		giftCard: z.boolean().default(false),
	})
	.strict()
	.superRefine((product, ctx) => {
		const seen = new Set<string>();
		product.variants.forEach((v, index) => {
			if (seen.has(v.sku)) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['variants', index, 'sku'],
					message: `duplicate sku ${v.sku}`,
				});
			}
			seen.add(v.sku);
			if (v.image !== undefined && !product.images.some((image) => image.src === v.image)) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['variants', index, 'image'],
					message: `${v.image} is not one of the product's images: list it under images first (with its alt text)`,
				});
			}
			for (const opt of product.options) {
				const value = v.options[opt.title];
				if (value === undefined) {
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						path: ['variants', index, 'options', opt.title],
						message: `missing a value for option "${opt.title}" (one of ${opt.values.join(', ')})`,
					});
				} else if (!opt.values.includes(value)) {
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						path: ['variants', index, 'options', opt.title],
						message: `"${value}" is not one of ${opt.values.join(', ')}`,
					});
				}
			}
			for (const name of Object.keys(v.options)) {
				if (!product.options.some((o) => o.title === name)) {
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						path: ['variants', index, 'options', name],
						message: `unknown option "${name}": declare it under options first`,
					});
				}
			}
		});
	})
	.transform((product) => ({
		...product,
		categoryHandle: slugify(product.category),
		collectionHandle: product.collection ? slugify(product.collection) : undefined,
		variants: product.variants.map((v) => ({
			...v,
			title:
				v.title ??
				(product.options.length ? product.options.map((o) => v.options[o.title]).join(' / ') : product.title),
		})),
	}));

/** What a product file holds once validated (prices in minor units). */
export type ProductData = z.output<typeof productSchema>;
/** What a merchant may write in a product file. */
export type ProductInput = z.input<typeof productSchema>;

/** A product as the catalog sync consumes it: validated frontmatter plus its handle and Markdown description. */
export interface CatalogProduct extends ProductData {
	handle: string;
	description: string;
}

/** Formats zod issues as `field.path  message` lines, the way Astro's own integrations report option errors. */
export function formatIssues(error: z.ZodError): string {
	return error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}  ${issue.message}`).join('\n');
}

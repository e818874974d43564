import type { CatalogProduct, CategoryView } from '@frostbuy/commerce/catalog';
import { activeProducts as catalogProducts, getCategories } from '@frostbuy/commerce/catalog';

// The demo reads the plugin's validated catalog (the product files the server syncs), not an Astro content
// collection: a build reads it from one JSON file, so no bundle carries the catalog as a literal (system_design.md §5).
export type Product = CatalogProduct;
export type Variant = Product['variants'][number];
export type Category = CategoryView;

export type StockStatus = 'in_stock' | 'low_stock' | 'sold_out';

export interface StockSummary {
	status: StockStatus;
	/** Sum of the static (build-time) stock of every variant. */
	total: number;
	label: string;
}

/** "Only N left" is shown at or below this many units. */
export const LOW_STOCK_THRESHOLD = 5;

/**
 * All products with `active: true`, featured first, then by title. Read once per build (and per server process);
 * `astro dev` reads the files again after one changed, so edits show on reload. Callers must not mutate the array.
 */
export function activeProducts(): readonly Product[] {
	return catalogProducts();
}

/**
 * Unique categories of the active products. Every page's layout asks, on-demand pages too: the plugin works them out
 * once per process and does not keep the whole catalog in the server's memory for them.
 */
export function categories(): readonly Category[] {
	return getCategories();
}

/** Active products in one category, in catalog order. */
export function productsInCategory(handle: string): Product[] {
	return activeProducts().filter((product) => product.categoryHandle === handle);
}

function variantPrices(product: Product, currency: string): number[] {
	const code = currency.toLowerCase();
	return product.variants
		.map((variant) => variant.prices[code])
		.filter((price): price is number => typeof price === 'number');
}

/** Lowest variant price in minor units, or undefined when no variant has a price in that currency. */
export function minPrice(product: Product, currency = 'usd'): number | undefined {
	const prices = variantPrices(product, currency);
	return prices.length > 0 ? Math.min(...prices) : undefined;
}

/** The lowest price in each currency the product is sold in (for the region switcher). */
export function minPrices(product: Product): Record<string, number | undefined> {
	const currencies = new Set(product.variants.flatMap((variant) => Object.keys(variant.prices)));
	return Object.fromEntries([...currencies].map((currency) => [currency, minPrice(product, currency)]));
}

/** True when variants differ in price (show "From $X"). */
export function hasPriceRange(product: Product, currency = 'usd'): boolean {
	return new Set(variantPrices(product, currency)).size > 1;
}

export function totalStock(product: Product): number {
	return product.variants.reduce((sum, variant) => sum + Math.max(0, variant.stock), 0);
}

export function isSoldOut(product: Product): boolean {
	return product.variants.every((variant) => variant.stock <= 0);
}

/** Summary of the static stock: "In stock", "Only N left" (N ≤ 5) or "Sold out". */
export function stockSummary(product: Product): StockSummary {
	const total = totalStock(product);
	if (total <= 0) return { status: 'sold_out', total: 0, label: 'Sold out' };
	if (total <= LOW_STOCK_THRESHOLD) return { status: 'low_stock', total, label: `Only ${total} left` };
	return { status: 'in_stock', total, label: 'In stock' };
}

/** Minor units to a decimal string for two-decimal currencies such as USD: 3999 → "39.99". */
export function toDecimalString(amountMinor: number): string {
	const sign = amountMinor < 0 ? '-' : '';
	const abs = Math.abs(Math.round(amountMinor));
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Markdown to a short plain-text summary (for meta descriptions and structured data). */
export function plainTextSummary(markdown: string | undefined, maxLength = 160): string {
	if (!markdown) return '';
	const text = markdown
		.replace(/```[\s\S]*?```/g, ' ')
		.replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, ' ')
		.replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
		.replace(/[*_`~]/g, '')
		.replace(/\s+/g, ' ')
		.trim();
	if (text.length <= maxLength) return text;
	const cut = text.slice(0, maxLength - 1);
	const lastSpace = cut.lastIndexOf(' ');
	return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

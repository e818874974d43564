import type { CollectionEntry } from 'astro:content';
import { getCollection } from 'astro:content';

export type Product = CollectionEntry<'products'>;
export type ProductData = Product['data'];
export type Variant = ProductData['variants'][number];

export interface Category {
	handle: string;
	title: string;
	count: number;
}

export type StockStatus = 'in_stock' | 'low_stock' | 'sold_out';

export interface StockSummary {
	status: StockStatus;
	/** Sum of the static (build-time) stock of every variant. */
	total: number;
	label: string;
}

/** "Only N left" is shown at or below this many units. */
export const LOW_STOCK_THRESHOLD = 5;

/** Featured products first, then by title. */
export function compareProducts(a: Product, b: Product): number {
	if (a.data.featured !== b.data.featured) return a.data.featured ? -1 : 1;
	return a.data.title.localeCompare(b.data.title, 'en') || a.id.localeCompare(b.id, 'en');
}

async function loadActiveProducts(): Promise<Product[]> {
	const entries = await getCollection('products', ({ data }) => data.active);
	return [...entries].sort(compareProducts);
}

// Every page's layout asks for the categories: sorting the whole catalog per page made a 10,000-product build
// quadratic. A build reads the collection once; `astro dev` reads it afresh so edited files show on reload.
let built: Promise<Product[]> | undefined;

/** All products with `active: true`, featured first, then by title. Callers must not mutate the array. */
export function activeProducts(): Promise<Product[]> {
	if (import.meta.env.DEV) return loadActiveProducts();
	built ??= loadActiveProducts();
	return built;
}

/** Unique categories of the given products, sorted by title. */
export function categoriesOf(products: readonly Product[]): Category[] {
	const byHandle = new Map<string, Category>();
	for (const { data } of products) {
		const existing = byHandle.get(data.categoryHandle);
		if (existing) existing.count += 1;
		else byHandle.set(data.categoryHandle, { handle: data.categoryHandle, title: data.category, count: 1 });
	}
	return [...byHandle.values()].sort((a, b) => a.title.localeCompare(b.title, 'en'));
}

let builtCategories: Promise<Category[]> | undefined;

/** Unique categories of the active products (once per build, like activeProducts). */
export function categories(): Promise<Category[]> {
	if (import.meta.env.DEV) return activeProducts().then(categoriesOf);
	builtCategories ??= activeProducts().then(categoriesOf);
	return builtCategories;
}

/** Active products in one category, in catalog order. */
export async function productsInCategory(handle: string): Promise<Product[]> {
	return (await activeProducts()).filter((product) => product.data.categoryHandle === handle);
}

function variantPrices(product: Product, currency: string): number[] {
	const code = currency.toLowerCase();
	return product.data.variants
		.map((variant) => variant.prices[code])
		.filter((price): price is number => typeof price === 'number');
}

/** Lowest variant price in minor units, or undefined when no variant has a price in that currency. */
export function minPrice(product: Product, currency = 'usd'): number | undefined {
	const prices = variantPrices(product, currency);
	return prices.length > 0 ? Math.min(...prices) : undefined;
}

/** True when variants differ in price (show "From $X"). */
export function hasPriceRange(product: Product, currency = 'usd'): boolean {
	return new Set(variantPrices(product, currency)).size > 1;
}

export function totalStock(product: Product): number {
	return product.data.variants.reduce((sum, variant) => sum + Math.max(0, variant.stock), 0);
}

export function isSoldOut(product: Product): boolean {
	return product.data.variants.every((variant) => variant.stock <= 0);
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

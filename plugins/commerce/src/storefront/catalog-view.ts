import type { CatalogProduct } from '../content/product-schema.ts';

/**
 * What the injected catalog, category and product pages show, computed at build time from the validated catalog
 * (the same one the server syncs into the database). Pure functions; the pages only lay them out.
 */

// One collator for every sort: `localeCompare(b, 'en')` builds one per call, which a 10,000-product sort notices.
const byText = new Intl.Collator('en').compare;

export interface CategoryView {
	handle: string;
	title: string;
	count: number;
}

/** Active products, featured first, then by title (then handle, so equal titles keep one order). */
export function activeProducts(catalog: readonly CatalogProduct[]): CatalogProduct[] {
	return catalog
		.filter((p) => p.active)
		.sort((a, b) => Number(b.featured) - Number(a.featured) || byText(a.title, b.title) || byText(a.handle, b.handle));
}

/** Categories of the active products, by title. */
export function categoriesOf(products: readonly CatalogProduct[]): CategoryView[] {
	const byHandle = new Map<string, CategoryView>();
	for (const p of products) {
		const entry = byHandle.get(p.categoryHandle) ?? { handle: p.categoryHandle, title: p.category, count: 0 };
		entry.count += 1;
		byHandle.set(p.categoryHandle, entry);
	}
	return [...byHandle.values()].sort((a, b) => byText(a.title, b.title));
}

/** The lowest variant price in a currency (minor units), and whether variants differ ("From …"). */
export function priceOf(product: CatalogProduct, currency: string): { amount?: number; from: boolean } {
	const prices = product.variants.map((v) => v.prices[currency]).filter((p): p is number => typeof p === 'number');
	return { amount: prices.length ? Math.min(...prices) : undefined, from: new Set(prices).size > 1 };
}

/** Product images are site paths (`/images/x.svg` in `public/`): prefix Astro's `base`; full URLs stay as they are. */
export function imageUrl(src: string, base: string): string {
	return src.startsWith('/') && !src.startsWith('//') ? `${base.replace(/\/$/, '')}${src}` : src;
}

/**
 * The Markdown description as plain paragraphs (markup stripped; Astro escapes the text). The injected pages stay
 * independent of a Markdown renderer; a site that wants rich descriptions turns the product page off and renders the
 * collection entry itself.
 */
export function descriptionParagraphs(markdown: string): string[] {
	return markdown
		.replace(/```[\s\S]*?```/g, ' ')
		.split(/\n\s*\n/)
		.map((block) =>
			block
				.replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
				.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
				.replace(/<[^>]+>/g, ' ')
				.replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
				.replace(/[*_`~]/g, '')
				.replace(/\s+/g, ' ')
				.trim(),
		)
		.filter(Boolean);
}

import type {
	ProductFilter,
	ProductOrder,
	ProductRecord,
	VariantRecord,
} from '../../db/repositories/product-repository.ts';
import { foldCase, TextSearchIndex } from './text-search.ts';

// The Store API's catalog reads, answered from memory. Products come from content files and change only through a
// sync (or another catalog write), so each process holds the active catalog once and answers lists, filters, sorts
// and searches without touching the database; only live stock is read per request (catalog-index-cache.ts).
// Results equal the SQL of product-repository.ts (findProductPage, findVariantPage), which stays the reference.

export interface IndexedProduct {
	record: ProductRecord;
	categoryId: string;
	rank: number;
	/** Catalog order (rank, then id): the tie-breaker of every sort. */
	position: number;
	foldedTitle: string;
	tagIds: ReadonlySet<string>;
	foldedTagValues: ReadonlySet<string>;
	/** Amounts of the active variants per currency. */
	pricesByCurrency: ReadonlyMap<string, readonly number[]>;
}

export interface CatalogPage {
	products: ProductRecord[];
	count: number;
}

export class CatalogIndex {
	readonly revision: number;
	readonly #products: IndexedProduct[];
	readonly #byId: Map<string, IndexedProduct>;
	readonly #byHandle: Map<string, IndexedProduct>;
	readonly #variants: VariantRecord[];
	readonly #variantById: Map<string, VariantRecord>;
	readonly #search: TextSearchIndex;
	/** Sorted product lists per order (field, direction, currency), built on first use. */
	readonly #sorted = new Map<string, IndexedProduct[]>();

	/** `products` in catalog order with their category id and rank, as listActiveProductKeys returns them. */
	constructor(revision: number, products: readonly { record: ProductRecord; categoryId: string; rank: number }[]) {
		this.revision = revision;
		this.#products = products.map(({ record, categoryId, rank }, position) => {
			const pricesByCurrency = new Map<string, number[]>();
			for (const variant of record.variants) {
				for (const price of variant.prices) {
					const list = pricesByCurrency.get(price.currencyCode);
					if (list) list.push(price.amount);
					else pricesByCurrency.set(price.currencyCode, [price.amount]);
				}
			}
			return {
				record,
				categoryId,
				rank,
				position,
				foldedTitle: record.title.toLowerCase(),
				tagIds: new Set(record.tags.map((t) => t.id)),
				foldedTagValues: new Set(record.tags.map((t) => t.value.toLowerCase())),
				pricesByCurrency,
			};
		});
		this.#byId = new Map(this.#products.map((p) => [p.record.id, p]));
		this.#byHandle = new Map(this.#products.map((p) => [p.record.handle, p]));
		this.#variants = this.#products.flatMap((p) => p.record.variants);
		this.#variantById = new Map(this.#variants.map((v) => [v.id, v]));
		this.#search = new TextSearchIndex(
			this.#products.map((p) => ({
				position: p.position,
				// Same fields as the SQL search (product-repository.ts): subtitle, collection title and tags too, words
				// shoppers search for ("bobcats") that the title and description may not say.
				fields: [
					p.record.title,
					p.record.subtitle,
					p.record.description,
					p.record.collection?.title,
					...p.record.tags.map((t) => t.value),
					...p.record.variants.flatMap((v) => [v.title, v.sku]),
				],
			})),
		);
	}

	get size(): number {
		return this.#products.length;
	}

	product(id: string): ProductRecord | undefined {
		return this.#byId.get(id)?.record;
	}

	/** An active variant of an active product. */
	variant(id: string): VariantRecord | undefined {
		return this.#variantById.get(id);
	}

	/** One page of matching products in `order`, with the number of matches. */
	findProducts(filter: ProductFilter, order: ProductOrder, page: { limit: number; offset: number }): CatalogPage {
		const sorted = this.#sortedBy(order);
		const matches = this.#matcher(filter);
		if (!matches) {
			return {
				products: sorted.slice(page.offset, page.offset + page.limit).map((p) => p.record),
				count: sorted.length,
			};
		}
		// One walk that counts every match and keeps only the page's: no list of all matches per request.
		const products: ProductRecord[] = [];
		const end = page.offset + page.limit;
		let count = 0;
		for (const p of sorted) {
			if (!matches(p)) continue;
			if (count >= page.offset && count < end) products.push(p.record);
			count++;
		}
		return { products, count };
	}

	/** One page of active variants (optionally only among `ids`) in catalog order. */
	findVariants(filter: { ids?: string[] }, page: { limit: number; offset: number }): VariantRecord[] {
		const wanted = filter.ids?.length ? new Set(filter.ids) : undefined;
		const list = wanted ? this.#variants.filter((v) => wanted.has(v.id)) : this.#variants;
		return list.slice(page.offset, page.offset + page.limit);
	}

	/** Null when nothing filters (every active product matches). Narrow filters (ids, handle, q) go first. */
	#matcher(filter: ProductFilter): ((p: IndexedProduct) => boolean) | null {
		const checks: ((p: IndexedProduct) => boolean)[] = [];
		if (filter.handle !== undefined) {
			const only = this.#byHandle.get(filter.handle);
			checks.push((p) => p === only);
		}
		if (filter.ids?.length) {
			const ids = new Set(filter.ids);
			checks.push((p) => ids.has(p.record.id));
		}
		if (filter.q) {
			const hits = this.#search.match(filter.q);
			checks.push((p) => hits[p.position] === 1);
		}
		if (filter.categoryIds?.length) {
			const ids = new Set(filter.categoryIds);
			checks.push((p) => ids.has(p.categoryId));
		}
		if (filter.collectionIds?.length) {
			const ids = new Set(filter.collectionIds);
			checks.push((p) => p.record.collectionId !== null && ids.has(p.record.collectionId));
		}
		if (filter.tags?.length) {
			const tags = filter.tags;
			const values = tags.map(foldCase);
			checks.push((p) => tags.some((t) => p.tagIds.has(t)) || values.some((v) => p.foldedTagValues.has(v)));
		}
		if (filter.price) {
			const { currency, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = filter.price;
			checks.push((p) => (p.pricesByCurrency.get(currency) ?? []).some((amount) => amount >= min && amount <= max));
		}
		if (!checks.length) return null;
		if (checks.length === 1) return checks[0] as (p: IndexedProduct) => boolean;
		return (p) => checks.every((check) => check(p));
	}

	#sortedBy(order: ProductOrder): IndexedProduct[] {
		const key = `${order.field}:${order.direction}:${order.field === 'price' ? order.currency : ''}`;
		let sorted = this.#sorted.get(key);
		if (!sorted) {
			sorted = [...this.#products].sort(comparator(order));
			this.#sorted.set(key, sorted);
		}
		return sorted;
	}
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The SQL order of findProductPage: the field, then rank ascending, then id. */
function comparator(order: ProductOrder): (a: IndexedProduct, b: IndexedProduct) => number {
	const sign = order.direction === 'asc' ? 1 : -1;
	const byCatalog = (a: IndexedProduct, b: IndexedProduct) => a.rank - b.rank || compareText(a.record.id, b.record.id);
	switch (order.field) {
		case 'rank':
			return (a, b) => sign * (a.rank - b.rank) || compareText(a.record.id, b.record.id);
		case 'title':
			return (a, b) => sign * compareText(a.foldedTitle, b.foldedTitle) || byCatalog(a, b);
		case 'created_at':
			return (a, b) => sign * compareText(a.record.createdAt, b.record.createdAt) || byCatalog(a, b);
		case 'updated_at':
			return (a, b) => sign * compareText(a.record.updatedAt, b.record.updatedAt) || byCatalog(a, b);
		case 'price': {
			const lowest = (p: IndexedProduct) => {
				const amounts = p.pricesByCurrency.get(order.currency);
				return amounts?.length ? Math.min(...amounts) : null;
			};
			return (a, b) => {
				const x = lowest(a);
				const y = lowest(b);
				// Products without a price in the currency go last in both directions.
				if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || byCatalog(a, b);
				return sign * (x - y) || byCatalog(a, b);
			};
		}
	}
}

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { availableQuantity } from '../client/availability.ts';
import { preferredRegionId } from '../client/cart-store.ts';
import { createStoreClient } from '../client/store-client.ts';
import type {
	ProductListQuery,
	ProductListResponse,
	StoreProduct,
	StoreProductCategory,
	StoreRegion,
} from '../client/types.ts';
import { currencyDecimals, formatMoney } from '../core/money.ts';

export interface CatalogSearchProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** id of the prerendered grid that results replace while a search is active. @default 'catalog-grid' */
	gridId?: string;
	/** Results per page. @default 12 */
	pageSize?: number;
	/** Product pages live at this prefix + handle. @default '/products/' */
	productBase?: string;
}

interface Filters {
	q: string;
	category: string;
	/** Whole currency units as typed (dollars); converted to minor units for the API. */
	min: string;
	max: string;
	sort: string;
}

const EMPTY: Filters = { q: '', category: '', min: '', max: '', sort: '' };
const FILTER_KEYS = Object.keys(EMPTY) as (keyof Filters)[];

/** UI sort → the API's `order` (Medusa style: field name, `-` for descending); '' keeps the catalog order. */
const SORTS: [value: string, label: string][] = [
	['', 'Featured'],
	['price', 'Price: low to high'],
	['-price', 'Price: high to low'],
	['title', 'Name: A to Z'],
];

const TYPING_DELAY = 250;

/** Typed amount ("12.5") to minor units; undefined when empty or not a non-negative number. */
function toMinor(text: string, currency: string): number | undefined {
	const value = Number(text);
	return text.trim() === '' || !Number.isFinite(value) || value < 0
		? undefined
		: Math.round(value * 10 ** currencyDecimals(currency));
}

/**
 * Search, category and price filters, sort and paging over `GET /store/products`. Prerendered it renders nothing
 * and the static grid lists every product; once a filter is active its results replace that grid.
 */
export default function CatalogSearch({
	storeUrl = '/store',
	gridId = 'catalog-grid',
	pageSize = 12,
	productBase = '/products/',
}: CatalogSearchProps) {
	const client = useMemo(() => createStoreClient(storeUrl), [storeUrl]);
	const [mounted, setMounted] = useState(false);
	const [categories, setCategories] = useState<StoreProductCategory[]>([]);
	const [region, setRegion] = useState<StoreRegion | undefined>();
	const [filters, setFilters] = useState<Filters>(EMPTY);
	const [page, setPage] = useState(0);
	const [result, setResult] = useState<ProductListResponse | null>(null);
	const [error, setError] = useState('');
	const typing = useRef(false);

	useEffect(() => {
		// Filters live in the URL (`?q=…&category=…&min=…&max=…&sort=…&page=…`): a reload keeps them, a link shares
		// them, and the header's search form (a plain GET to this page) starts a search.
		const query = new URLSearchParams(location.search);
		setFilters(Object.fromEntries(FILTER_KEYS.map((key) => [key, query.get(key) ?? ''])) as unknown as Filters);
		setPage(Math.max(0, Number.parseInt(query.get('page') ?? '1', 10) - 1 || 0));
		setMounted(true);
		client.listCategories().then(setCategories, () => undefined);
		client.listRegions().then(
			(regions) => setRegion(regions.find((r) => r.id === preferredRegionId()) ?? regions[0]),
			() => undefined,
		);
	}, [client]);

	const currency = region?.currency_code ?? 'usd';
	const active = page > 0 || Object.values(filters).some((value) => value.trim() !== '');
	const minPrice = toMinor(filters.min, currency);
	const maxPrice = toMinor(filters.max, currency);
	// Said at the field instead of asking the API for an impossible range.
	const rangeError =
		minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice
			? 'The minimum price is above the maximum. Lower the minimum or raise the maximum.'
			: '';

	useEffect(() => {
		if (!mounted) return;
		const url = new URL(location.href);
		for (const key of FILTER_KEYS) {
			const value = filters[key].trim();
			if (value) url.searchParams.set(key, value);
			else url.searchParams.delete(key);
		}
		if (page > 0) url.searchParams.set('page', String(page + 1));
		else url.searchParams.delete('page');
		if (url.href !== location.href) history.replaceState(history.state, '', url);
	}, [mounted, filters, page]);

	useEffect(() => {
		if (!mounted) return;
		if (!active || rangeError) {
			setResult(null);
			setError('');
			return;
		}
		const controller = new AbortController();
		const query: ProductListQuery = {
			q: filters.q.trim() || undefined,
			category_id: filters.category ? [filters.category] : undefined,
			price_min: minPrice,
			price_max: maxPrice,
			order: filters.sort || undefined,
			limit: pageSize,
			offset: page * pageSize,
			region_id: region?.id,
		};
		const timer = setTimeout(
			() =>
				client.listProducts(query, { signal: controller.signal }).then(
					(response) => {
						setResult(response);
						setError('');
					},
					(failure: Error & { status?: number }) => {
						if (failure.name === 'AbortError') return;
						setResult(null);
						// A refused query (4xx) says why; only a failing server makes search unavailable.
						const status = failure.status ?? 0;
						setError(
							status >= 400 && status < 500
								? `${failure.message} All products are listed below.`
								: 'Search is unavailable right now; all products are listed below.',
						);
					},
				),
			typing.current ? TYPING_DELAY : 0,
		);
		typing.current = false;
		return () => {
			clearTimeout(timer);
			controller.abort();
		};
	}, [mounted, filters, page, region, client, pageSize, rangeError]);

	// The static grid stays until results replace it, and comes back when the filters are cleared or search fails.
	useEffect(() => {
		document.getElementById(gridId)?.toggleAttribute('hidden', result !== null);
	}, [result, gridId]);

	if (!mounted) return null;

	const set = (key: keyof Filters, value: string, typed = false) => {
		typing.current = typed;
		setFilters((current) => ({ ...current, [key]: value }));
		setPage(0);
	};
	const clear = () => {
		setFilters(EMPTY);
		setPage(0);
	};

	const pages = result ? Math.max(1, Math.ceil(result.count / pageSize)) : 1;
	const first = result && result.count > 0 ? result.offset + 1 : 0;
	const last = result ? result.offset + result.products.length : 0;
	const summary = result
		? result.count === 0
			? 'No products match your search.'
			: `${first}–${last} of ${result.count} ${result.count === 1 ? 'product' : 'products'}`
		: '';

	return (
		<div class="catalog-search">
			<form
				class="catalog-search__form"
				role="search"
				aria-label="Products"
				onSubmit={(event) => event.preventDefault()}
			>
				<div class="field field--wide">
					<label for="catalog-q">Search</label>
					<input
						id="catalog-q"
						type="search"
						value={filters.q}
						onInput={(e) => set('q', e.currentTarget.value, true)}
						placeholder="Hoodie, mug…"
					/>
				</div>
				<div class="field">
					<label for="catalog-category">Category</label>
					<select
						id="catalog-category"
						value={filters.category}
						onChange={(e) => set('category', e.currentTarget.value)}
					>
						<option value="">All categories</option>
						{categories.map((category) => (
							<option key={category.id} value={category.id}>
								{category.name}
							</option>
						))}
					</select>
				</div>
				<div class="field field--price">
					<label for="catalog-min">Min price ({currency.toUpperCase()})</label>
					<input
						id="catalog-min"
						type="number"
						inputmode="decimal"
						min="0"
						step="any"
						value={filters.min}
						onInput={(e) => set('min', e.currentTarget.value, true)}
					/>
				</div>
				<div class="field field--price">
					<label for="catalog-max">Max price ({currency.toUpperCase()})</label>
					<input
						id="catalog-max"
						type="number"
						inputmode="decimal"
						min="0"
						step="any"
						value={filters.max}
						onInput={(e) => set('max', e.currentTarget.value, true)}
						aria-invalid={!!rangeError || undefined}
						aria-describedby="catalog-range-error"
					/>
				</div>
				<p id="catalog-range-error" class="form-error catalog-search__range-error" role="alert">
					{rangeError}
				</p>
				<div class="field">
					<label for="catalog-sort">Sort by</label>
					<select id="catalog-sort" value={filters.sort} onChange={(e) => set('sort', e.currentTarget.value)}>
						{SORTS.map(([value, label]) => (
							<option key={value} value={value}>
								{label}
							</option>
						))}
					</select>
				</div>
				{active && (
					<button type="button" class="button catalog-search__clear" onClick={clear}>
						Clear filters
					</button>
				)}
			</form>
			<p class="catalog-search__status" role="status">
				{summary}
			</p>
			<p class="form-error" role="alert">
				{error}
			</p>
			{result && result.products.length > 0 && (
				<ul class="product-grid" id={`${gridId}-results`} role="list">
					{result.products.map((product) => (
						<ProductCard key={product.id} product={product} currency={currency} href={productBase + product.handle} />
					))}
				</ul>
			)}
			{result && pages > 1 && (
				<nav class="pagination" aria-label="Search result pages">
					<button type="button" class="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
						Previous
					</button>
					<span class="pagination__label">
						Page {page + 1} of {pages}
					</span>
					<button type="button" class="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
						Next
					</button>
				</nav>
			)}
		</div>
	);
}

/** The markup of the site's ProductCard.astro, so results look exactly like the prerendered grid. */
function ProductCard({ product, currency, href }: { product: StoreProduct; currency: string; href: string }) {
	const prices = product.variants.map((v) => v.calculated_price).filter((p): p is number => typeof p === 'number');
	const price = prices.length ? Math.min(...prices) : undefined;
	const soldOut = product.variants.every((variant) => availableQuantity(variant) <= 0);
	const image = product.images?.[0];
	const src = product.thumbnail ?? image?.url;
	const alt = typeof image?.metadata?.alt === 'string' ? image.metadata.alt : product.title;
	return (
		<li class="product-grid__item" data-product-handle={product.handle}>
			<article class={soldOut ? 'product-card product-card--sold-out' : 'product-card'}>
				<div class="product-card__media">
					{src && <img src={src} alt={alt} width="600" height="600" loading="lazy" decoding="async" />}
					{soldOut && <span class="chip chip--sold-out">Sold out</span>}
				</div>
				<div class="product-card__body">
					<h3 class="product-card__title">
						<a href={href} class="product-card__link">
							{product.title}
						</a>
					</h3>
					{product.categories?.[0] && <p class="product-card__category">{product.categories[0].name}</p>}
					<p class="product-card__price">
						{price === undefined ? (
							<span class="price price--unavailable">Price unavailable</span>
						) : (
							<span class="price" data-price={price} data-currency={currency}>
								{new Set(prices).size > 1 && <span class="price__from">From </span>}
								<span class="price__amount">{formatMoney(price, currency)}</span>
							</span>
						)}
					</p>
				</div>
			</article>
		</li>
	);
}

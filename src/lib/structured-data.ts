// Schema.org JSON-LD of a product page, from the product file alone (no Astro imports, so it is unit-tested).
// One variant → a `Product` with one `Offer`; several → a `ProductGroup` whose `hasVariant` lists a `Product` per
// variant, each with its own `Offer` (sku, price, currency, availability), as Google's product-variant guide asks.

export interface StructuredVariant {
	sku: string;
	title?: string;
	options: Record<string, string>;
	/** Minor units by lowercase currency code. */
	prices: Record<string, number>;
	stock: number;
}

export interface StructuredProduct {
	handle: string;
	title: string;
	description: string;
	category: string;
	/** Site-relative or absolute image paths. */
	images: string[];
	variants: StructuredVariant[];
}

const SCHEMA = 'https://schema.org';
/** Option titles schema.org knows as properties of a product (`variesBy`). */
const VARIES_BY: Record<string, string> = {
	size: `${SCHEMA}/size`,
	color: `${SCHEMA}/color`,
	colour: `${SCHEMA}/color`,
	material: `${SCHEMA}/material`,
	pattern: `${SCHEMA}/pattern`,
};

/** `{ Size: 'M', Colour: 'Navy' }` → `{ size: 'M', color: 'Navy' }`: only the options schema.org has a property for. */
function variantProperties(options: Record<string, string>): Record<string, string> {
	const properties: Record<string, string> = {};
	for (const [title, value] of Object.entries(options)) {
		const property = VARIES_BY[title.toLowerCase()];
		if (property) properties[property.slice(SCHEMA.length + 1)] = value;
	}
	return properties;
}

/** 3999 → "39.99" (two-decimal currencies, the only ones the catalog sells in). */
const decimal = (minor: number) => (minor / 100).toFixed(2);

/**
 * The JSON-LD object of a product page; `site` makes every URL absolute. `currency` is the price shown on the
 * prerendered page (the default region's); variants without a price in it get no offer.
 */
export function productJsonLd(product: StructuredProduct, site: URL, currency = 'usd', brand = 'FrostBuy') {
	const url = new URL(`/products/${product.handle}/`, site).href;
	const image = product.images.map((src) => new URL(src, site).href);
	const offer = (variant: StructuredVariant) => {
		const price = variant.prices[currency];
		if (price === undefined) return undefined;
		return {
			'@type': 'Offer',
			sku: variant.sku,
			url,
			price: decimal(price),
			priceCurrency: currency.toUpperCase(),
			availability: variant.stock > 0 ? `${SCHEMA}/InStock` : `${SCHEMA}/OutOfStock`,
			itemCondition: `${SCHEMA}/NewCondition`,
		};
	};
	const common = {
		description: product.description,
		image,
		category: product.category,
		brand: { '@type': 'Brand', name: brand },
	};
	const [only] = product.variants;
	if (product.variants.length === 1 && only) {
		return {
			'@context': SCHEMA,
			'@type': 'Product',
			name: product.title,
			sku: only.sku,
			url,
			...common,
			offers: offer(only),
		};
	}
	const optionTitles = [...new Set(product.variants.flatMap((variant) => Object.keys(variant.options)))];
	return {
		'@context': SCHEMA,
		'@type': 'ProductGroup',
		name: product.title,
		productGroupID: product.handle,
		url,
		...common,
		// Only the properties schema.org defines; another option (say "Fit") still tells variants apart by name.
		variesBy: optionTitles.flatMap((title) => VARIES_BY[title.toLowerCase()] ?? []),
		hasVariant: product.variants.map((variant) => {
			const values = Object.values(variant.options);
			return {
				'@type': 'Product',
				name: values.length ? `${product.title} (${values.join(' / ')})` : (variant.title ?? product.title),
				sku: variant.sku,
				url,
				image,
				...variantProperties(variant.options),
				offers: offer(variant),
			};
		}),
	};
}

/** JSON for a `<script type="application/ld+json">`: "<" escaped so the text can never close the element early. */
export const jsonLdText = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

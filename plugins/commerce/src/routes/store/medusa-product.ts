import type {
	CategoryRecord,
	CollectionRecord,
	OptionValueRecord,
	ProductRecord,
	VariantRecord,
} from '../../db/repositories/product-repository.ts';
import type { RegionOptions } from '../../options.ts';
import { priceVariant } from '../../services/catalog-query.ts';
import { absoluteUrl, type Presentation } from './presentation.ts';

// Domain catalog records → Medusa v1 Store API shapes (contract §2). Fields we have no data for are null, as Medusa
// sends them, so storefront code that reads them finds the key.

/** Every product ships with the one default shipping profile. */
const SHIPPING_PROFILE_ID = 'sp_default';

const NO_PHYSICAL_DATA = {
	weight: null,
	length: null,
	height: null,
	width: null,
	hs_code: null,
	origin_country: null,
	mid_code: null,
	material: null,
} as const;

/** The Medusa `ProductCategory` (flat: our categories have no parents). */
export function toMedusaCategory(category: CategoryRecord) {
	return {
		id: category.id,
		name: category.name,
		handle: category.handle,
		description: '',
		is_active: true,
		is_internal: false,
		parent_category_id: null,
		parent_category: null,
		category_children: [],
		rank: category.rank,
		metadata: null,
		created_at: category.createdAt,
		updated_at: category.updatedAt,
		deleted_at: null,
	};
}

/** The Medusa `ProductCollection`. */
export function toMedusaCollection(collection: CollectionRecord) {
	return {
		id: collection.id,
		title: collection.title,
		handle: collection.handle,
		metadata: null,
		created_at: collection.createdAt,
		updated_at: collection.updatedAt,
		deleted_at: null,
	};
}

function toMedusaOptionValue(value: OptionValueRecord) {
	return { id: value.id, value: value.value, option_id: value.optionId, variant_id: value.variantId, metadata: null };
}

/**
 * The Medusa `PricedVariant` for one region: all stored prices plus the region's price and tax decoration.
 * `purchasable` also turns false for a variant that is no longer on sale, which only carts and orders still show.
 */
export function toMedusaVariant(variant: VariantRecord, region: RegionOptions) {
	const pricing = priceVariant(variant, region);
	return {
		id: variant.id,
		title: variant.title,
		product_id: variant.productId,
		sku: variant.sku,
		barcode: null,
		ean: null,
		upc: null,
		variant_rank: variant.rank,
		inventory_quantity: variant.inventoryQuantity,
		allow_backorder: false,
		manage_inventory: true,
		purchasable: variant.active && variant.inventoryQuantity > 0,
		...NO_PHYSICAL_DATA,
		metadata: null,
		created_at: variant.createdAt,
		updated_at: variant.updatedAt,
		deleted_at: null,
		prices: variant.prices.map((price) => ({
			id: price.id,
			currency_code: price.currencyCode,
			amount: price.amount,
			min_quantity: null,
			max_quantity: null,
			price_list_id: null,
			region_id: null,
			variant_id: price.variantId,
			created_at: price.createdAt,
			updated_at: price.updatedAt,
			deleted_at: null,
		})),
		options: variant.optionValues.map(toMedusaOptionValue),
		original_price: pricing.price,
		calculated_price: pricing.price,
		calculated_price_type: 'default' as const,
		original_price_includes_tax: false,
		calculated_price_includes_tax: false,
		original_tax: pricing.tax,
		calculated_tax: pricing.tax,
		original_price_incl_tax: pricing.priceInclTax,
		calculated_price_incl_tax: pricing.priceInclTax,
		tax_rates: [{ rate: region.taxRate, name: region.taxName, code: null }],
	};
}

export type MedusaVariant = ReturnType<typeof toMedusaVariant>;

/** The Medusa `PricedProduct` with its default relations plus `categories`, priced for one region. */
export function toMedusaProduct(product: ProductRecord, region: RegionOptions, p: Presentation) {
	return {
		id: product.id,
		title: product.title,
		subtitle: product.subtitle,
		description: product.description,
		handle: product.handle,
		is_giftcard: product.isGiftcard === true,
		status: 'published' as const,
		thumbnail: absoluteUrl(p, product.thumbnail),
		collection_id: product.collectionId,
		collection: product.collection ? toMedusaCollection(product.collection) : null,
		type_id: null,
		type: null,
		discountable: true,
		external_id: null,
		...NO_PHYSICAL_DATA,
		metadata: null,
		created_at: product.createdAt,
		updated_at: product.updatedAt,
		deleted_at: null,
		profile_id: SHIPPING_PROFILE_ID,
		variants: product.variants.map((variant) => toMedusaVariant(variant, region)),
		options: product.options.map((option) => ({
			id: option.id,
			title: option.title,
			product_id: option.productId,
			metadata: null,
			values: option.values.map(toMedusaOptionValue),
		})),
		images: product.images.map((image) => ({
			id: image.id,
			url: absoluteUrl(p, image.url),
			metadata: { alt: image.alt },
		})),
		tags: product.tags.map((tag) => ({ id: tag.id, value: tag.value })),
		categories: product.category ? [toMedusaCategory(product.category)] : [],
	};
}

export type MedusaProduct = ReturnType<typeof toMedusaProduct>;

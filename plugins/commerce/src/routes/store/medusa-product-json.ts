import type { ProductRecord } from '../../db/repositories/product-repository.ts';
import type { RegionOptions } from '../../options.ts';
import { toMedusaProduct } from './medusa-product.ts';
import type { Presentation } from './presentation.ts';

// The product list is the Store API's hottest answer and mostly constant: everything but each variant's
// `inventory_quantity` and `purchasable` changes only with the catalog. So each product is serialized once per region
// (toMedusaProduct, the one mapping) into a template with holes for those two fields, and a response is the templates
// joined with live stock filled in. Templates hang off the catalog index's records (a WeakMap), so a catalog change,
// which replaces the records, drops them.

interface Template {
	/** Literal JSON between the holes; one more than `holes`. */
	parts: string[];
	holes: { variantId: string; active: boolean; field: 'quantity' | 'purchasable' }[];
}

// Keyed by the region object itself (options are parsed once per process, and a region's tax and currency shape the
// JSON), then by the public origin that makes image URLs absolute (one per site, a few behind several host names).
const templates = new WeakMap<ProductRecord, Map<RegionOptions, Map<string, Template>>>();

// A string no product text can hold once JSON-escaped (a NUL character) marks each hole.
const HOLE = /"\\u0000(q|p)(\d+)\\u0000"/;

function buildTemplate(product: ProductRecord, region: RegionOptions, p: Presentation): Template {
	const medusa = toMedusaProduct(product, region, p) as unknown as {
		variants: { inventory_quantity: unknown; purchasable: unknown }[];
	};
	medusa.variants.forEach((variant, i) => {
		variant.inventory_quantity = `\u0000q${i}\u0000`;
		variant.purchasable = `\u0000p${i}\u0000`;
	});
	const pieces = JSON.stringify(medusa).split(HOLE);
	const parts: string[] = [];
	const holes: Template['holes'] = [];
	for (let i = 0; i < pieces.length; i += 3) {
		parts.push(pieces[i] as string);
		if (i + 2 < pieces.length) {
			const variant = product.variants[Number(pieces[i + 2])];
			if (!variant) throw new Error(`medusa-product-json: no variant ${pieces[i + 2]} in ${product.id}`);
			holes.push({
				variantId: variant.id,
				active: variant.active,
				field: pieces[i + 1] === 'q' ? 'quantity' : 'purchasable',
			});
		}
	}
	return { parts, holes };
}

function templateOf(product: ProductRecord, region: RegionOptions, p: Presentation): Template {
	let byRegion = templates.get(product);
	if (!byRegion) {
		byRegion = new Map();
		templates.set(product, byRegion);
	}
	let byOrigin = byRegion.get(region);
	if (!byOrigin) {
		byOrigin = new Map();
		byRegion.set(region, byOrigin);
	}
	let template = byOrigin.get(p.origin);
	if (!template) {
		template = buildTemplate(product, region, p);
		byOrigin.set(p.origin, template);
	}
	return template;
}

/**
 * `JSON.stringify(toMedusaProduct(product with live stock, region, p))`, from a cached template. `product` must be a
 * record that stays unchanged while it lives (the catalog index's); `stock` holds units on sale per variant id.
 */
export function medusaProductJson(
	product: ProductRecord,
	region: RegionOptions,
	stock: ReadonlyMap<string, number>,
	p: Presentation,
): string {
	const { parts, holes } = templateOf(product, region, p);
	let out = parts[0] as string;
	for (let i = 0; i < holes.length; i++) {
		const hole = holes[i] as Template['holes'][number];
		const units = stock.get(hole.variantId) ?? 0;
		out += hole.field === 'quantity' ? String(units) : hole.active && units > 0 ? 'true' : 'false';
		out += parts[i + 1];
	}
	return out;
}

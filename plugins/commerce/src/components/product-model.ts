import { availableQuantity } from '../client/availability.ts';
import type { StoreProduct } from '../client/types.ts';

/**
 * What the add-to-cart island renders from: options by title and variants keyed by option title → value. Both the
 * build-time content (instant first render) and the live API product convert to it; only live variants have an id.
 */
export interface ProductModel {
	options: { title: string; values: string[] }[];
	variants: { id?: string; options: Record<string, string>; stock: number }[];
}

/** A chosen value per option title. */
export type Selection = Record<string, string>;

/** The live product (ids, live stock) as a `ProductModel`; option ids are resolved to titles. */
export function modelFromProduct(product: StoreProduct): ProductModel {
	const titles = new Map(product.options.map((option) => [option.id, option.title]));
	return {
		options: product.options.map((option) => ({
			title: option.title,
			values: [...new Set(option.values.map((v) => v.value))],
		})),
		variants: product.variants.map((variant) => ({
			id: variant.id,
			options: Object.fromEntries(variant.options.map((o) => [titles.get(o.option_id) ?? o.option_id, o.value])),
			stock: availableQuantity(variant),
		})),
	};
}

/** True when no variant with this value of the option can be bought. */
export function isValueSoldOut(model: ProductModel, title: string, value: string): boolean {
	return model.variants.every((variant) => variant.options[title] !== value || variant.stock <= 0);
}

/** Keeps chosen values that still exist; otherwise picks the first value that is not sold out (else the first). */
export function normalizeSelection(model: ProductModel, chosen: Selection): Selection {
	const selection: Selection = {};
	for (const { title, values } of model.options) {
		selection[title] = values.includes(chosen[title])
			? chosen[title]
			: (values.find((value) => !isValueSoldOut(model, title, value)) ?? values[0]);
	}
	return selection;
}

/** The variant matching every chosen value, if that combination exists. */
export function selectedVariant(
	model: ProductModel,
	selection: Selection,
): ProductModel['variants'][number] | undefined {
	return model.variants.find((variant) =>
		model.options.every(({ title }) => variant.options[title] === selection[title]),
	);
}

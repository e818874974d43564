import { describe, expect, it } from 'vitest';
import { availableQuantity, stockBadge } from '../../plugins/commerce/src/client/availability.ts';
import type { StoreProduct, StoreVariant } from '../../plugins/commerce/src/client/types.ts';
import type { ProductModel } from '../../plugins/commerce/src/components/product-model.ts';
import {
	isValueSoldOut,
	modelFromProduct,
	normalizeSelection,
	selectedVariant,
} from '../../plugins/commerce/src/components/product-model.ts';

const variant = (id: string, size: string, color: string, stock: number): StoreVariant => ({
	id,
	title: `${size} / ${color}`,
	inventory_quantity: stock,
	manage_inventory: true,
	allow_backorder: false,
	purchasable: true,
	options: [
		{ option_id: 'opt_size', value: size },
		{ option_id: 'opt_color', value: color },
	],
});

const jacket: StoreProduct = {
	id: 'prod_1',
	title: 'Jacket',
	handle: 'jacket',
	options: [
		{ id: 'opt_size', title: 'Size', values: [{ value: 'S' }, { value: 'M' }, { value: 'S' }] },
		{ id: 'opt_color', title: 'Color', values: [{ value: 'Navy' }, { value: 'Gold' }] },
	],
	variants: [
		variant('v1', 'S', 'Navy', 0),
		variant('v2', 'M', 'Navy', 4),
		variant('v3', 'M', 'Gold', 12),
		variant('v4', 'S', 'Gold', 0),
	],
};

describe('product model', () => {
	it('resolves option ids to titles and dedupes values', () => {
		const model = modelFromProduct(jacket);
		expect(model.options).toEqual([
			{ title: 'Size', values: ['S', 'M'] },
			{ title: 'Color', values: ['Navy', 'Gold'] },
		]);
		expect(model.variants[1]).toEqual({ id: 'v2', options: { Size: 'M', Color: 'Navy' }, stock: 4 });
	});

	it('starts on the first value that is not sold out and keeps valid choices', () => {
		const model = modelFromProduct(jacket);
		expect(isValueSoldOut(model, 'Size', 'S')).toBe(true);
		expect(normalizeSelection(model, {})).toEqual({ Size: 'M', Color: 'Navy' });
		expect(normalizeSelection(model, { Size: 'M', Color: 'Gold' })).toEqual({ Size: 'M', Color: 'Gold' });
		expect(normalizeSelection(model, { Size: 'XXL' }).Size).toBe('M');
		expect(selectedVariant(model, { Size: 'M', Color: 'Gold' })?.id).toBe('v3');
	});

	it('maps build-time data (no ids) and a single-variant product without options', () => {
		const initial: ProductModel = { options: [], variants: [{ options: {}, stock: 40 }] };
		expect(selectedVariant(initial, normalizeSelection(initial, {}))).toEqual({ options: {}, stock: 40 });
	});
});

describe('availability', () => {
	it('labels stock like the static pages', () => {
		expect(stockBadge(0)).toEqual({ status: 'sold_out', label: 'Sold out' });
		expect(stockBadge(5)).toEqual({ status: 'low_stock', label: 'Only 5 left' });
		expect(stockBadge(6)).toEqual({ status: 'in_stock', label: 'In stock' });
		expect(stockBadge(Number.POSITIVE_INFINITY).status).toBe('in_stock');
	});

	it('treats untracked stock and backorders as available and unpurchasable variants as sold out', () => {
		const base = variant('v', 'S', 'Navy', 0);
		expect(availableQuantity(base)).toBe(0);
		expect(availableQuantity({ ...base, inventory_quantity: -2 })).toBe(0);
		expect(availableQuantity({ ...base, allow_backorder: true })).toBe(Number.POSITIVE_INFINITY);
		expect(availableQuantity({ ...base, manage_inventory: false })).toBe(Number.POSITIVE_INFINITY);
		expect(availableQuantity({ ...base, inventory_quantity: 9, purchasable: false })).toBe(0);
	});
});

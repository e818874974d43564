import type { PricingDiscount, PricingLine } from '../../plugins/commerce/src/core/pricing/index.ts';

/** A cart line for pricing tests; product and category default to a per-line product in "mugs". */
export function line(
	id: string,
	unitPrice: number,
	quantity: number,
	productId = `p-${id}`,
	categoryId = 'mugs',
): PricingLine {
	return { id, unitPrice, quantity, productId, categoryId };
}

/** FROSTBURG10 (10 %, every line) unless overridden. */
export function discount(overrides: Partial<PricingDiscount> = {}): PricingDiscount {
	return {
		id: 'd1',
		code: 'FROSTBURG10',
		type: 'percentage',
		value: 10,
		maxAmount: null,
		productIds: null,
		categoryIds: null,
		...overrides,
	};
}

import { describe, expect, it } from 'vitest';
import {
	computeCartTotals,
	discountAmount,
	type PricingInput,
	shippingOptionAvailable,
} from '../../plugins/commerce/src/core/pricing/index.ts';
import { discount, line } from '../helpers/pricing-fixtures.ts';

const freeShip = discount({ id: 'fs', code: 'FREESHIP', type: 'free_shipping', value: 0 });

function input(overrides: Partial<PricingInput> = {}): PricingInput {
	return { lines: [], discounts: [], shipping: null, taxRate: 0, ...overrides };
}

describe('computeCartTotals', () => {
	it('returns all zeros for an empty cart', () => {
		expect(computeCartTotals(input({ taxRate: 20, discounts: [discount()] }))).toEqual({
			lines: [],
			shipping: null,
			subtotal: 0,
			discountTotal: 0,
			itemTaxTotal: 0,
			shippingTotal: 0,
			shippingTaxTotal: 0,
			taxTotal: 0,
			giftCardTotal: 0,
			giftCardDraws: [],
			total: 0,
		});
	});

	it('lets gift cards pay the taxed total, in the order applied, each only as far as needed', () => {
		const base = input({ lines: [line('a', 1000, 2)], taxRate: 10, shipping: { id: 'so', price: 500 } });
		// 2000 + 200 tax + 500 shipping + 50 shipping tax = 2750
		expect(computeCartTotals(base).total).toBe(2750);
		const paid = computeCartTotals({
			...base,
			giftCards: [
				{ id: 'g1', balance: 1000 },
				{ id: 'g2', balance: 5000 },
				{ id: 'g3', balance: 700 },
			],
		});
		expect(paid).toMatchObject({ taxTotal: 250, giftCardTotal: 2750, total: 0 });
		expect(paid.giftCardDraws).toEqual([
			{ id: 'g1', amount: 1000 },
			{ id: 'g2', amount: 1750 },
		]);
		const part = computeCartTotals({ ...base, giftCards: [{ id: 'g1', balance: 999 }] });
		expect(part).toMatchObject({ giftCardTotal: 999, total: 2750 - 999 });
		expect(() => computeCartTotals({ ...base, giftCards: [{ id: 'bad', balance: -1 }] })).toThrow(RangeError);
	});

	it('computes a plain cart with tax on top of prices', () => {
		const totals = computeCartTotals(input({ lines: [line('a', 1999, 2)], taxRate: 6 }));
		expect(totals.lines).toEqual([
			{
				id: 'a',
				subtotal: 3998,
				discountTotal: 0,
				adjustments: [],
				taxTotal: 240, // 239.88
				total: 4238,
				originalTotal: 4238,
				originalTaxTotal: 240,
			},
		]);
		expect(totals).toMatchObject({ subtotal: 3998, itemTaxTotal: 240, taxTotal: 240, total: 4238 });
	});

	it('rounds tax per line, which can differ from rounding the sum', () => {
		// 6% of 1025 = 61.5 → 62 per line, 124 in all; 6% of 2050 would be exactly 123
		const six = computeCartTotals(input({ lines: [line('a', 1025, 1), line('b', 1025, 1)], taxRate: 6 }));
		expect(six.lines.map((l) => l.taxTotal)).toEqual([62, 62]);
		expect(six.itemTaxTotal).toBe(124);
		expect(six.total).toBe(2050 + 124);
		// 8.875% of 1008 = 89.46 → 89 per line, 267 in all; 8.875% of 3024 = 268.38 would be 268
		const lines = [line('a', 1008, 1), line('b', 1008, 1), line('c', 1008, 1)];
		const nyc = computeCartTotals(input({ lines, taxRate: 8.875 }));
		expect(nyc.lines.map((l) => l.taxTotal)).toEqual([89, 89, 89]);
		expect(nyc.taxTotal).toBe(267);
	});

	it('applies FROSTBURG10 before tax, prorated over lines, and taxes shipping once', () => {
		const totals = computeCartTotals(
			input({
				lines: [line('a', 2500, 1), line('b', 1250, 2)],
				discounts: [discount()],
				shipping: { id: 'std', price: 499 },
				taxRate: 20,
			}),
		);
		expect(totals.lines.map((l) => [l.subtotal, l.discountTotal, l.taxTotal, l.total])).toEqual([
			[2500, 250, 450, 2700],
			[2500, 250, 450, 2700],
		]);
		expect(totals.lines[0]?.adjustments).toEqual([{ discountId: 'd1', code: 'FROSTBURG10', amount: 250 }]);
		expect(totals.lines[0]).toMatchObject({ originalTaxTotal: 500, originalTotal: 3000 });
		expect(totals.shipping).toEqual({ id: 'std', originalPrice: 499, price: 499, taxTotal: 100, total: 599 }); // 99.8
		expect(totals).toMatchObject({
			subtotal: 5000,
			discountTotal: 500,
			itemTaxTotal: 900,
			shippingTotal: 499,
			shippingTaxTotal: 100,
			taxTotal: 1000,
			total: 5999,
		});
	});

	it('caps a percentage discount at maxAmount', () => {
		const capped = discount({ value: 25, maxAmount: 2000 }); // 25% of 200.00 would be 50.00
		const totals = computeCartTotals(input({ lines: [line('a', 20_000, 1)], discounts: [capped] }));
		expect(totals.discountTotal).toBe(2000);
		expect(totals.total).toBe(18_000);
	});

	it('caps a fixed discount larger than the goods at the eligible subtotal', () => {
		const totals = computeCartTotals(
			input({
				lines: [line('a', 300, 1, 'sticker'), line('b', 4000, 1, 'hoodie')],
				discounts: [discount({ type: 'fixed', value: 500, code: 'WELCOME5', productIds: ['sticker'] })],
				taxRate: 6,
			}),
		);
		expect(totals.lines.map((l) => l.discountTotal)).toEqual([300, 0]);
		expect(totals.lines.map((l) => l.taxTotal)).toEqual([0, 240]);
		expect(totals.lines[1]?.adjustments).toEqual([]);
		expect(totals).toMatchObject({ subtotal: 4300, discountTotal: 300, taxTotal: 240, total: 4240 });
	});

	it('restricts a discount by category; ineligible lines keep their full price and tax', () => {
		const totals = computeCartTotals(
			input({
				lines: [line('a', 1000, 1, 'mug', 'kitchen'), line('b', 3000, 1, 'shirt', 'apparel')],
				discounts: [discount({ categoryIds: ['apparel'] })],
				taxRate: 20,
			}),
		);
		expect(totals.lines.map((l) => [l.discountTotal, l.taxTotal, l.total])).toEqual([
			[0, 200, 1200],
			[300, 540, 3240],
		]);
		expect(totals.discountTotal).toBe(300);
	});

	it('makes shipping free with FREESHIP alone, without counting it as a discount', () => {
		const totals = computeCartTotals(
			input({ lines: [line('a', 1500, 1)], discounts: [freeShip], shipping: { id: 'std', price: 599 }, taxRate: 20 }),
		);
		expect(totals.shipping).toEqual({ id: 'std', originalPrice: 599, price: 0, taxTotal: 0, total: 0 });
		expect(totals).toMatchObject({
			discountTotal: 0,
			shippingTotal: 0,
			shippingTaxTotal: 0,
			taxTotal: 300,
			total: 1800,
		});
	});

	it('combines FREESHIP with a percentage code', () => {
		const totals = computeCartTotals(
			input({
				lines: [line('a', 4000, 1)],
				discounts: [freeShip, discount()],
				shipping: { id: 'std', price: 599 },
				taxRate: 6,
			}),
		);
		expect(totals.lines[0]?.adjustments).toEqual([{ discountId: 'd1', code: 'FROSTBURG10', amount: 400 }]);
		expect(totals).toMatchObject({
			subtotal: 4000,
			discountTotal: 400,
			shippingTotal: 0,
			itemTaxTotal: 216,
			shippingTaxTotal: 0,
			total: 3816,
		});
	});

	it('adds no tax in a zero-tax region', () => {
		const totals = computeCartTotals(
			input({ lines: [line('a', 1999, 3)], discounts: [discount()], shipping: { id: 'std', price: 500 }, taxRate: 0 }),
		);
		expect(totals).toMatchObject({
			subtotal: 5997,
			discountTotal: 600,
			itemTaxTotal: 0,
			shippingTaxTotal: 0,
			taxTotal: 0,
		});
		expect(totals.total).toBe(5997 - 600 + 500);
		expect(totals.lines[0]).toMatchObject({ originalTaxTotal: 0, originalTotal: 5997 });
	});

	it('charges only shipping for an empty cart with a shipping method', () => {
		const totals = computeCartTotals(input({ shipping: { id: 'std', price: 500 }, taxRate: 20 }));
		expect(totals).toMatchObject({ subtotal: 0, shippingTotal: 500, shippingTaxTotal: 100, total: 600 });
	});

	it('handles free items and a 100% discount', () => {
		const totals = computeCartTotals(
			input({ lines: [line('a', 0, 5), line('b', 1234, 1)], discounts: [discount({ value: 100 })], taxRate: 20 }),
		);
		expect(totals.lines.map((l) => [l.discountTotal, l.taxTotal, l.total])).toEqual([
			[0, 0, 0],
			[1234, 0, 0],
		]);
		expect(totals.total).toBe(0);
	});

	it.each<[string, Partial<PricingInput>, RegExp]>([
		['negative unit price', { lines: [line('a', -1, 1)] }, /line a: unitPrice/],
		['fractional unit price', { lines: [line('a', 9.99, 1)] }, /line a: unitPrice/],
		['zero quantity', { lines: [line('a', 100, 0)] }, /line a: quantity/],
		['fractional quantity', { lines: [line('a', 100, 1.5)] }, /line a: quantity/],
		['NaN unit price', { lines: [line('a', Number.NaN, 1)] }, /unitPrice/],
		['overflowing subtotal', { lines: [line('a', 2 ** 40, 2 ** 20)] }, /too large/],
		['duplicate line ids', { lines: [line('a', 100, 1), line('a', 200, 1)] }, /line a appears twice/],
		['negative shipping', { shipping: { id: 'std', price: -5 } }, /shipping std: price/],
		['fractional shipping', { shipping: { id: 'std', price: 4.99 } }, /shipping std: price/],
		['negative tax rate', { taxRate: -1 }, /taxRate/],
		['tax rate above 100', { taxRate: 100.1 }, /taxRate/],
		['NaN tax rate', { taxRate: Number.NaN }, /taxRate/],
		['invalid percentage', { lines: [line('a', 100, 1)], discounts: [discount({ value: 150 })] }, /percentage/],
		[
			'two line discounts',
			{ lines: [line('a', 100, 1)], discounts: [discount(), discount({ id: 'd2', code: 'WELCOME5', type: 'fixed' })] },
			/only one/,
		],
	])('throws a RangeError for %s', (_name, overrides, message) => {
		expect(() => computeCartTotals(input(overrides))).toThrow(RangeError);
		expect(() => computeCartTotals(input(overrides))).toThrow(message);
	});
});

describe('shippingOptionAvailable', () => {
	const freeOver35 = { minSubtotal: 3500, maxSubtotal: null };
	const standardUnder35 = { minSubtotal: null, maxSubtotal: 3499 };

	it('offers free shipping from exactly $35.00 of goods', () => {
		expect(shippingOptionAvailable(freeOver35, 3499)).toBe(false);
		expect(shippingOptionAvailable(freeOver35, 3500)).toBe(true);
		expect(shippingOptionAvailable(freeOver35, 100_000)).toBe(true);
	});

	it('offers the paid option up to and including its maximum', () => {
		expect(shippingOptionAvailable(standardUnder35, 0)).toBe(true);
		expect(shippingOptionAvailable(standardUnder35, 3499)).toBe(true);
		expect(shippingOptionAvailable(standardUnder35, 3500)).toBe(false);
	});

	it('treats missing or null bounds as unbounded', () => {
		expect(shippingOptionAvailable({}, 0)).toBe(true);
		expect(shippingOptionAvailable({ minSubtotal: undefined, maxSubtotal: undefined }, 99_999_999)).toBe(true);
		expect(shippingOptionAvailable({ minSubtotal: 1000, maxSubtotal: 2000 }, 1500)).toBe(true);
	});

	it('is decided on goods after discount: $38.00 of goods minus 10% is $34.20, below the free threshold', () => {
		const subtotal = 3800;
		const goodsTotal = subtotal - discountAmount(discount(), subtotal);
		expect(goodsTotal).toBe(3420);
		expect(shippingOptionAvailable(freeOver35, goodsTotal)).toBe(false);
	});
});

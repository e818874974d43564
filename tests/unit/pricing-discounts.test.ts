import { describe, expect, it } from 'vitest';
import {
	applyDiscounts,
	checkDiscountApplies,
	checkDiscountUsable,
	type DiscountContext,
	type DiscountState,
	discountAmount,
	eligibleLines,
	type PricingLine,
} from '../../plugins/commerce/src/core/pricing/index.ts';
import { discount, line } from '../helpers/pricing-fixtures.ts';

describe('eligibleLines', () => {
	const lines = [
		line('a', 1000, 1, 'mug', 'kitchen'),
		line('b', 2000, 1, 'shirt', 'apparel'),
		line('c', 500, 2, 'cap', 'apparel'),
	];

	it('takes every line without restrictions', () => {
		expect(eligibleLines(discount(), lines).map((l) => l.id)).toEqual(['a', 'b', 'c']);
	});

	it('restricts by product', () => {
		expect(eligibleLines(discount({ productIds: ['shirt'] }), lines).map((l) => l.id)).toEqual(['b']);
	});

	it('restricts by category', () => {
		expect(eligibleLines(discount({ categoryIds: ['apparel'] }), lines).map((l) => l.id)).toEqual(['b', 'c']);
	});

	it('takes lines matching the product OR the category', () => {
		const d = discount({ productIds: ['mug'], categoryIds: ['nothing'] });
		expect(eligibleLines(d, lines).map((l) => l.id)).toEqual(['a']);
		const both = discount({ productIds: ['mug'], categoryIds: ['apparel'] });
		expect(eligibleLines(both, lines).map((l) => l.id)).toEqual(['a', 'b', 'c']);
	});

	it('treats an empty list as a restriction matching nothing', () => {
		expect(eligibleLines(discount({ productIds: [] }), lines)).toEqual([]);
	});
});

describe('discountAmount', () => {
	it.each([
		{ d: discount({ value: 10 }), eligibleSubtotal: 5000, expected: 500 },
		{ d: discount({ value: 12.5 }), eligibleSubtotal: 1999, expected: 250 }, // 249.875
		{ d: discount({ value: 10 }), eligibleSubtotal: 1005, expected: 101 }, // 100.5 rounds half away from zero
		{ d: discount({ value: 10 }), eligibleSubtotal: 1004, expected: 100 }, // 100.4
		{ d: discount({ value: 100 }), eligibleSubtotal: 4321, expected: 4321 },
		{ d: discount({ value: 15, maxAmount: 1000 }), eligibleSubtotal: 10_000, expected: 1000 }, // 1500 capped at 1000
		{ d: discount({ value: 15, maxAmount: 2000 }), eligibleSubtotal: 10_000, expected: 1500 }, // cap not reached
		{ d: discount({ type: 'fixed', value: 500 }), eligibleSubtotal: 3000, expected: 500 },
		{ d: discount({ type: 'fixed', value: 500 }), eligibleSubtotal: 300, expected: 300 }, // never more than the goods
		{ d: discount({ type: 'fixed', value: 5000, maxAmount: 1000 }), eligibleSubtotal: 3000, expected: 1000 },
		{ d: discount({ type: 'fixed', value: 5000, maxAmount: 4000 }), eligibleSubtotal: 3000, expected: 3000 },
		{ d: discount({ type: 'fixed', value: 500 }), eligibleSubtotal: 0, expected: 0 },
		{ d: discount({ type: 'free_shipping', value: 0 }), eligibleSubtotal: 3000, expected: 0 },
		{ d: discount({ value: 10, maxAmount: 0 }), eligibleSubtotal: 3000, expected: 0 },
	])('$d.type $d.value, cap $d.maxAmount, on $eligibleSubtotal → $expected', ({ d, eligibleSubtotal, expected }) => {
		expect(discountAmount(d, eligibleSubtotal)).toBe(expected);
	});

	it('rejects invalid discounts and subtotals', () => {
		expect(() => discountAmount(discount({ value: 0 }), 100)).toThrow(/percentage/);
		expect(() => discountAmount(discount({ value: 100.5 }), 100)).toThrow(RangeError);
		expect(() => discountAmount(discount({ type: 'fixed', value: -1 }), 100)).toThrow(/fixed amount/);
		expect(() => discountAmount(discount({ type: 'fixed', value: 1.5 }), 100)).toThrow(RangeError);
		expect(() => discountAmount(discount({ maxAmount: -5 }), 100)).toThrow(/maxAmount/);
		expect(() => discountAmount(discount(), -1)).toThrow(/eligible subtotal/);
		expect(() => discountAmount(discount(), 10.5)).toThrow(RangeError);
	});
});

describe('applyDiscounts', () => {
	it('prorates a percentage over lines by subtotal, summing exactly', () => {
		// 10% of 3333 = 333.3 → 333, split over 1111 × 3 → 111 each
		const lines = [line('a', 1111, 1), line('b', 1111, 1), line('c', 1111, 1)];
		const adjustments = applyDiscounts(lines, [discount()]);
		expect(adjustments).toEqual([
			[{ discountId: 'd1', code: 'FROSTBURG10', amount: 111 }],
			[{ discountId: 'd1', code: 'FROSTBURG10', amount: 111 }],
			[{ discountId: 'd1', code: 'FROSTBURG10', amount: 111 }],
		]);
	});

	it('gives the leftover unit of a fixed amount to the largest remainder, ties to the first line', () => {
		const d = discount({ type: 'fixed', value: 100, code: 'WELCOME5' });
		const amounts = (lines: PricingLine[]): number[] => applyDiscounts(lines, [d]).map((adj) => adj[0]?.amount ?? 0);
		expect(amounts([line('a', 1000, 1), line('b', 1000, 1), line('c', 1000, 1)])).toEqual([34, 33, 33]);
		// 100 × 1000/3000, 100 × 2000/3000 = 33.33, 66.67 → the larger remainder is line b
		expect(amounts([line('a', 1000, 1), line('b', 1000, 2)])).toEqual([33, 67]);
	});

	it('caps a fixed amount at the eligible subtotal and never takes more than a line is worth', () => {
		const lines = [line('a', 150, 1), line('b', 350, 1)];
		const adjustments = applyDiscounts(lines, [discount({ type: 'fixed', value: 5000 })]);
		expect(adjustments.map((adj) => adj[0]?.amount)).toEqual([150, 350]);
	});

	it('leaves ineligible lines without adjustment (product restriction)', () => {
		const lines = [line('a', 2000, 1, 'mug'), line('b', 3000, 1, 'shirt')];
		const adjustments = applyDiscounts(lines, [discount({ productIds: ['shirt'] })]);
		expect(adjustments).toEqual([[], [{ discountId: 'd1', code: 'FROSTBURG10', amount: 300 }]]);
	});

	it('leaves ineligible lines without adjustment (category restriction)', () => {
		const lines = [
			line('a', 2000, 1, 'mug', 'kitchen'),
			line('b', 3000, 1, 'shirt', 'apparel'),
			line('c', 1000, 1, 'cap', 'apparel'),
		];
		const fixed = discount({ type: 'fixed', value: 1000, categoryIds: ['apparel'] });
		const adjustments = applyDiscounts(lines, [fixed]);
		expect(adjustments.map((adj) => adj.map((a) => a.amount))).toEqual([[], [750], [250]]);
	});

	it('omits zero-amount adjustments', () => {
		const lines = [line('a', 0, 3), line('b', 1000, 1)];
		expect(applyDiscounts(lines, [discount()])).toEqual([[], [{ discountId: 'd1', code: 'FROSTBURG10', amount: 100 }]]);
		expect(applyDiscounts(lines, [discount({ productIds: ['nothing'] })])).toEqual([[], []]);
	});

	it('makes no line adjustments for free shipping, alone or next to a percentage code', () => {
		const lines = [line('a', 2000, 1)];
		const free = discount({ id: 'fs', code: 'FREESHIP', type: 'free_shipping', value: 0 });
		expect(applyDiscounts(lines, [free])).toEqual([[]]);
		expect(applyDiscounts(lines, [free, discount()])).toEqual([
			[{ discountId: 'd1', code: 'FROSTBURG10', amount: 200 }],
		]);
	});

	it('refuses two line discounts', () => {
		const second = discount({ id: 'd2', code: 'WELCOME5', type: 'fixed', value: 500 });
		expect(() => applyDiscounts([line('a', 2000, 1)], [discount(), second])).toThrow(/FROSTBURG10, WELCOME5/);
	});

	it('returns nothing for an empty cart', () => {
		expect(applyDiscounts([], [discount({ type: 'fixed', value: 500 })])).toEqual([]);
	});
});

describe('checkDiscountUsable', () => {
	const base: DiscountState = {
		code: 'FROSTBURG10',
		isDisabled: false,
		startsAt: new Date('2026-01-01T00:00:00Z'),
		endsAt: new Date('2026-02-01T00:00:00Z'),
		usageLimit: 100,
		usageCount: 5,
		perCustomerLimit: 1,
		minSubtotal: 2500,
		currency: 'usd',
	};
	const ctx: DiscountContext = {
		now: new Date('2026-01-15T12:00:00Z'),
		currency: 'usd',
		subtotal: 5000,
		customerUsage: 0,
	};

	it('accepts a usable code', () => {
		expect(checkDiscountUsable(base, ctx)).toEqual({ ok: true });
	});

	it('accepts a code without any limits', () => {
		const open: DiscountState = {
			...base,
			startsAt: null,
			endsAt: null,
			usageLimit: null,
			perCustomerLimit: null,
			minSubtotal: null,
			currency: null,
		};
		expect(checkDiscountUsable(open, { ...ctx, currency: 'eur', subtotal: 0, customerUsage: 99 })).toEqual({
			ok: true,
		});
	});

	it('refuses a disabled code', () => {
		expect(checkDiscountUsable({ ...base, isDisabled: true }, ctx)).toEqual({
			ok: false,
			code: 'discount_disabled',
			message: 'The code FROSTBURG10 is no longer active. Remove it or try another code.',
		});
	});

	it('refuses a code before it starts, and accepts it at the exact start', () => {
		expect(checkDiscountUsable(base, { ...ctx, now: new Date('2025-12-31T23:59:59Z') })).toEqual({
			ok: false,
			code: 'discount_not_started',
			message: 'The code FROSTBURG10 starts on 2026-01-01. Try again then.',
		});
		expect(checkDiscountUsable(base, { ...ctx, now: new Date('2026-01-01T00:00:00Z') })).toEqual({ ok: true });
	});

	it('treats endsAt as exclusive and names the last day the code worked', () => {
		expect(checkDiscountUsable(base, { ...ctx, now: new Date('2026-01-31T23:59:59.999Z') })).toEqual({ ok: true });
		const expected = {
			ok: false,
			code: 'discount_expired',
			message: 'The code FROSTBURG10 has expired: its last day was 2026-01-31 (UTC).',
		};
		expect(checkDiscountUsable(base, { ...ctx, now: new Date('2026-02-01T00:00:00Z') })).toEqual(expected);
		expect(checkDiscountUsable(base, { ...ctx, now: new Date('2026-03-10T00:00:00Z') })).toEqual(expected);
		const midday = { ...base, endsAt: new Date('2026-02-10T12:00:00Z') };
		const late = checkDiscountUsable(midday, { ...ctx, now: new Date('2026-02-11T00:00:00Z') });
		expect(late).toMatchObject({ message: 'The code FROSTBURG10 has expired: its last day was 2026-02-10 (UTC).' });
	});

	it('refuses a used-up code at exactly the limit', () => {
		expect(checkDiscountUsable({ ...base, usageCount: 99 }, ctx)).toEqual({ ok: true });
		expect(checkDiscountUsable({ ...base, usageCount: 100 }, ctx)).toEqual({
			ok: false,
			code: 'discount_used_up',
			message: 'The code FROSTBURG10 has been fully redeemed. Try another code.',
		});
	});

	it('refuses a code in another currency, ignoring case', () => {
		expect(checkDiscountUsable({ ...base, currency: 'EUR' }, ctx)).toEqual({
			ok: false,
			code: 'discount_currency',
			message: 'The code FROSTBURG10 only works for orders in EUR. Switch region or try another code.',
		});
		expect(checkDiscountUsable({ ...base, currency: 'USD' }, ctx)).toEqual({ ok: true });
	});

	it('refuses a customer who reached the per-customer limit, skips the check while unknown', () => {
		expect(checkDiscountUsable(base, { ...ctx, customerUsage: 1 })).toEqual({
			ok: false,
			code: 'discount_customer_limit',
			message: 'The code FROSTBURG10 can be used once per customer and you have already used it. Try another code.',
		});
		const three = checkDiscountUsable({ ...base, perCustomerLimit: 3 }, { ...ctx, customerUsage: 3 });
		expect(three).toMatchObject({ message: expect.stringContaining('can be used 3 times per customer') });
		expect(checkDiscountUsable({ ...base, perCustomerLimit: 3 }, { ...ctx, customerUsage: 2 })).toEqual({ ok: true });
		expect(checkDiscountUsable(base, { ...ctx, customerUsage: null })).toEqual({ ok: true });
	});

	it('refuses an order below the minimum subtotal and says how much to add', () => {
		const welcome = { ...base, code: 'WELCOME5' };
		expect(checkDiscountUsable(welcome, { ...ctx, subtotal: 2199 })).toEqual({
			ok: false,
			code: 'discount_min_subtotal',
			message: 'WELCOME5 needs an order of at least $25.00 before discounts; add $3.01 more.',
		});
		expect(checkDiscountUsable(welcome, { ...ctx, subtotal: 2500 })).toEqual({ ok: true });
	});

	it('formats the minimum in the discount currency, or the cart currency when the code has none', () => {
		const eur = checkDiscountUsable({ ...base, currency: 'eur' }, { ...ctx, currency: 'eur', subtotal: 1000 });
		expect(eur).toMatchObject({
			message: 'FROSTBURG10 needs an order of at least €25.00 before discounts; add €15.00 more.',
		});
		const anyCurrency = checkDiscountUsable({ ...base, currency: null }, { ...ctx, currency: 'gbp', subtotal: 2499 });
		expect(anyCurrency).toMatchObject({
			message: 'FROSTBURG10 needs an order of at least £25.00 before discounts; add £0.01 more.',
		});
	});

	it('checks in order: disabled, not started, expired, used up, currency, customer limit, min subtotal', () => {
		const everything: DiscountState = { ...base, isDisabled: true, usageCount: 100, currency: 'eur' };
		const tooEarly = { ...ctx, now: new Date('2025-06-01T00:00:00Z'), customerUsage: 5, subtotal: 0 };
		const tooLate = { ...tooEarly, now: new Date('2026-06-01T00:00:00Z') };
		const codeOf = (d: DiscountState, c: DiscountContext): string => {
			const result = checkDiscountUsable(d, c);
			return result.ok ? 'ok' : result.code;
		};
		expect(codeOf(everything, tooEarly)).toBe('discount_disabled');
		const enabled = { ...everything, isDisabled: false };
		expect(codeOf(enabled, tooEarly)).toBe('discount_not_started');
		expect(codeOf(enabled, tooLate)).toBe('discount_expired');
		const inWindow = { ...tooEarly, now: ctx.now };
		expect(codeOf(enabled, inWindow)).toBe('discount_used_up');
		expect(codeOf({ ...enabled, usageCount: 0 }, inWindow)).toBe('discount_currency');
		expect(codeOf({ ...enabled, usageCount: 0, currency: null }, inWindow)).toBe('discount_customer_limit');
		expect(codeOf({ ...enabled, usageCount: 0, currency: null }, { ...inWindow, customerUsage: 0 })).toBe(
			'discount_min_subtotal',
		);
	});
});

describe('checkDiscountApplies (a code must take something off to be added)', () => {
	const tote = [line('tote', 1799, 1, 'tote', 'accessories')];

	it('refuses a category code when the cart holds nothing of that category, naming the code', () => {
		const result = checkDiscountApplies(discount({ code: 'APPAREL20', categoryIds: ['apparel'] }), tote);
		expect(result).toEqual({
			ok: false,
			code: 'discount_not_applicable',
			message: 'The code APPAREL20 does not apply to any item in your cart, so it was not added.',
		});
	});

	it('accepts it once an eligible line is in the cart', () => {
		const withShirt = [...tote, line('shirt', 2000, 1, 'shirt', 'apparel')];
		expect(checkDiscountApplies(discount({ categoryIds: ['apparel'] }), withShirt)).toEqual({ ok: true });
	});

	it('refuses a code whose amount comes to zero', () => {
		const result = checkDiscountApplies(discount({ type: 'fixed', value: 0 }), tote);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.message).toMatch(/takes nothing off/);
	});

	it('always accepts free shipping (it acts on shipping, not on lines)', () => {
		expect(checkDiscountApplies(discount({ type: 'free_shipping', categoryIds: ['apparel'] }), tote)).toEqual({
			ok: true,
		});
	});
});

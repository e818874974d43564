import { describe, expect, it } from 'vitest';
import {
	type CartTotals,
	computeCartTotals,
	type DiscountType,
	discountAmount,
	eligibleLines,
	type PricingDiscount,
	type PricingInput,
	type PricingLine,
} from '../../plugins/commerce/src/core/pricing/index.ts';

/** mulberry32: a tiny seeded PRNG, so every random cart is reproducible from its seed alone. */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const PRODUCTS = ['mug', 'shirt', 'cap', 'sticker', 'hoodie'];
const CATEGORIES = ['kitchen', 'apparel', 'stationery'];
const TAX_RATES = [0, 6, 8.875, 20];
const BASE_SEED = 0x5eed_2026;
const CARTS = 5000;

function randomCart(seed: number): PricingInput {
	const random = mulberry32(seed);
	const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
	const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
	const chance = (p: number): boolean => random() < p;
	const subset = (items: string[]): string[] => items.filter(() => chance(0.4));

	const lines: PricingLine[] = Array.from({ length: int(1, 8) }, (_, index) => ({
		id: `line-${index}`,
		// Some very cheap and free lines so proration meets zero weights and tiny remainders.
		unitPrice: chance(0.1) ? int(0, 3) : int(0, 50_000),
		quantity: chance(0.5) ? int(1, 3) : int(1, 999),
		productId: pick(PRODUCTS),
		categoryId: pick(CATEGORIES),
	}));

	const randomDiscount = (id: string, type: DiscountType): PricingDiscount => {
		const restricted = chance(0.4);
		return {
			id,
			code: id.toUpperCase(),
			type,
			value: type === 'percentage' ? pick([int(1, 100), int(1, 1000) / 10, 12.5, 33.333]) : int(0, 200_000),
			maxAmount: chance(0.3) ? int(0, 100_000) : null,
			productIds: restricted && chance(0.6) ? subset(PRODUCTS) : null,
			categoryIds: restricted && chance(0.6) ? subset(CATEGORIES) : null,
		};
	};
	const discounts: PricingDiscount[] = [];
	const lineDiscount = pick<DiscountType | null>([null, 'percentage', 'fixed']);
	if (lineDiscount !== null) discounts.push(randomDiscount('line-code', lineDiscount));
	if (chance(0.3)) discounts.push(randomDiscount('ship-code', 'free_shipping'));

	return {
		lines,
		discounts,
		shipping: chance(0.7) ? { id: 'ship', price: int(0, 5000) } : null,
		taxRate: pick(TAX_RATES),
	};
}

/**
 * Returns the invariants a random cart breaks, each prefixed with its seed. Plain comparisons instead of
 * `expect` per check keep 5,000 carts well under a second.
 */
function violatedInvariants(seed: number): string[] {
	const cart = randomCart(seed);
	let totals: CartTotals;
	try {
		totals = computeCartTotals(cart);
	} catch (error) {
		return [`seed ${seed}: computeCartTotals threw ${String(error)}`];
	}
	const violations: string[] = [];
	const check = (holds: boolean, what: string): void => {
		if (!holds) violations.push(`seed ${seed}: ${what}`);
	};
	const sum = (values: number[]): number => values.reduce((acc, value) => acc + value, 0);

	const numbers: [string, number][] = [
		['subtotal', totals.subtotal],
		['discountTotal', totals.discountTotal],
		['itemTaxTotal', totals.itemTaxTotal],
		['shippingTotal', totals.shippingTotal],
		['shippingTaxTotal', totals.shippingTaxTotal],
		['taxTotal', totals.taxTotal],
		['total', totals.total],
	];
	for (const l of totals.lines) {
		for (const key of [
			'subtotal',
			'discountTotal',
			'taxTotal',
			'total',
			'originalTotal',
			'originalTaxTotal',
		] as const) {
			numbers.push([`${l.id}.${key}`, l[key]]);
		}
		for (const adjustment of l.adjustments) numbers.push([`${l.id}.adjustment`, adjustment.amount]);
	}
	if (totals.shipping) {
		const { originalPrice, price, taxTotal, total } = totals.shipping;
		numbers.push(['shipping.originalPrice', originalPrice], ['shipping.price', price]);
		numbers.push(['shipping.taxTotal', taxTotal], ['shipping.total', total]);
	}
	for (const [name, value] of numbers) {
		check(Number.isSafeInteger(value), `${name} = ${value} is not an integer`);
		check(value >= 0, `${name} = ${value} is negative`);
	}

	const { subtotal, shippingTotal, taxTotal, discountTotal, total } = totals;
	check(
		total === subtotal + shippingTotal + taxTotal - discountTotal,
		`total ${total} ≠ subtotal ${subtotal} + shipping ${shippingTotal} + tax ${taxTotal} − discount ${discountTotal}`,
	);
	check(taxTotal === totals.itemTaxTotal + totals.shippingTaxTotal, 'taxTotal ≠ itemTaxTotal + shippingTaxTotal');
	const allAdjustments = totals.lines.flatMap((l) => l.adjustments);
	check(sum(allAdjustments.map((a) => a.amount)) === discountTotal, 'Σ adjustments ≠ discountTotal');
	check(discountTotal <= subtotal, `discountTotal ${discountTotal} > subtotal ${subtotal}`);
	for (const l of totals.lines) {
		check(l.discountTotal <= l.subtotal, `${l.id}: discountTotal ${l.discountTotal} > subtotal ${l.subtotal}`);
		check(l.discountTotal === sum(l.adjustments.map((a) => a.amount)), `${l.id}: discountTotal ≠ Σ its adjustments`);
		check(l.total === l.subtotal - l.discountTotal + l.taxTotal, `${l.id}: total ≠ subtotal − discount + tax`);
	}

	for (const d of cart.discounts) {
		const eligibleIds = new Set(eligibleLines(d, cart.lines).map((l) => l.id));
		const eligibleSubtotal = sum(cart.lines.filter((l) => eligibleIds.has(l.id)).map((l) => l.unitPrice * l.quantity));
		const expected = discountAmount(d, eligibleSubtotal);
		const applied = sum(allAdjustments.filter((a) => a.discountId === d.id).map((a) => a.amount));
		check(applied === expected, `Σ adjustments of ${d.id} = ${applied}, discountAmount = ${expected}`);
		const outside = totals.lines.filter(
			(l) => !eligibleIds.has(l.id) && l.adjustments.some((a) => a.discountId === d.id),
		);
		check(outside.length === 0, `${d.id} adjusts ineligible lines ${outside.map((l) => l.id).join(', ')}`);
	}

	const freeShipping = cart.discounts.some((d) => d.type === 'free_shipping');
	const expectedShipping = cart.shipping === null || freeShipping ? 0 : cart.shipping.price;
	check(shippingTotal === expectedShipping, `shippingTotal ${shippingTotal}, expected ${expectedShipping}`);
	return violations;
}

describe('computeCartTotals invariants over random carts', () => {
	it(`hold for ${CARTS} seeded carts (base seed ${BASE_SEED})`, () => {
		const violations: string[] = [];
		for (let i = 0; i < CARTS; i += 1) violations.push(...violatedInvariants(BASE_SEED + i));
		// Each entry names its seed: randomCart(seed) rebuilds the failing cart.
		expect(violations.slice(0, 20)).toEqual([]);
	});

	it('generates the discount mix the invariants are meant to cover', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 500; i += 1) {
			const cart = randomCart(BASE_SEED + i);
			for (const d of cart.discounts) {
				seen.add(d.type);
				if (d.maxAmount !== null) seen.add(`${d.type}+cap`);
				if (d.productIds !== null || d.categoryIds !== null) seen.add(`${d.type}+restricted`);
			}
			if (cart.discounts.length === 2) seen.add('combined');
			if (cart.shipping === null) seen.add('no shipping');
		}
		for (const kind of [
			'percentage',
			'fixed',
			'free_shipping',
			'percentage+cap',
			'fixed+cap',
			'percentage+restricted',
			'fixed+restricted',
			'combined',
			'no shipping',
		]) {
			expect(seen.has(kind), kind).toBe(true);
		}
	});
});

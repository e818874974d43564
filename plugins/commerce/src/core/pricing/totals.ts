/**
 * Cart totals following Medusa v1 with tax-exclusive prices: discounts come off line subtotals, tax is
 * computed and rounded per line (and once for shipping), and the cart sums those rounded figures so every
 * number shown on a line adds up to the cart total.
 */

import { applyDiscounts } from './discounts.ts';
import { applyGiftCards } from './gift-cards.ts';
import { roundMinor } from './rounding.ts';
import type { CartTotals, LineTotals, PricingInput, ShippingTotals } from './types.ts';

function isNonNegativeInteger(value: number): boolean {
	return Number.isSafeInteger(value) && value >= 0;
}

/** Throws a RangeError naming the first unusable input; prices reach here from the DB, never from the client. */
function assertValidInput(input: PricingInput): void {
	if (!Number.isFinite(input.taxRate) || input.taxRate < 0 || input.taxRate > 100) {
		throw new RangeError(`taxRate must be a percentage between 0 and 100, got ${String(input.taxRate)}`);
	}
	const ids = new Set<string>();
	for (const line of input.lines) {
		if (ids.has(line.id)) throw new RangeError(`line ${line.id} appears twice; line ids must be unique`);
		ids.add(line.id);
		if (!isNonNegativeInteger(line.unitPrice)) {
			throw new RangeError(`line ${line.id}: unitPrice must be a non-negative integer, got ${String(line.unitPrice)}`);
		}
		if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
			throw new RangeError(`line ${line.id}: quantity must be an integer >= 1, got ${String(line.quantity)}`);
		}
		if (!Number.isSafeInteger(line.unitPrice * line.quantity)) {
			throw new RangeError(`line ${line.id}: unitPrice × quantity is too large`);
		}
	}
	if (input.shipping !== null && !isNonNegativeInteger(input.shipping.price)) {
		throw new RangeError(
			`shipping ${input.shipping.id}: price must be a non-negative integer, got ${String(input.shipping.price)}`,
		);
	}
}

/**
 * Computes every total of a cart. Line: subtotal = unitPrice × quantity, discountTotal = Σ adjustments,
 * taxTotal = roundMinor((subtotal − discountTotal) × rate / 100), total = subtotal − discountTotal + taxTotal.
 * Shipping: price is 0 when a free_shipping discount is present, taxed once. Cart: sums of the line figures;
 * free shipping is not part of discountTotal (it shows as shippingTotal 0).
 * @throws RangeError for invalid prices, quantities, tax rate or discounts, or several line discounts.
 */
export function computeCartTotals(input: PricingInput): CartTotals {
	assertValidInput(input);
	const { taxRate } = input;
	const adjustments = applyDiscounts(input.lines, input.discounts);
	const lines: LineTotals[] = input.lines.map((line, index) => {
		const lineAdjustments = adjustments[index] ?? [];
		const subtotal = line.unitPrice * line.quantity;
		const discountTotal = lineAdjustments.reduce((sum, adjustment) => sum + adjustment.amount, 0);
		const taxTotal = roundMinor(((subtotal - discountTotal) * taxRate) / 100);
		const originalTaxTotal = roundMinor((subtotal * taxRate) / 100);
		return {
			id: line.id,
			subtotal,
			discountTotal,
			adjustments: lineAdjustments,
			taxTotal,
			total: subtotal - discountTotal + taxTotal,
			originalTotal: subtotal + originalTaxTotal,
			originalTaxTotal,
		};
	});

	let shipping: ShippingTotals | null = null;
	if (input.shipping !== null) {
		const freeShipping = input.discounts.some((discount) => discount.type === 'free_shipping');
		const price = freeShipping ? 0 : input.shipping.price;
		const taxTotal = roundMinor((price * taxRate) / 100);
		shipping = { id: input.shipping.id, originalPrice: input.shipping.price, price, taxTotal, total: price + taxTotal };
	}

	const sum = (pick: (line: LineTotals) => number): number => lines.reduce((acc, line) => acc + pick(line), 0);
	const subtotal = sum((line) => line.subtotal);
	const discountTotal = sum((line) => line.discountTotal);
	const itemTaxTotal = sum((line) => line.taxTotal);
	const shippingTotal = shipping?.price ?? 0;
	const shippingTaxTotal = shipping?.taxTotal ?? 0;
	const taxTotal = itemTaxTotal + shippingTaxTotal;
	const beforeGiftCards = subtotal + shippingTotal + taxTotal - discountTotal;
	const { giftCardTotal, draws } = applyGiftCards(beforeGiftCards, input.giftCards ?? []);
	return {
		lines,
		shipping,
		subtotal,
		discountTotal,
		itemTaxTotal,
		shippingTotal,
		shippingTaxTotal,
		taxTotal,
		giftCardTotal,
		giftCardDraws: draws,
		total: beforeGiftCards - giftCardTotal,
	};
}

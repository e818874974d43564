/**
 * Discount rules of the pricing core: which lines a code applies to, how much it takes off, how that amount
 * is spread over lines, and whether a code may be used at all right now.
 */

import { formatAmount, formatDay } from './format.ts';
import { prorateLargestRemainder, roundMinor } from './rounding.ts';
import type { LineAdjustment, PricingDiscount, PricingLine } from './types.ts';

export interface DiscountState {
	code: string;
	isDisabled: boolean;
	startsAt: Date | null;
	endsAt: Date | null;
	usageLimit: number | null;
	usageCount: number;
	perCustomerLimit: number | null;
	minSubtotal: number | null;
	/** null = any currency; fixed amounts and minSubtotal are in this currency */
	currency: string | null;
}

export interface DiscountContext {
	now: Date;
	currency: string;
	/** subtotal of the lines before any discount */
	subtotal: number;
	/** orders this customer (or guest email) already placed with this code; null when unknown (no email yet) */
	customerUsage: number | null;
}

export type DiscountCheck =
	| { ok: true }
	| {
			ok: false;
			code:
				| 'discount_disabled'
				| 'discount_not_started'
				| 'discount_expired'
				| 'discount_used_up'
				| 'discount_customer_limit'
				| 'discount_min_subtotal'
				| 'discount_currency'
				| 'discount_not_applicable';
			message: string;
	  };

function isNonNegativeInteger(value: number): boolean {
	return Number.isSafeInteger(value) && value >= 0;
}

/**
 * Throws a RangeError naming the discount when its numbers are unusable; a corrupt discount row must fail
 * loudly rather than produce a negative or fractional total.
 */
export function assertValidDiscount(discount: PricingDiscount): void {
	const name = `discount ${discount.code} (${discount.id})`;
	if (discount.type === 'percentage') {
		if (!Number.isFinite(discount.value) || discount.value <= 0 || discount.value > 100) {
			throw new RangeError(`${name}: percentage must be > 0 and <= 100, got ${String(discount.value)}`);
		}
	} else if (discount.type === 'fixed') {
		if (!isNonNegativeInteger(discount.value)) {
			throw new RangeError(`${name}: fixed amount must be a non-negative integer, got ${String(discount.value)}`);
		}
	} else if (discount.type !== 'free_shipping') {
		throw new RangeError(`${name}: unknown discount type ${String(discount.type)}`);
	}
	if (discount.maxAmount !== null && !isNonNegativeInteger(discount.maxAmount)) {
		throw new RangeError(
			`${name}: maxAmount must be null or a non-negative integer, got ${String(discount.maxAmount)}`,
		);
	}
}

/**
 * Lines a discount applies to: every line when both `productIds` and `categoryIds` are null, otherwise lines
 * whose product OR category is listed. An empty list matches nothing (it is a restriction, not "no restriction").
 */
export function eligibleLines<L extends PricingLine>(discount: PricingDiscount, lines: L[]): L[] {
	const { productIds, categoryIds } = discount;
	if (productIds === null && categoryIds === null) return lines.slice();
	return lines.filter(
		(line) => (productIds?.includes(line.productId) ?? false) || (categoryIds?.includes(line.categoryId) ?? false),
	);
}

/**
 * Amount a discount takes off goods worth `eligibleSubtotal`: percentage → roundMinor(subtotal × value / 100),
 * fixed → value; then capped by `maxAmount`, then by the eligible subtotal (never more than the goods).
 * free_shipping → 0, because it acts on shipping, not on lines.
 * @throws RangeError for an invalid discount or a negative/fractional eligible subtotal.
 */
export function discountAmount(discount: PricingDiscount, eligibleSubtotal: number): number {
	assertValidDiscount(discount);
	if (!isNonNegativeInteger(eligibleSubtotal)) {
		throw new RangeError(`eligible subtotal must be a non-negative integer, got ${String(eligibleSubtotal)}`);
	}
	if (discount.type === 'free_shipping') return 0;
	let amount = discount.type === 'percentage' ? roundMinor((eligibleSubtotal * discount.value) / 100) : discount.value;
	if (discount.maxAmount !== null) amount = Math.min(amount, discount.maxAmount);
	return Math.min(amount, eligibleSubtotal);
}

/**
 * Per-line adjustments, aligned with `lines` (result[i] belongs to lines[i]). The one line discount's amount is
 * prorated over its eligible lines by line subtotal (largest remainder), so adjustments sum exactly to
 * `discountAmount` and no line loses more than its subtotal. Zero-amount adjustments are omitted.
 * free_shipping discounts produce no line adjustments.
 * @throws RangeError when more than one percentage/fixed discount is passed, or for invalid discounts/lines.
 */
export function applyDiscounts(lines: PricingLine[], discounts: PricingDiscount[]): LineAdjustment[][] {
	discounts.forEach(assertValidDiscount);
	const lineDiscounts = discounts.filter((discount) => discount.type !== 'free_shipping');
	if (lineDiscounts.length > 1) {
		const codes = lineDiscounts.map((discount) => discount.code).join(', ');
		throw new RangeError(`only one percentage or fixed discount can apply to a cart, got ${codes}`);
	}
	const result: LineAdjustment[][] = lines.map(() => []);
	for (const discount of lineDiscounts) {
		const eligible = new Set(eligibleLines(discount, lines));
		const indexes = lines.flatMap((line, index) => (eligible.has(line) ? [index] : []));
		const subtotals = indexes.map((index) => lineSubtotal(lines[index] as PricingLine));
		const amount = discountAmount(
			discount,
			subtotals.reduce((sum, value) => sum + value, 0),
		);
		const shares = prorateLargestRemainder(amount, subtotals);
		shares.forEach((share, position) => {
			if (share === 0) return;
			const index = indexes[position] as number;
			(result[index] as LineAdjustment[]).push({ discountId: discount.id, code: discount.code, amount: share });
		});
	}
	return result;
}

function lineSubtotal(line: PricingLine): number {
	const subtotal = line.unitPrice * line.quantity;
	if (!isNonNegativeInteger(subtotal)) {
		throw new RangeError(`line ${line.id}: subtotal ${String(subtotal)} is not a non-negative integer`);
	}
	return subtotal;
}

/**
 * Whether a discount code can be used now, checked in this order: disabled, not started, expired (endsAt is
 * exclusive), used up, currency, customer limit (skipped while the customer is unknown), minimum subtotal.
 * Failure messages are for shoppers and say what to do next. Dates are shown as UTC days.
 */
export function checkDiscountUsable(d: DiscountState, ctx: DiscountContext): DiscountCheck {
	const code = d.code;
	if (d.isDisabled) {
		return fail('discount_disabled', `The code ${code} is no longer active. Remove it or try another code.`);
	}
	if (d.startsAt !== null && ctx.now.getTime() < d.startsAt.getTime()) {
		return fail('discount_not_started', `The code ${code} starts on ${formatDay(d.startsAt)}. Try again then.`);
	}
	if (d.endsAt !== null && ctx.now.getTime() >= d.endsAt.getTime()) {
		// endsAt is exclusive: a code ending at 2026-02-01T00:00Z last worked on 2026-01-31, so show that day.
		return fail(
			'discount_expired',
			`The code ${code} has expired: its last day was ${formatDay(new Date(d.endsAt.getTime() - 1))} (UTC).`,
		);
	}
	if (d.usageLimit !== null && d.usageCount >= d.usageLimit) {
		return fail('discount_used_up', `The code ${code} has been fully redeemed. Try another code.`);
	}
	if (d.currency !== null && d.currency.toLowerCase() !== ctx.currency.toLowerCase()) {
		return fail(
			'discount_currency',
			`The code ${code} only works for orders in ${d.currency.toUpperCase()}. Switch region or try another code.`,
		);
	}
	if (d.perCustomerLimit !== null && ctx.customerUsage !== null && ctx.customerUsage >= d.perCustomerLimit) {
		const times = d.perCustomerLimit === 1 ? 'once' : `${d.perCustomerLimit} times`;
		return fail(
			'discount_customer_limit',
			`The code ${code} can be used ${times} per customer and you have already used it. Try another code.`,
		);
	}
	if (d.minSubtotal !== null && ctx.subtotal < d.minSubtotal) {
		// Without a discount currency, minSubtotal is in the cart's currency (the only one that makes sense).
		const currency = d.currency ?? ctx.currency;
		const missing = d.minSubtotal - ctx.subtotal;
		return fail(
			'discount_min_subtotal',
			`${code} needs an order of at least ${formatAmount(d.minSubtotal, currency)} before discounts; ` +
				`add ${formatAmount(missing, currency)} more.`,
		);
	}
	return { ok: true };
}

/**
 * Whether a percentage or fixed code takes something off these lines: a code restricted to products or categories the
 * cart does not hold, or one whose amount comes to zero, is refused rather than added (it would silently replace a
 * code that works, since a cart carries one line discount). Free-shipping codes act on shipping and always pass.
 */
export function checkDiscountApplies(discount: PricingDiscount, lines: PricingLine[]): DiscountCheck {
	if (discount.type === 'free_shipping') return { ok: true };
	const eligible = eligibleLines(discount, lines);
	if (eligible.length === 0)
		return fail(
			'discount_not_applicable',
			`The code ${discount.code} does not apply to any item in your cart, so it was not added.`,
		);
	const subtotal = eligible.reduce((sum, line) => sum + lineSubtotal(line), 0);
	if (discountAmount(discount, subtotal) === 0)
		return fail(
			'discount_not_applicable',
			`The code ${discount.code} takes nothing off your cart, so it was not added.`,
		);
	return { ok: true };
}

function fail(code: Exclude<DiscountCheck, { ok: true }>['code'], message: string): DiscountCheck {
	return { ok: false, code, message };
}

import type { GiftCardDraw, PricingGiftCard } from './gift-cards.ts';

/**
 * Plain data in and out of the pricing core. All money is integer minor units of the cart's currency;
 * prices are tax-exclusive (Medusa v1 model).
 */

export interface PricingLine {
	id: string;
	unitPrice: number;
	quantity: number;
	productId: string;
	categoryId: string;
}

export type DiscountType = 'percentage' | 'fixed' | 'free_shipping';

export interface PricingDiscount {
	id: string;
	code: string;
	type: DiscountType;
	/** percentage: percent, 0 < value <= 100, may be fractional (12.5); fixed: minor units; free_shipping: ignored */
	value: number;
	/** cap on the discount amount in minor units (percentage and fixed); null = no cap */
	maxAmount: number | null;
	/** restrict to lines whose productId is listed OR whose categoryId is listed; both null = every line */
	productIds: string[] | null;
	categoryIds: string[] | null;
}

export interface PricingShipping {
	id: string;
	price: number;
}

export interface PricingInput {
	lines: PricingLine[];
	discounts: PricingDiscount[];
	shipping: PricingShipping | null;
	/** percent, e.g. 6 or 20 or 8.875 */
	taxRate: number;
	/** Gift cards on the cart, in the order they were applied; they pay the taxed total. */
	giftCards?: PricingGiftCard[];
}

export interface LineAdjustment {
	discountId: string;
	code: string;
	amount: number;
}

export interface LineTotals {
	id: string;
	subtotal: number;
	discountTotal: number;
	adjustments: LineAdjustment[];
	taxTotal: number;
	total: number;
	originalTotal: number;
	originalTaxTotal: number;
}

export interface ShippingTotals {
	id: string;
	originalPrice: number;
	price: number;
	taxTotal: number;
	total: number;
}

export interface CartTotals {
	lines: LineTotals[];
	shipping: ShippingTotals | null;
	subtotal: number;
	discountTotal: number;
	itemTaxTotal: number;
	shippingTotal: number;
	shippingTaxTotal: number;
	taxTotal: number;
	/** Paid by gift cards (after tax). */
	giftCardTotal: number;
	/** How much each gift card gives. */
	giftCardDraws: GiftCardDraw[];
	/** What remains to pay: subtotal + shipping + tax − discounts − gift cards. */
	total: number;
}

import type { Kysely } from 'kysely';
import {
	type CartTotals,
	checkDiscountUsable,
	computeCartTotals,
	type PricingDiscount,
	type PricingLine,
	shippingOptionAvailable,
} from '../../core/pricing/index.ts';
import {
	type CartLineRow,
	findAddress,
	findCart,
	findShippingMethod,
	listCartDiscountIds,
	loadCartLines,
} from '../../db/repositories/cart-repository.ts';
import { countCustomerUsage, type Discount, findDiscountsByIds } from '../../db/repositories/discount-repository.ts';
import { type GiftCard, listCartGiftCards } from '../../db/repositories/gift-card-repository.ts';
import { listPaymentSessions } from '../../db/repositories/payment-session-repository.ts';
import type { Address, Cart, Database, PaymentSession } from '../../db/types.ts';
import type { RegionOptions, ResolvedOptions, ShippingOptionOptions } from '../../options.ts';
import { findRegion, shippingOptionId } from '../regions.ts';

type Db = Kysely<Database>;

export interface PricedLine extends CartLineRow {
	unitPrice: number;
}

export interface AvailableShippingOption {
	id: string;
	option: ShippingOptionOptions;
}

/** A cart as the server prices it right now. Everything a response needs; nothing taken from a request. */
export interface CartView {
	cart: Cart;
	region: RegionOptions;
	lines: PricedLine[];
	discounts: Discount[];
	/** Gift cards that pay part of the total now (usable, in the cart's currency), in the order applied. */
	giftCards: GiftCard[];
	shipping: AvailableShippingOption | null;
	shippingAddress: Address | undefined;
	billingAddress: Address | undefined;
	paymentSessions: PaymentSession[];
	totals: CartTotals;
	/** What the cart holds that no longer applies; mutations delete these in their transaction. */
	stale: { lineIds: string[]; discountIds: string[]; giftCardIds: string[]; shippingMethod: boolean };
}

/** Why a gift card cannot pay for a cart right now, or null when it can. */
export function giftCardProblem(card: GiftCard, currency: string, now: Date): { message: string; code: string } | null {
	if (card.isDisabled) return { message: `Gift card ${card.code} is disabled.`, code: 'gift_card_disabled' };
	if (card.endsAt && new Date(card.endsAt) <= now)
		return { message: `Gift card ${card.code} has expired.`, code: 'gift_card_expired' };
	if (card.balance <= 0) return { message: `Gift card ${card.code} has no balance left.`, code: 'gift_card_empty' };
	if (card.currencyCode !== currency)
		return {
			message: `Gift card ${card.code} is in ${card.currencyCode.toUpperCase()}; this cart is in ${currency.toUpperCase()}.`,
			code: 'gift_card_currency',
		};
	return null;
}

/** `cus_…` for a customer, `email:<address>` for a guest, null before the shopper gave an email. */
export function customerKey(cart: Pick<Cart, 'customer_id' | 'email'>): string | null {
	if (cart.customer_id) return cart.customer_id;
	return cart.email ? `email:${cart.email.toLowerCase()}` : null;
}

export function toPricingDiscount(d: Discount): PricingDiscount {
	return {
		id: d.id,
		code: d.code,
		type: d.type,
		value: d.value,
		maxAmount: d.maxDiscountAmount,
		productIds: d.productIds,
		categoryIds: d.categoryIds,
	};
}

export function toPricingLine(l: PricedLine): PricingLine {
	return { id: l.id, unitPrice: l.unitPrice, quantity: l.quantity, productId: l.productId, categoryId: l.categoryId };
}

/** Checks a discount against a cart; the pure rule lives in core/pricing. */
export async function checkDiscountForCart(db: Db, discount: Discount, cart: Cart, subtotal: number, now: Date) {
	const key = customerKey(cart);
	return checkDiscountUsable(
		{
			code: discount.code,
			isDisabled: discount.isDisabled,
			startsAt: discount.startsAt ? new Date(discount.startsAt) : null,
			endsAt: discount.endsAt ? new Date(discount.endsAt) : null,
			usageLimit: discount.usageLimit,
			usageCount: discount.usageCount,
			perCustomerLimit: discount.perCustomerLimit,
			minSubtotal: discount.minSubtotal,
			currency: discount.currencyCode,
		},
		{
			now,
			currency: cart.currency_code,
			subtotal,
			customerUsage: key ? await countCustomerUsage(db, discount.id, key) : null,
		},
	);
}

/** Shipping options of the region the cart may use at its current goods total. */
export function availableShippingOptions(
	region: RegionOptions,
	totals: Pick<CartTotals, 'subtotal' | 'discountTotal'>,
): AvailableShippingOption[] {
	const goods = totals.subtotal - totals.discountTotal;
	return region.shippingOptions
		.filter((option) => shippingOptionAvailable(option, goods))
		.map((option) => ({ id: shippingOptionId(region, option), option }));
}

/**
 * Loads and prices a cart. Lines whose product left the catalog or has no price in the cart's currency, discounts that
 * stopped applying (expired, minimum no longer met) and a shipping option the cart no longer qualifies for are left
 * out of the totals and reported in `stale`, so a read and the next write always agree.
 */
export async function loadCartView(
	db: Db,
	options: ResolvedOptions,
	cartId: string,
	now = new Date(),
	/** The cart's row when the caller just read it (locked, in its transaction). */
	row?: Cart,
): Promise<CartView | undefined> {
	const cart = row ?? (await findCart(db, cartId));
	if (!cart) return undefined;
	const region = findRegion(options, cart.region_id) ?? options.regions[0];
	const rows = await loadCartLines(db, cart.id, cart.currency_code);
	const lines = rows.filter((r): r is PricedLine => r.productActive && r.variantActive && r.unitPrice !== null);
	const staleLineIds = rows.filter((r) => !lines.includes(r as PricedLine)).map((r) => r.id);
	const pricingLines = lines.map(toPricingLine);
	const subtotal = pricingLines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);

	const attached = await findDiscountsByIds(db, await listCartDiscountIds(db, cart.id));
	const discounts: Discount[] = [];
	for (const discount of attached) {
		if ((await checkDiscountForCart(db, discount, cart, subtotal, now)).ok) discounts.push(discount);
	}
	const staleDiscountIds = attached.filter((d) => !discounts.includes(d)).map((d) => d.id);

	const appliedCards = await listCartGiftCards(db, cart.id);
	const giftCards = appliedCards.filter((card) => !giftCardProblem(card, cart.currency_code, now));
	const staleGiftCardIds = appliedCards.filter((card) => !giftCards.includes(card)).map((card) => card.id);
	const pricingGiftCards = giftCards.map((card) => ({ id: card.id, balance: card.balance }));

	const withoutShipping = computeCartTotals({
		lines: pricingLines,
		discounts: discounts.map(toPricingDiscount),
		shipping: null,
		taxRate: region.taxRate,
		giftCards: pricingGiftCards,
	});
	const method = await findShippingMethod(db, cart.id);
	const shipping = method
		? (availableShippingOptions(region, withoutShipping).find((o) => o.id === method.shipping_option_id) ?? null)
		: null;
	const totals = shipping
		? computeCartTotals({
				lines: pricingLines,
				discounts: discounts.map(toPricingDiscount),
				shipping: { id: shipping.id, price: shipping.option.amount },
				taxRate: region.taxRate,
				giftCards: pricingGiftCards,
			})
		: withoutShipping;

	const shippingAddress = await findAddress(db, cart.shipping_address_id);
	return {
		cart,
		region,
		lines,
		discounts,
		giftCards,
		shipping,
		shippingAddress,
		billingAddress:
			cart.billing_address_id === cart.shipping_address_id
				? shippingAddress
				: await findAddress(db, cart.billing_address_id),
		paymentSessions: await listPaymentSessions(db, cart.id),
		totals,
		stale: {
			lineIds: staleLineIds,
			discountIds: staleDiscountIds,
			giftCardIds: staleGiftCardIds,
			shippingMethod: Boolean(method) && !shipping,
		},
	};
}

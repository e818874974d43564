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
	shipping: AvailableShippingOption | null;
	shippingAddress: Address | undefined;
	billingAddress: Address | undefined;
	paymentSessions: PaymentSession[];
	totals: CartTotals;
	/** What the cart holds that no longer applies; mutations delete these in their transaction. */
	stale: { lineIds: string[]; discountIds: string[]; shippingMethod: boolean };
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
): Promise<CartView | undefined> {
	const cart = await findCart(db, cartId);
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

	const withoutShipping = computeCartTotals({
		lines: pricingLines,
		discounts: discounts.map(toPricingDiscount),
		shipping: null,
		taxRate: region.taxRate,
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
			})
		: withoutShipping;

	return {
		cart,
		region,
		lines,
		discounts,
		shipping,
		shippingAddress: await findAddress(db, cart.shipping_address_id),
		billingAddress: await findAddress(db, cart.billing_address_id),
		paymentSessions: await listPaymentSessions(db, cart.id),
		totals,
		stale: { lineIds: staleLineIds, discountIds: staleDiscountIds, shippingMethod: Boolean(method) && !shipping },
	};
}

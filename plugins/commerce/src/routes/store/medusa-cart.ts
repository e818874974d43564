import type { LineTotals } from '../../core/pricing/index.ts';
import type { Discount } from '../../db/repositories/discount-repository.ts';
import type { GiftCard } from '../../db/repositories/gift-card-repository.ts';
import type { Address } from '../../db/types.ts';
import type { RegionOptions, ShippingOptionOptions } from '../../options.ts';
import type { AvailableShippingOption, CartView, PricedLine } from '../../services/cart/cart-view.ts';
import { regionId, shippingOptionId } from '../../services/regions.ts';
import { toMedusaRegion } from './medusa-region.ts';
import { absoluteUrl, type Presentation } from './presentation.ts';

const taxLine = (region: RegionOptions, itemId: string) => ({
	id: `tl_${itemId}`,
	item_id: itemId,
	rate: region.taxRate,
	name: region.taxName,
	code: null,
});

export function toMedusaAddress(address: Address | undefined) {
	if (!address) return null;
	const { created_at, updated_at, ...fields } = address;
	return { ...fields, metadata: null, created_at, updated_at, deleted_at: null };
}

export function toMedusaDiscount(d: Discount) {
	return {
		id: d.id,
		code: d.code,
		is_dynamic: false,
		is_disabled: d.isDisabled,
		rule_id: `dru_${d.id}`,
		rule: {
			id: `dru_${d.id}`,
			description: d.description,
			type: d.type,
			value: d.value,
			allocation: d.type === 'fixed' ? 'total' : 'item',
			conditions: [],
		},
		starts_at: d.startsAt,
		ends_at: d.endsAt,
		valid_duration: null,
		usage_limit: d.usageLimit,
		usage_count: d.usageCount,
		regions: [],
		metadata: null,
		created_at: d.createdAt,
		updated_at: d.updatedAt,
		deleted_at: null,
	};
}

/** Medusa's `GiftCard` as a cart shows it: code, value and what is left (before this cart's order draws it). */
export function toMedusaGiftCard(card: GiftCard) {
	return {
		id: card.id,
		code: card.code,
		value: card.value,
		balance: card.balance,
		currency_code: card.currencyCode,
		region_id: null,
		order_id: null,
		is_disabled: card.isDisabled,
		ends_at: card.endsAt,
		tax_rate: null,
		metadata: null,
		created_at: card.createdAt,
		updated_at: card.updatedAt,
		deleted_at: null,
	};
}

/** The Medusa `ShippingOption` of a configured option, priced server-side (contract §2). */
export function toMedusaShippingOption(region: RegionOptions, option: ShippingOptionOptions) {
	const tax = Math.round((option.amount * region.taxRate) / 100);
	return {
		id: shippingOptionId(region, option),
		name: option.name,
		region_id: regionId(region),
		profile_id: 'sp_default',
		provider_id: 'manual',
		price_type: 'flat_rate',
		amount: option.amount,
		is_return: false,
		admin_only: false,
		includes_tax: false,
		data: {},
		metadata: null,
		requirements: [
			...(option.minSubtotal !== undefined
				? [
						{
							id: `sor_${option.handle}_min`,
							shipping_option_id: shippingOptionId(region, option),
							type: 'min_subtotal',
							amount: option.minSubtotal,
						},
					]
				: []),
			...(option.maxSubtotal !== undefined
				? [
						{
							id: `sor_${option.handle}_max`,
							shipping_option_id: shippingOptionId(region, option),
							type: 'max_subtotal',
							amount: option.maxSubtotal,
						},
					]
				: []),
		],
		price_incl_tax: option.amount + tax,
		tax_amount: tax,
		tax_rates: [{ rate: region.taxRate, name: region.taxName, code: null }],
	};
}

function toMedusaLineItem(view: CartView, line: PricedLine, totals: LineTotals, p: Presentation) {
	return {
		id: line.id,
		object: 'line_item',
		cart_id: line.cartId,
		order_id: null,
		title: line.productTitle,
		description: line.variantTitle,
		thumbnail: absoluteUrl(p, line.thumbnail),
		is_return: false,
		is_giftcard: line.isGiftcard,
		should_merge: true,
		allow_discounts: true,
		has_shipping: view.shipping !== null,
		unit_price: line.unitPrice,
		variant_id: line.variantId,
		product_id: line.productId,
		quantity: line.quantity,
		fulfilled_quantity: null,
		returned_quantity: null,
		shipped_quantity: null,
		includes_tax: false,
		metadata: line.metadata ? JSON.parse(line.metadata) : {},
		variant: {
			id: line.variantId,
			title: line.variantTitle,
			sku: line.sku,
			product_id: line.productId,
			inventory_quantity: line.available,
			allow_backorder: false,
			manage_inventory: true,
			product: {
				id: line.productId,
				title: line.productTitle,
				handle: line.productHandle,
				thumbnail: absoluteUrl(p, line.thumbnail),
			},
		},
		adjustments: totals.adjustments.map((a, i) => ({
			id: `lia_${line.id}_${i}`,
			item_id: line.id,
			description: 'discount',
			discount_id: a.discountId,
			amount: a.amount,
			metadata: null,
		})),
		tax_lines: [taxLine(view.region, line.id)],
		subtotal: totals.subtotal,
		discount_total: totals.discountTotal,
		tax_total: totals.taxTotal,
		total: totals.total,
		original_total: totals.originalTotal,
		original_tax_total: totals.originalTaxTotal,
		gift_card_total: 0,
		created_at: line.createdAt,
		updated_at: line.updatedAt,
	};
}

function toMedusaShippingMethod(view: CartView, shipping: AvailableShippingOption) {
	const totals = view.totals.shipping;
	return {
		id: `sm_${view.cart.id}`,
		shipping_option_id: shipping.id,
		cart_id: view.cart.id,
		order_id: null,
		price: totals?.price ?? shipping.option.amount,
		data: {},
		includes_tax: false,
		shipping_option: toMedusaShippingOption(view.region, shipping.option),
		tax_lines: [
			{
				id: `tl_sm_${view.cart.id}`,
				shipping_method_id: `sm_${view.cart.id}`,
				rate: view.region.taxRate,
				name: view.region.taxName,
				code: null,
			},
		],
		subtotal: totals?.price ?? 0,
		tax_total: totals?.taxTotal ?? 0,
		total: totals?.total ?? 0,
	};
}

function toMedusaPaymentSession(session: CartView['paymentSessions'][number]) {
	return {
		id: session.id,
		cart_id: session.cart_id,
		provider_id: session.provider_id,
		is_selected: session.is_selected === 1,
		is_initiated: true,
		status: session.status,
		data: JSON.parse(session.data) as Record<string, unknown>,
		amount: session.amount,
		payment_authorized_at: session.status === 'authorized' ? session.updated_at : null,
		idempotency_key: null,
		created_at: session.created_at,
		updated_at: session.updated_at,
	};
}

/** The full Medusa `Cart` with fresh server-computed totals (contract §2). */
export function toMedusaCart(view: CartView, p: Presentation) {
	const { cart, totals } = view;
	const lineTotals = new Map(totals.lines.map((l) => [l.id, l]));
	return {
		id: cart.id,
		object: 'cart',
		email: cart.email,
		customer_id: cart.customer_id,
		region_id: cart.region_id,
		region: toMedusaRegion(view.region, p),
		billing_address_id: cart.billing_address_id,
		billing_address: toMedusaAddress(view.billingAddress),
		shipping_address_id: cart.shipping_address_id,
		shipping_address: toMedusaAddress(view.shippingAddress),
		items: view.lines.map((line) => toMedusaLineItem(view, line, lineTotals.get(line.id)!, p)),
		discounts: view.discounts.map(toMedusaDiscount),
		gift_cards: view.giftCards.map(toMedusaGiftCard),
		payment_sessions: view.paymentSessions.map(toMedusaPaymentSession),
		payment_session: (() => {
			const selected = view.paymentSessions.find((s) => s.is_selected === 1);
			return selected ? toMedusaPaymentSession(selected) : null;
		})(),
		payment_id: null,
		payment: null,
		shipping_methods: view.shipping ? [toMedusaShippingMethod(view, view.shipping)] : [],
		type: 'default',
		completed_at: cart.completed_at,
		payment_authorized_at: null,
		idempotency_key: null,
		context: {},
		metadata: cart.metadata ? JSON.parse(cart.metadata) : null,
		sales_channel_id: null,
		created_at: cart.created_at,
		updated_at: cart.updated_at,
		deleted_at: null,
		subtotal: totals.subtotal,
		discount_total: totals.discountTotal,
		item_tax_total: totals.itemTaxTotal,
		shipping_total: totals.shippingTotal,
		shipping_tax_total: totals.shippingTaxTotal,
		tax_total: totals.taxTotal,
		gift_card_total: totals.giftCardTotal,
		// Gift cards pay the taxed total (region.gift_cards_taxable is false): they carry no tax of their own.
		gift_card_tax_total: 0,
		total: totals.total,
	};
}

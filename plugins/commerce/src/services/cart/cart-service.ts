import { MAX_LINE_QUANTITY } from '../../core/cart-limits.ts';
import { invalid, notAllowed, notFound } from '../../core/errors.ts';
import type { CommerceDb } from '../../db/client.ts';
import { newId } from '../../db/ids.ts';
import {
	type AddressFields,
	deleteLines,
	deleteShippingMethod,
	findCartForUpdate,
	findCartOwner,
	findLine,
	findPurchasableVariant,
	insertCart,
	insertLine,
	listCartDiscountIds,
	listUnpricedLineIds,
	saveAddress,
	setCartDiscounts,
	setLineQuantity,
	setShippingMethod,
	updateCartRow,
} from '../../db/repositories/cart-repository.ts';
import { type Discount, findDiscountByCode, findDiscountsByIds } from '../../db/repositories/discount-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import type { Cart } from '../../db/types.ts';
import type { RegionOptions, ResolvedOptions } from '../../options.ts';
import { rollCart } from '../analytics/rollups.ts';
import { defaultRegion, findRegion, regionId, shippingOptionId } from '../regions.ts';
import { availableShippingOptions, type CartView, checkDiscountForCart, loadCartView } from './cart-view.ts';

type Db = CommerceDb;

export interface CartDeps {
	db: Db;
	options: ResolvedOptions;
	now?: () => Date;
}

export interface CartUpdate {
	email?: string | null;
	/** The logged-in caller (from the session, never from the body): the cart becomes theirs. */
	customerId?: string;
	regionId?: string;
	countryCode?: string;
	shippingAddress?: Partial<AddressFields>;
	billingAddress?: Partial<AddressFields>;
	discountCodes?: string[];
}

const clock = (deps: CartDeps) => deps.now?.() ?? new Date();

/** The customer a cart belongs to (null: anonymous), or undefined when there is no such cart. */
export async function cartOwnerId(db: Db, cartId: string): Promise<string | null | undefined> {
	return (await findCartOwner(db, cartId))?.customerId;
}

/** Reads a cart or throws the contract's 404. */
export async function getCart(deps: CartDeps, cartId: string): Promise<CartView> {
	const view = await loadCartView(deps.db, deps.options, cartId, clock(deps));
	if (!view) throw notFound(`Cart with ${cartId} was not found`);
	return view;
}

/**
 * Runs one cart mutation in a write transaction, then removes what no longer applies (lines of products that left the
 * catalog, discounts that stopped applying, a shipping option the cart no longer qualifies for) before answering.
 */
async function mutate(
	deps: CartDeps,
	cartId: string,
	change: (trx: Db, cart: Cart, at: string) => Promise<void>,
): Promise<CartView> {
	const now = clock(deps);
	const at = now.toISOString();
	await writeTransaction(deps.db, async (trx) => {
		const cart = await findCartForUpdate(trx, cartId);
		if (!cart) throw notFound(`Cart with ${cartId} was not found`);
		if (cart.completed_at)
			throw notAllowed('This cart has been completed. Start a new cart to keep shopping.', 'cart_completed');
		await change(trx, cart, at);
		const view = await loadCartView(trx, deps.options, cartId, now);
		if (view && (view.stale.lineIds.length || view.stale.discountIds.length || view.stale.shippingMethod)) {
			await deleteLines(trx, view.stale.lineIds);
			if (view.stale.discountIds.length) {
				await setCartDiscounts(
					trx,
					cartId,
					view.discounts.map((d) => d.id),
				);
			}
			if (view.stale.shippingMethod) await deleteShippingMethod(trx, cartId);
		}
		await updateCartRow(trx, cartId, {}, at);
		await rollCart(trx, cartId);
	});
	return getCart(deps, cartId);
}

/** Creates a cart in the given region (default: the first region), recording who created it server-side. */
export async function createCart(
	deps: CartDeps,
	input: {
		regionId?: string;
		countryCode?: string;
		email?: string | null;
		customerId?: string | null;
		items?: { variantId: string; quantity: number }[];
	},
	audit: { clientIp?: string; userAgent?: string },
): Promise<CartView> {
	const region = input.regionId ? findRegion(deps.options, input.regionId) : defaultRegion(deps.options);
	if (!region) throw invalid(`Region with id ${input.regionId} was not found. List regions with GET /store/regions.`);
	if (input.countryCode && !region.countries.includes(input.countryCode)) {
		throw invalid(`Country ${input.countryCode} is not available in region ${region.name}.`, 'country_not_in_region');
	}
	const id = newId('cart');
	const at = clock(deps).toISOString();
	await writeTransaction(deps.db, async (trx) => {
		const shippingAddressId = input.countryCode
			? await saveAddress(trx, null, { country_code: input.countryCode }, at)
			: null;
		const row: Cart = {
			id,
			email: input.email ?? null,
			customer_id: input.customerId ?? null,
			region_id: regionId(region),
			currency_code: region.currency,
			shipping_address_id: shippingAddressId,
			billing_address_id: null,
			client_ip: audit.clientIp ?? null,
			user_agent: audit.userAgent?.slice(0, 512) ?? null,
			metadata: null,
			completed_at: null,
			created_at: at,
			updated_at: at,
		};
		await insertCart(trx, row, at);
		// Items given at creation are added in the same transaction: a refused item leaves no cart behind.
		const merged = new Map<string, number>();
		for (const item of input.items ?? []) merged.set(item.variantId, (merged.get(item.variantId) ?? 0) + item.quantity);
		for (const [variantId, quantity] of merged) {
			await assertStock(trx, row, variantId, quantity);
			await insertLine(trx, id, variantId, quantity, null, at);
		}
		await rollCart(trx, id);
	});
	return getCart(deps, id);
}

/** Adds a variant, merging with an existing line of the same variant; refuses what stock cannot cover. */
export async function addLineItem(
	deps: CartDeps,
	cartId: string,
	variantId: string,
	quantity: number,
	metadata: string | null,
): Promise<CartView> {
	return mutate(deps, cartId, async (trx, cart, at) => {
		const existing = await findLine(trx, cartId, { variantId });
		const wanted = (existing?.quantity ?? 0) + quantity;
		await assertStock(trx, cart, variantId, wanted);
		if (existing) await setLineQuantity(trx, existing.id, wanted, at);
		else await insertLine(trx, cartId, variantId, quantity, metadata, at);
	});
}

/** Sets a line's quantity; 0 deletes the line. */
export async function updateLineItem(
	deps: CartDeps,
	cartId: string,
	lineId: string,
	quantity: number,
): Promise<CartView> {
	return mutate(deps, cartId, async (trx, cart, at) => {
		const line = await findLine(trx, cartId, { id: lineId });
		if (!line) throw notFound(`Line item with id ${lineId} was not found in cart ${cartId}`);
		if (quantity === 0) return deleteLines(trx, [lineId]);
		if (quantity > line.quantity) await assertStock(trx, cart, line.variantId, quantity);
		await setLineQuantity(trx, lineId, quantity, at);
	});
}

export async function deleteLineItem(deps: CartDeps, cartId: string, lineId: string): Promise<CartView> {
	return mutate(deps, cartId, async (trx) => {
		const line = await findLine(trx, cartId, { id: lineId });
		if (!line) throw notFound(`Line item with id ${lineId} was not found in cart ${cartId}`);
		await deleteLines(trx, [lineId]);
	});
}

async function assertStock(trx: Db, cart: Cart, variantId: string, wanted: number): Promise<void> {
	if (wanted > MAX_LINE_QUANTITY) {
		throw invalid(`A cart can hold at most ${MAX_LINE_QUANTITY} of one item.`, 'quantity_too_large');
	}
	const variant = await findPurchasableVariant(trx, variantId, cart.currency_code);
	if (!variant) throw notFound(`Variant with id ${variantId} was not found`);
	if (variant.unitPrice === null) {
		throw invalid(
			`${variant.productTitle} (${variant.title}) is not sold in ${cart.currency_code.toUpperCase()}.`,
			'variant_not_priced',
		);
	}
	const available = variant.available;
	if (wanted > available) {
		const what = `${variant.productTitle}${variant.title && variant.title !== variant.productTitle ? ` (${variant.title})` : ''}`;
		const message =
			available > 0
				? `Only ${available} of ${what} ${available === 1 ? 'is' : 'are'} in stock; your cart would hold ${wanted}.`
				: `${what} is sold out.`;
		throw notAllowed(message, 'insufficient_inventory');
	}
}

/**
 * Email, addresses, region and discount codes. Body `customer_id` is never read (contract §5); a logged-in caller's id
 * comes from the session (the route passes it with the account's email). A region change
 * re-prices every line in the new currency (lines without a price there are removed), drops the shipping method and
 * discounts that do not apply in the new currency.
 */
export async function updateCart(deps: CartDeps, cartId: string, input: CartUpdate): Promise<CartView> {
	return mutate(deps, cartId, async (trx, cart, at) => {
		let current = cart;
		if (input.customerId !== undefined && input.customerId !== cart.customer_id) {
			await updateCartRow(trx, cartId, { customer_id: input.customerId }, at);
			current = { ...current, customer_id: input.customerId };
		}
		if (input.email !== undefined) {
			await updateCartRow(trx, cartId, { email: input.email }, at);
			current = { ...current, email: input.email };
		}
		let region = findRegion(deps.options, current.region_id) ?? defaultRegion(deps.options);
		if (input.regionId && input.regionId !== current.region_id) {
			const next = findRegion(deps.options, input.regionId);
			if (!next) throw invalid(`Region with id ${input.regionId} was not found. List regions with GET /store/regions.`);
			region = next;
			await updateCartRow(trx, cartId, { region_id: regionId(next), currency_code: next.currency }, at);
			current = { ...current, region_id: regionId(next), currency_code: next.currency };
			await deleteShippingMethod(trx, cartId);
			// The old country cannot stay: it belongs to the previous region.
			if (current.shipping_address_id)
				await saveAddress(trx, current.shipping_address_id, { country_code: input.countryCode ?? null }, at);
			await deleteLines(trx, await listUnpricedLineIds(trx, cartId, next.currency));
		}
		const country = input.shippingAddress?.country_code ?? input.countryCode;
		if (country && !region.countries.includes(country)) {
			throw invalid(
				`Shipping country ${country} is not in region ${region.name}. Change the region first.`,
				'country_not_in_region',
			);
		}
		if (input.shippingAddress || input.countryCode) {
			const fields = { ...input.shippingAddress, ...(input.countryCode ? { country_code: input.countryCode } : {}) };
			const id = await saveAddress(trx, current.shipping_address_id, fields, at);
			if (id !== current.shipping_address_id) await updateCartRow(trx, cartId, { shipping_address_id: id }, at);
		}
		if (input.billingAddress) {
			const id = await saveAddress(trx, current.billing_address_id, input.billingAddress, at);
			if (id !== current.billing_address_id) await updateCartRow(trx, cartId, { billing_address_id: id }, at);
		}
		if (input.discountCodes) await replaceDiscounts(trx, deps, current, input.discountCodes);
	});
}

/**
 * Replaces the cart's codes with the given ones (Medusa semantics): each is validated; only the first
 * non-free-shipping code is kept, free-shipping codes may stand beside it; `[]` clears.
 */
async function replaceDiscounts(trx: Db, deps: CartDeps, cart: Cart, codes: string[]): Promise<void> {
	const view = await loadCartView(trx, deps.options, cart.id, clock(deps));
	const subtotal = view?.totals.subtotal ?? 0;
	const chosen: Discount[] = [];
	for (const code of codes) {
		const discount = await findDiscountByCode(trx, code);
		if (!discount) throw notFound(`Discount with code ${code} was not found`);
		const check = await checkDiscountForCart(trx, discount, cart, subtotal, clock(deps));
		if (!check.ok) throw notAllowed(check.message, check.code);
		if (chosen.some((d) => d.id === discount.id)) continue;
		if (discount.type !== 'free_shipping' && chosen.some((d) => d.type !== 'free_shipping')) continue;
		chosen.push(discount);
	}
	await setCartDiscounts(
		trx,
		cart.id,
		chosen.map((d) => d.id),
	);
}

/** Removes one code from the cart; 404 when the cart does not carry it. */
export async function removeDiscount(deps: CartDeps, cartId: string, code: string): Promise<CartView> {
	return mutate(deps, cartId, async (trx) => {
		const ids = await listCartDiscountIds(trx, cartId);
		const attached = await findDiscountsByIds(trx, ids);
		const target = attached.find((d) => d.code === code.trim().toUpperCase());
		if (!target) throw notFound(`Discount with code ${code} is not applied to cart ${cartId}`);
		await setCartDiscounts(
			trx,
			cartId,
			ids.filter((id) => id !== target.id),
		);
	});
}

/** Shipping options the cart qualifies for now (thresholds use goods after discounts). */
export async function listCartShippingOptions(deps: CartDeps, cartId: string) {
	const view = await getCart(deps, cartId);
	return { view, options: availableShippingOptions(view.region, view.totals) };
}

/** The regions whose shipping options `GET /shipping-options` lists: all, or the one asked for (400 if unknown). */
export function shippingOptionsOfRegions(options: ResolvedOptions, regionId: string | undefined): RegionOptions[] {
	if (!regionId) return options.regions;
	const region = findRegion(options, regionId);
	if (!region) throw invalid(`Region with id ${regionId} was not found.`);
	return [region];
}

/** Chooses a shipping option; its price always comes from the configuration, never from the request. */
export async function addShippingMethod(deps: CartDeps, cartId: string, optionId: string): Promise<CartView> {
	return mutate(deps, cartId, async (trx, cart, at) => {
		const view = await loadCartView(trx, deps.options, cart.id, clock(deps));
		if (!view) throw notFound(`Cart with ${cartId} was not found`);
		const option = availableShippingOptions(view.region, view.totals).find((o) => o.id === optionId);
		if (!option) {
			const exists = view.region.shippingOptions.some((o) => shippingOptionId(view.region, o) === optionId);
			throw invalid(
				exists
					? `Shipping option ${optionId} is not available for this cart's total.`
					: `Shipping option ${optionId} does not exist in region ${view.region.name}.`,
				'shipping_option_unavailable',
			);
		}
		await setShippingMethod(trx, cartId, optionId, at);
	});
}

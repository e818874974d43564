import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Address, AddressTable, Cart, Database } from '../types.ts';

type Db = Kysely<Database>;

/** A cart line joined with the catalog, priced in one currency (null when the variant has no price there). */
export interface CartLineRow {
	id: string;
	cartId: string;
	variantId: string;
	quantity: number;
	metadata: string | null;
	createdAt: string;
	updatedAt: string;
	sku: string;
	variantTitle: string;
	variantActive: boolean;
	productId: string;
	productTitle: string;
	productHandle: string;
	productActive: boolean;
	thumbnail: string | null;
	categoryId: string;
	unitPrice: number | null;
	/** stocked − reserved right now. */
	available: number;
}

export async function insertCart(db: Db, cart: Cart, at: string): Promise<void> {
	await db
		.insertInto('cart')
		.values({ ...cart, created_at: at, updated_at: at })
		.execute();
}

export async function findCart(db: Db, id: string): Promise<Cart | undefined> {
	return db.selectFrom('cart').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateCartRow(
	db: Db,
	id: string,
	fields: Partial<Omit<Cart, 'id' | 'created_at'>>,
	at: string,
): Promise<void> {
	await db
		.updateTable('cart')
		.set({ ...fields, updated_at: at })
		.where('id', '=', id)
		.execute();
}

export async function loadCartLines(db: Db, cartId: string, currency: string): Promise<CartLineRow[]> {
	const rows = await db
		.selectFrom('line_item as li')
		.innerJoin('product_variant as v', 'v.id', 'li.variant_id')
		.innerJoin('product as p', 'p.id', 'v.product_id')
		.leftJoin('inventory_level as il', 'il.variant_id', 'v.id')
		.leftJoin('money_amount as ma', (join) =>
			join.onRef('ma.variant_id', '=', 'v.id').on('ma.currency_code', '=', currency),
		)
		.select([
			'li.id',
			'li.cart_id',
			'li.variant_id',
			'li.quantity',
			'li.metadata',
			'li.created_at',
			'li.updated_at',
			'v.sku',
			'v.title as variant_title',
			'v.active as variant_active',
			'p.id as product_id',
			'p.title as product_title',
			'p.handle as product_handle',
			'p.active as product_active',
			'p.thumbnail',
			'p.category_id',
			'ma.amount',
			'il.stocked_quantity',
			'il.reserved_quantity',
		])
		.where('li.cart_id', '=', cartId)
		.orderBy('li.created_at')
		.orderBy('li.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		cartId: r.cart_id,
		variantId: r.variant_id,
		quantity: r.quantity,
		metadata: r.metadata,
		createdAt: r.created_at,
		updatedAt: r.updated_at,
		sku: r.sku,
		variantTitle: r.variant_title,
		variantActive: r.variant_active === 1,
		productId: r.product_id,
		productTitle: r.product_title,
		productHandle: r.product_handle,
		productActive: r.product_active === 1,
		thumbnail: r.thumbnail,
		categoryId: r.category_id,
		unitPrice: r.amount ?? null,
		available: (r.stocked_quantity ?? 0) - (r.reserved_quantity ?? 0),
	}));
}

/** The variant as the cart needs it: purchasable only when it and its product are active. */
export async function findPurchasableVariant(db: Db, variantId: string, currency: string) {
	return db
		.selectFrom('product_variant as v')
		.innerJoin('product as p', 'p.id', 'v.product_id')
		.leftJoin('inventory_level as il', 'il.variant_id', 'v.id')
		.leftJoin('money_amount as ma', (join) =>
			join.onRef('ma.variant_id', '=', 'v.id').on('ma.currency_code', '=', currency),
		)
		.select(['v.id', 'v.title', 'p.title as product_title', 'ma.amount', 'il.stocked_quantity', 'il.reserved_quantity'])
		.where('v.id', '=', variantId)
		.where('v.active', '=', 1)
		.where('p.active', '=', 1)
		.executeTakeFirst();
}

export async function insertLine(
	db: Db,
	cartId: string,
	variantId: string,
	quantity: number,
	metadata: string | null,
	at: string,
): Promise<string> {
	const id = newId('item');
	await db
		.insertInto('line_item')
		.values({ id, cart_id: cartId, variant_id: variantId, quantity, metadata, created_at: at, updated_at: at })
		.execute();
	return id;
}

export async function setLineQuantity(db: Db, lineId: string, quantity: number, at: string): Promise<void> {
	await db.updateTable('line_item').set({ quantity, updated_at: at }).where('id', '=', lineId).execute();
}

export async function deleteLines(db: Db, lineIds: string[]): Promise<void> {
	if (lineIds.length) await db.deleteFrom('line_item').where('id', 'in', lineIds).execute();
}

export async function findShippingMethod(db: Db, cartId: string) {
	return db.selectFrom('shipping_method').selectAll().where('cart_id', '=', cartId).executeTakeFirst();
}

/** Replaces the cart's shipping method (one per cart: one shipping profile). */
export async function setShippingMethod(db: Db, cartId: string, optionId: string, at: string): Promise<void> {
	await db.deleteFrom('shipping_method').where('cart_id', '=', cartId).execute();
	await db
		.insertInto('shipping_method')
		.values({ id: newId('sm'), cart_id: cartId, shipping_option_id: optionId, created_at: at })
		.execute();
}

export async function deleteShippingMethod(db: Db, cartId: string): Promise<void> {
	await db.deleteFrom('shipping_method').where('cart_id', '=', cartId).execute();
}

export async function listCartDiscountIds(db: Db, cartId: string): Promise<string[]> {
	const rows = await db.selectFrom('cart_discount').select('discount_id').where('cart_id', '=', cartId).execute();
	return rows.map((r) => r.discount_id);
}

export async function setCartDiscounts(db: Db, cartId: string, discountIds: string[]): Promise<void> {
	await db.deleteFrom('cart_discount').where('cart_id', '=', cartId).execute();
	if (discountIds.length) {
		await db
			.insertInto('cart_discount')
			.values(discountIds.map((discount_id) => ({ cart_id: cartId, discount_id })))
			.execute();
	}
}

export type AddressFields = Omit<AddressTable, 'id' | 'customer_id' | 'created_at' | 'updated_at'>;

export async function findAddress(db: Db, id: string | null): Promise<Address | undefined> {
	if (!id) return undefined;
	return db.selectFrom('address').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes a cart address: updates the cart's own row or creates one (addresses are never shared between carts). */
export async function saveAddress(
	db: Db,
	existingId: string | null,
	fields: Partial<AddressFields>,
	at: string,
): Promise<string> {
	if (existingId) {
		await db
			.updateTable('address')
			.set({ ...fields, updated_at: at })
			.where('id', '=', existingId)
			.execute();
		return existingId;
	}
	const id = newId('addr');
	const empty: AddressFields = {
		company: null,
		first_name: null,
		last_name: null,
		address_1: null,
		address_2: null,
		city: null,
		country_code: null,
		province: null,
		postal_code: null,
		phone: null,
	};
	await db
		.insertInto('address')
		.values({ ...empty, ...fields, id, customer_id: null, created_at: at, updated_at: at })
		.execute();
	return id;
}

/** The region id of a cart, or `undefined` when there is no such cart (pricing context for catalog reads). */
export async function findCartRegionId(db: Db, cartId: string): Promise<string | undefined> {
	const row = await db.selectFrom('cart').select('region_id').where('id', '=', cartId).executeTakeFirst();
	return row?.region_id;
}

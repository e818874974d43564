import type { Kysely } from 'kysely';
import { compiledQuery } from '../compiled-query.ts';
import { newId } from '../ids.ts';
import { forUpdate } from '../transaction.ts';
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
	/** The product is a gift card sold in the shop (`giftCard: true`). */
	isGiftcard: boolean;
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

const cartById = compiledQuery((db: Db, id: string) => db.selectFrom('cart').selectAll().where('id', '=', id));

export async function findCart(db: Db, id: string): Promise<Cart | undefined> {
	return (await cartById(db, id)).rows[0];
}

/**
 * The cart, locked until the caller's write transaction ends: every change of a cart (lines, codes, completion) starts
 * here, so two requests for one cart on two servers take turns instead of both reading and then both writing.
 */
export async function findCartForUpdate(db: Db, id: string): Promise<Cart | undefined> {
	return (await cartByIdForUpdate(db, id)).rows[0];
}

const cartByIdForUpdate = compiledQuery((db: Db, id: string) =>
	forUpdate(db, db.selectFrom('cart').selectAll().where('id', '=', id)),
);

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

/** Marks a cart completed (inside the completion's transaction, which checked it was not). */
export async function markCartCompleted(db: Db, id: string, at: string): Promise<void> {
	await cartCompleted(db, id, at);
}

const cartCompleted = compiledQuery((db: Db, id: string, at: string) =>
	db.updateTable('cart').set({ completed_at: at, updated_at: at }).where('id', '=', id),
);

// Read by every cart answer and twice by a completion: compiled once (compiled-query.ts).
const cartLines = compiledQuery((db: Db, cartId: string, currency: string) =>
	db
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
			'p.is_giftcard',
			'p.thumbnail',
			'p.category_id',
			'ma.amount',
			'il.stocked_quantity',
			'il.reserved_quantity',
		])
		.where('li.cart_id', '=', cartId)
		.orderBy('li.created_at')
		.orderBy('li.id'),
);

export async function loadCartLines(db: Db, cartId: string, currency: string): Promise<CartLineRow[]> {
	const { rows } = await cartLines(db, cartId, currency);
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
		isGiftcard: r.is_giftcard === 1,
		thumbnail: r.thumbnail,
		categoryId: r.category_id,
		unitPrice: r.amount ?? null,
		available: (r.stocked_quantity ?? 0) - (r.reserved_quantity ?? 0),
	}));
}

/** A variant as the cart needs it to take an item: its price in the cart's currency and the stock available now. */
export interface PurchasableVariant {
	id: string;
	title: string;
	productTitle: string;
	/** null when the variant has no price in that currency. */
	unitPrice: number | null;
	/** stocked − reserved right now (0 without an inventory level). */
	available: number;
}

/** The variant as the cart needs it: purchasable only when it and its product are active. */
export async function findPurchasableVariant(
	db: Db,
	variantId: string,
	currency: string,
): Promise<PurchasableVariant | undefined> {
	const row = await db
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
	return (
		row && {
			id: row.id,
			title: row.title,
			productTitle: row.product_title,
			unitPrice: row.amount ?? null,
			available: (row.stocked_quantity ?? 0) - (row.reserved_quantity ?? 0),
		}
	);
}

/** A stored cart line (no catalog data). */
export interface StoredLine {
	id: string;
	variantId: string;
	quantity: number;
	metadata: string | null;
}

const LINE_COLUMNS = ['id', 'variant_id', 'quantity', 'metadata'] as const;
const toStoredLine = (row: { id: string; variant_id: string; quantity: number; metadata: string | null }) => ({
	id: row.id,
	variantId: row.variant_id,
	quantity: row.quantity,
	metadata: row.metadata,
});

/** The cart's lines, oldest first. */
export async function listLines(db: Db, cartId: string): Promise<StoredLine[]> {
	const rows = await db
		.selectFrom('line_item')
		.select(LINE_COLUMNS)
		.where('cart_id', '=', cartId)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	return rows.map(toStoredLine);
}

/**
 * One line of this cart, by its id or by its variant (lines are unique per variant); a line of another cart is not
 * found.
 */
export async function findLine(
	db: Db,
	cartId: string,
	by: { id: string } | { variantId: string },
): Promise<StoredLine | undefined> {
	const row = await db
		.selectFrom('line_item')
		.select(LINE_COLUMNS)
		.where('cart_id', '=', cartId)
		.where((eb) => ('id' in by ? eb('id', '=', by.id) : eb('variant_id', '=', by.variantId)))
		.executeTakeFirst();
	return row && toStoredLine(row);
}

/** Ids of the cart's lines whose variant has no price in `currency`. */
export async function listUnpricedLineIds(db: Db, cartId: string, currency: string): Promise<string[]> {
	const rows = await db
		.selectFrom('line_item as li')
		.leftJoin('money_amount as ma', (join) =>
			join.onRef('ma.variant_id', '=', 'li.variant_id').on('ma.currency_code', '=', currency),
		)
		.select(['li.id', 'ma.amount'])
		.where('li.cart_id', '=', cartId)
		.execute();
	return rows.filter((r) => r.amount === null).map((r) => r.id);
}

/** The owner of a cart: `{ customerId }` (null for an anonymous cart), or undefined when there is no such cart. */
export async function findCartOwner(db: Db, cartId: string): Promise<{ customerId: string | null } | undefined> {
	const row = (await cartOwner(db, cartId)).rows[0];
	return row && { customerId: row.customer_id };
}

// Checked by every request on a cart: compiled once (compiled-query.ts).
const cartOwner = compiledQuery((db: Db, cartId: string) =>
	db.selectFrom('cart').select('customer_id').where('id', '=', cartId),
);

/** Gives the customer's open carts a new email (an account's email change; confirmations follow the account). */
export async function setOpenCartsEmail(db: Db, customerId: string, email: string, at: string): Promise<void> {
	await db
		.updateTable('cart')
		.set({ email, updated_at: at })
		.where('customer_id', '=', customerId)
		.where('completed_at', 'is', null)
		.execute();
}

/**
 * Deletes a cart with its own address rows (a cart's addresses are never shared); lines, codes and its shipping
 * method go with it (foreign keys cascade).
 */
export async function deleteCart(db: Db, cart: Pick<Cart, 'id' | 'shipping_address_id' | 'billing_address_id'>) {
	await db.deleteFrom('cart').where('id', '=', cart.id).execute();
	const addressIds = [cart.shipping_address_id, cart.billing_address_id].filter((id): id is string => Boolean(id));
	if (addressIds.length) await db.deleteFrom('address').where('id', 'in', addressIds).execute();
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

const shippingMethodOfCart = compiledQuery((db: Db, cartId: string) =>
	db.selectFrom('shipping_method').selectAll().where('cart_id', '=', cartId),
);

export async function findShippingMethod(db: Db, cartId: string) {
	return (await shippingMethodOfCart(db, cartId)).rows[0];
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

const cartDiscountIds = compiledQuery((db: Db, cartId: string) =>
	db.selectFrom('cart_discount').select('discount_id').where('cart_id', '=', cartId),
);

export async function listCartDiscountIds(db: Db, cartId: string): Promise<string[]> {
	const { rows } = await cartDiscountIds(db, cartId);
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

const addressById = compiledQuery((db: Db, id: string) => db.selectFrom('address').selectAll().where('id', '=', id));

export async function findAddress(db: Db, id: string | null): Promise<Address | undefined> {
	if (!id) return undefined;
	return (await addressById(db, id)).rows[0];
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

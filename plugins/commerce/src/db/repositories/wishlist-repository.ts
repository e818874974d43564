import type { Kysely } from 'kysely';
import type { Database } from '../types.ts';

type Db = Kysely<Database>;

/** A saved variant with the product data a wishlist shows, joined from the live catalog. */
export interface WishlistRow {
	variant_id: string;
	product_id: string;
	handle: string;
	title: string;
	variant_title: string;
	thumbnail: string | null;
	/** 1 while product and variant are both sold. */
	available: number;
	created_at: string;
}

/** A customer's saved variants, most recently added first. */
export async function listWishlist(db: Db, customerId: string): Promise<WishlistRow[]> {
	return db
		.selectFrom('wishlist_item as w')
		.innerJoin('product_variant as v', 'v.id', 'w.variant_id')
		.innerJoin('product as p', 'p.id', 'v.product_id')
		.select([
			'w.variant_id',
			'v.product_id',
			'p.handle',
			'p.title',
			'v.title as variant_title',
			'p.thumbnail',
			'w.created_at',
		])
		.select((eb) => eb('p.active', '*', eb.ref('v.active')).as('available'))
		.where('w.customer_id', '=', customerId)
		.orderBy('w.created_at', 'desc')
		.orderBy('w.variant_id')
		.execute();
}

/** True when the variant exists and it and its product are sold (an inactive one cannot be added). */
export async function isVariantForSale(db: Db, variantId: string): Promise<boolean> {
	const row = await db
		.selectFrom('product_variant as v')
		.innerJoin('product as p', 'p.id', 'v.product_id')
		.select('v.id')
		.where('v.id', '=', variantId)
		.where('v.active', '=', 1)
		.where('p.active', '=', 1)
		.executeTakeFirst();
	return Boolean(row);
}

/** Saves a variant; saving it again keeps the first date (the primary key makes this idempotent). */
export async function addWishlistItem(db: Db, customerId: string, variantId: string, at: string): Promise<void> {
	await db
		.insertInto('wishlist_item')
		.values({ customer_id: customerId, variant_id: variantId, created_at: at })
		.onConflict((oc) => oc.columns(['customer_id', 'variant_id']).doNothing())
		.execute();
}

export async function removeWishlistItem(db: Db, customerId: string, variantId: string): Promise<void> {
	await db
		.deleteFrom('wishlist_item')
		.where('customer_id', '=', customerId)
		.where('variant_id', '=', variantId)
		.execute();
}

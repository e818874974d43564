import type { Kysely } from 'kysely';
import { notFound } from '../core/errors.ts';
import {
	addWishlistItem,
	isVariantForSale,
	listWishlist,
	removeWishlistItem,
} from '../db/repositories/wishlist-repository.ts';
import type { Database } from '../db/types.ts';

/** One saved variant as the Store API shows it (our extension). */
export interface WishlistEntry {
	variant_id: string;
	product_id: string;
	handle: string;
	title: string;
	variant_title: string;
	thumbnail: string | null;
	/** False once the product or variant is no longer sold; it stays listed so it can be removed. */
	available: boolean;
	added_at: string;
}

/** A customer's wishlist, most recently added first. */
export async function getWishlist(db: Kysely<Database>, customerId: string): Promise<WishlistEntry[]> {
	return (await listWishlist(db, customerId)).map((row) => ({
		variant_id: row.variant_id,
		product_id: row.product_id,
		handle: row.handle,
		title: row.title,
		variant_title: row.variant_title,
		thumbnail: row.thumbnail,
		available: Number(row.available) === 1,
		added_at: row.created_at,
	}));
}

/** Saves a variant for the customer; saving it twice changes nothing. Unknown or unsold variants are a 404. */
export async function addToWishlist(
	db: Kysely<Database>,
	customerId: string,
	variantId: string,
): Promise<WishlistEntry[]> {
	if (!(await isVariantForSale(db, variantId))) throw notFound(`Variant with id ${variantId} was not found`);
	await addWishlistItem(db, customerId, variantId, new Date().toISOString());
	return getWishlist(db, customerId);
}

/** Removes a variant; removing one that is not saved changes nothing. */
export async function removeFromWishlist(
	db: Kysely<Database>,
	customerId: string,
	variantId: string,
): Promise<WishlistEntry[]> {
	await removeWishlistItem(db, customerId, variantId);
	return getWishlist(db, customerId);
}

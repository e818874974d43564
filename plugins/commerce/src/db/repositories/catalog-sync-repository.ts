import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Database } from '../types.ts';

// Writes of the catalog sync (`services/catalog-sync.ts`): each function brings one part of the catalog to the state
// the content files describe and reports whether it had to change anything, so a sync that changes nothing writes
// nothing and ids stay stable. Stock is not here: it moves only through `services/inventory/move-stock.ts`.

type Db = Kysely<Database>;

/** Finds a category or collection by handle, renaming it if needed, or creates it; returns its id. */
export async function upsertTaxon(
	db: Db,
	kind: 'category' | 'collection',
	handle: string,
	name: string,
	at: string,
): Promise<string> {
	if (kind === 'category') {
		const existing = await db
			.selectFrom('product_category')
			.select('id')
			.where('handle', '=', handle)
			.executeTakeFirst();
		if (existing) {
			await db
				.updateTable('product_category')
				.set({ name, updated_at: at })
				.where('id', '=', existing.id)
				.where('name', '!=', name)
				.execute();
			return existing.id;
		}
		const id = newId('pcat');
		await db.insertInto('product_category').values({ id, handle, name, created_at: at, updated_at: at }).execute();
		return id;
	}
	const existing = await db
		.selectFrom('product_collection')
		.select('id')
		.where('handle', '=', handle)
		.executeTakeFirst();
	if (existing) {
		await db
			.updateTable('product_collection')
			.set({ title: name, updated_at: at })
			.where('id', '=', existing.id)
			.where('title', '!=', name)
			.execute();
		return existing.id;
	}
	const id = newId('pcol');
	await db
		.insertInto('product_collection')
		.values({ id, handle, title: name, created_at: at, updated_at: at })
		.execute();
	return id;
}

/** The product fields content owns. */
export interface ProductFields {
	title: string;
	subtitle: string | null;
	description: string;
	categoryId: string;
	collectionId: string | null;
	thumbnail: string | null;
	active: boolean;
	featured: boolean;
	rank: number;
	/** Sold as a gift card (content `giftCard: true`). */
	giftCard: boolean;
}

/** Creates the product with this handle or updates its fields when they differ. */
export async function saveProduct(
	db: Db,
	handle: string,
	fields: ProductFields,
	at: string,
): Promise<{ id: string; created: boolean; changed: boolean }> {
	const row = {
		title: fields.title,
		subtitle: fields.subtitle,
		description: fields.description,
		category_id: fields.categoryId,
		collection_id: fields.collectionId,
		thumbnail: fields.thumbnail,
		active: fields.active ? 1 : 0,
		featured: fields.featured ? 1 : 0,
		rank: fields.rank,
		is_giftcard: fields.giftCard ? 1 : 0,
	};
	const existing = await db.selectFrom('product').selectAll().where('handle', '=', handle).executeTakeFirst();
	if (!existing) {
		const id = newId('prod');
		await db
			.insertInto('product')
			.values({ id, handle, ...row, created_at: at, updated_at: at })
			.execute();
		return { id, created: true, changed: true };
	}
	const changed = (Object.keys(row) as (keyof typeof row)[]).some((key) => existing[key] !== row[key]);
	if (changed)
		await db
			.updateTable('product')
			.set({ ...row, updated_at: at })
			.where('id', '=', existing.id)
			.execute();
	return { id: existing.id, created: false, changed };
}

/** Replaces a product's images when they differ (in order); true when it did. */
export async function replaceImagesIfChanged(
	db: Db,
	productId: string,
	images: { url: string; alt: string }[],
): Promise<boolean> {
	const current = await db
		.selectFrom('product_image')
		.select(['url', 'alt'])
		.where('product_id', '=', productId)
		.orderBy('rank')
		.execute();
	if (JSON.stringify(current) === JSON.stringify(images.map((i) => ({ url: i.url, alt: i.alt })))) return false;
	await db.deleteFrom('product_image').where('product_id', '=', productId).execute();
	if (images.length) {
		await db
			.insertInto('product_image')
			.values(
				images.map((img, rank) => ({ id: newId('img'), product_id: productId, url: img.url, alt: img.alt, rank })),
			)
			.execute();
	}
	return true;
}

/** Replaces a product's tags when the set differs; true when it did. */
export async function replaceTagsIfChanged(db: Db, productId: string, tags: string[]): Promise<boolean> {
	const current = await db
		.selectFrom('product_tag')
		.select('value')
		.where('product_id', '=', productId)
		.orderBy('value')
		.execute();
	const wanted = [...new Set(tags)].sort();
	if (JSON.stringify(current.map((t) => t.value)) === JSON.stringify(wanted)) return false;
	await db.deleteFrom('product_tag').where('product_id', '=', productId).execute();
	if (wanted.length) {
		await db
			.insertInto('product_tag')
			.values(wanted.map((value) => ({ id: newId('ptag'), product_id: productId, value })))
			.execute();
	}
	return true;
}

/** Upserts options by title (ids stay stable), drops options no longer declared; returns title → option id. */
export async function syncProductOptions(db: Db, productId: string, titles: string[]): Promise<Map<string, string>> {
	const existing = await db
		.selectFrom('product_option')
		.select(['id', 'title', 'rank'])
		.where('product_id', '=', productId)
		.execute();
	const ids = new Map<string, string>();
	for (const [rank, title] of titles.entries()) {
		const found = existing.find((o) => o.title === title);
		if (found) {
			if (found.rank !== rank)
				await db.updateTable('product_option').set({ rank }).where('id', '=', found.id).execute();
			ids.set(title, found.id);
		} else {
			const id = newId('opt');
			await db.insertInto('product_option').values({ id, product_id: productId, title, rank }).execute();
			ids.set(title, id);
		}
	}
	const stale = existing.filter((o) => !ids.has(o.title)).map((o) => o.id);
	if (stale.length) await db.deleteFrom('product_option').where('id', 'in', stale).execute();
	return ids;
}

/** Creates the variant with this SKU (active) or updates product, title, rank and reactivates it when they differ. */
export async function saveVariant(
	db: Db,
	productId: string,
	variant: { sku: string; title: string; rank: number },
	at: string,
): Promise<{ id: string; created: boolean; changed: boolean }> {
	const existing = await db.selectFrom('product_variant').selectAll().where('sku', '=', variant.sku).executeTakeFirst();
	if (!existing) {
		const id = newId('variant');
		await db
			.insertInto('product_variant')
			.values({
				id,
				product_id: productId,
				sku: variant.sku,
				title: variant.title,
				rank: variant.rank,
				active: 1,
				created_at: at,
				updated_at: at,
			})
			.execute();
		return { id, created: true, changed: true };
	}
	const changed =
		existing.product_id !== productId ||
		existing.title !== variant.title ||
		existing.rank !== variant.rank ||
		existing.active !== 1;
	if (changed) {
		await db
			.updateTable('product_variant')
			.set({ product_id: productId, title: variant.title, rank: variant.rank, active: 1, updated_at: at })
			.where('id', '=', existing.id)
			.execute();
	}
	return { id: existing.id, created: false, changed };
}

/** Sets a variant's value for each option (option id → value) and drops values of options gone; true if changed. */
export async function syncOptionValues(db: Db, variantId: string, values: Map<string, string>): Promise<boolean> {
	let changed = false;
	const current = await db
		.selectFrom('product_option_value')
		.select(['id', 'option_id', 'value'])
		.where('variant_id', '=', variantId)
		.execute();
	for (const [optionId, value] of values) {
		const found = current.find((v) => v.option_id === optionId);
		if (found && found.value !== value) {
			changed = true;
			await db.updateTable('product_option_value').set({ value }).where('id', '=', found.id).execute();
		} else if (!found) {
			changed = true;
			await db
				.insertInto('product_option_value')
				.values({ id: newId('optval'), option_id: optionId, variant_id: variantId, value })
				.execute();
		}
	}
	const stale = current.filter((v) => !values.has(v.option_id)).map((v) => v.id);
	if (stale.length) await db.deleteFrom('product_option_value').where('id', 'in', stale).execute();
	return changed;
}

/** Makes a variant's prices exactly `prices` (currency → minor units); true when anything changed. */
export async function syncPrices(
	db: Db,
	variantId: string,
	prices: Record<string, number>,
	at: string,
): Promise<boolean> {
	let changed = false;
	const current = await db
		.selectFrom('money_amount')
		.select(['currency_code', 'amount'])
		.where('variant_id', '=', variantId)
		.execute();
	for (const [currency, amount] of Object.entries(prices)) {
		if (current.find((p) => p.currency_code === currency)?.amount === amount) continue;
		changed = true;
		await db
			.insertInto('money_amount')
			.values({
				id: newId('ma'),
				variant_id: variantId,
				currency_code: currency,
				amount,
				created_at: at,
				updated_at: at,
			})
			.onConflict((oc) => oc.columns(['variant_id', 'currency_code']).doUpdateSet({ amount, updated_at: at }))
			.execute();
	}
	const dropped = current.map((p) => p.currency_code).filter((c) => !(c in prices));
	if (dropped.length) {
		changed = true;
		await db
			.deleteFrom('money_amount')
			.where('variant_id', '=', variantId)
			.where('currency_code', 'in', dropped)
			.execute();
	}
	return changed;
}

/** Deactivates active products whose handle is not listed (all of them for an empty list); returns how many. */
export async function deactivateProductsExcept(db: Db, handles: string[], at: string): Promise<number> {
	let query = db.updateTable('product').set({ active: 0, updated_at: at }).where('active', '=', 1);
	if (handles.length) query = query.where('handle', 'not in', handles);
	return Number((await query.executeTakeFirst()).numUpdatedRows);
}

/** Deactivates active variants whose SKU is not listed (all of them for an empty list); returns how many. */
export async function deactivateVariantsExcept(db: Db, skus: string[], at: string): Promise<number> {
	let query = db.updateTable('product_variant').set({ active: 0, updated_at: at }).where('active', '=', 1);
	if (skus.length) query = query.where('sku', 'not in', skus);
	return Number((await query.executeTakeFirst()).numUpdatedRows);
}

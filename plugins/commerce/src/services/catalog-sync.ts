import type { Kysely } from 'kysely';
import type { CatalogProduct } from '../content/product-schema.ts';
import { newId } from '../db/ids.ts';
import { writeTransaction } from '../db/transaction.ts';
import type { Database } from '../db/types.ts';

type Db = Kysely<Database>;

export interface SyncReport {
	productsCreated: number;
	productsUpdated: number;
	productsDeactivated: number;
	variantsCreated: number;
	variantsUpdated: number;
	variantsDeactivated: number;
}

const emptyReport = (): SyncReport => ({
	productsCreated: 0,
	productsUpdated: 0,
	productsDeactivated: 0,
	variantsCreated: 0,
	variantsUpdated: 0,
	variantsDeactivated: 0,
});

/**
 * Makes the database catalog match the content files, in one transaction (all or nothing).
 * Content owns titles, prices, options, images and `active`; the database owns stock, so stock from a file is used
 * once, when its SKU first appears, and recorded in the inventory ledger. Products and variants that left the content
 * become inactive, never deleted, because orders and the ledger reference them. Running it twice changes nothing.
 */
export async function syncCatalog(db: Db, products: CatalogProduct[], now = new Date()): Promise<SyncReport> {
	const at = now.toISOString();
	return writeTransaction(db, async (trx) => {
		const report = emptyReport();
		for (const [rank, product] of products.entries()) {
			await syncProduct(trx, product, rank, at, report);
		}
		const handles = products.map((p) => p.handle);
		const skus = products.flatMap((p) => p.variants.map((v) => v.sku));
		let goneProducts = trx.updateTable('product').set({ active: 0, updated_at: at }).where('active', '=', 1);
		if (handles.length) goneProducts = goneProducts.where('handle', 'not in', handles);
		report.productsDeactivated = Number((await goneProducts.executeTakeFirst()).numUpdatedRows);
		let goneVariants = trx.updateTable('product_variant').set({ active: 0, updated_at: at }).where('active', '=', 1);
		if (skus.length) goneVariants = goneVariants.where('sku', 'not in', skus);
		report.variantsDeactivated = Number((await goneVariants.executeTakeFirst()).numUpdatedRows);
		return report;
	});
}

async function upsertByHandle(
	db: Db,
	table: 'product_category' | 'product_collection',
	prefix: string,
	handle: string,
	name: string,
	at: string,
): Promise<string> {
	const column = table === 'product_category' ? 'name' : 'title';
	const existing = await db.selectFrom(table).select(['id']).where('handle', '=', handle).executeTakeFirst();
	if (existing) {
		await db
			.updateTable(table)
			.set({ [column]: name, updated_at: at })
			.where('id', '=', existing.id)
			.where(column, '!=', name)
			.execute();
		return existing.id;
	}
	const id = newId(prefix);
	await db
		.insertInto(table)
		.values({ id, handle, [column]: name, created_at: at, updated_at: at } as never)
		.execute();
	return id;
}

async function syncProduct(
	db: Db,
	product: CatalogProduct,
	rank: number,
	at: string,
	report: SyncReport,
): Promise<void> {
	const categoryId = await upsertByHandle(db, 'product_category', 'pcat', product.categoryHandle, product.category, at);
	const collectionId =
		product.collection && product.collectionHandle
			? await upsertByHandle(db, 'product_collection', 'pcol', product.collectionHandle, product.collection, at)
			: null;
	const fields = {
		title: product.title,
		subtitle: product.subtitle ?? null,
		description: product.description,
		category_id: categoryId,
		collection_id: collectionId,
		thumbnail: product.images[0]?.src ?? null,
		active: product.active ? 1 : 0,
		featured: product.featured ? 1 : 0,
		rank,
	};
	const existing = await db.selectFrom('product').selectAll().where('handle', '=', product.handle).executeTakeFirst();
	let productId: string;
	let changed: boolean;
	if (existing) {
		productId = existing.id;
		changed = (Object.keys(fields) as (keyof typeof fields)[]).some((key) => existing[key] !== fields[key]);
		if (changed)
			await db
				.updateTable('product')
				.set({ ...fields, updated_at: at })
				.where('id', '=', productId)
				.execute();
	} else {
		productId = newId('prod');
		changed = true;
		await db
			.insertInto('product')
			.values({ id: productId, handle: product.handle, ...fields, created_at: at, updated_at: at })
			.execute();
	}
	changed = (await syncImagesAndTags(db, productId, product)) || changed;
	const optionIds = await syncOptions(db, productId, product);
	if (existing && changed) report.productsUpdated++;
	if (!existing) report.productsCreated++;

	for (const [variantRank, variant] of product.variants.entries()) {
		await syncVariant(db, productId, optionIds, variant, variantRank, at, report);
	}
}

/** Replaces images and tags only when they differ, so ids stay stable across syncs that change nothing. */
async function syncImagesAndTags(db: Db, productId: string, product: CatalogProduct): Promise<boolean> {
	let changed = false;
	const images = await db
		.selectFrom('product_image')
		.select(['url', 'alt'])
		.where('product_id', '=', productId)
		.orderBy('rank')
		.execute();
	if (JSON.stringify(images) !== JSON.stringify(product.images.map((i) => ({ url: i.src, alt: i.alt })))) {
		changed = true;
		await db.deleteFrom('product_image').where('product_id', '=', productId).execute();
		if (product.images.length) {
			await db
				.insertInto('product_image')
				.values(
					product.images.map((img, rank) => ({
						id: newId('img'),
						product_id: productId,
						url: img.src,
						alt: img.alt,
						rank,
					})),
				)
				.execute();
		}
	}
	const tags = await db
		.selectFrom('product_tag')
		.select('value')
		.where('product_id', '=', productId)
		.orderBy('value')
		.execute();
	const wanted = [...new Set(product.tags)].sort();
	if (JSON.stringify(tags.map((t) => t.value)) !== JSON.stringify(wanted)) {
		changed = true;
		await db.deleteFrom('product_tag').where('product_id', '=', productId).execute();
		if (wanted.length) {
			await db
				.insertInto('product_tag')
				.values(wanted.map((value) => ({ id: newId('ptag'), product_id: productId, value })))
				.execute();
		}
	}
	return changed;
}

/** Upserts options by title (ids stay stable) and drops options the file no longer declares. */
async function syncOptions(db: Db, productId: string, product: CatalogProduct): Promise<Map<string, string>> {
	const existing = await db
		.selectFrom('product_option')
		.select(['id', 'title', 'rank'])
		.where('product_id', '=', productId)
		.execute();
	const ids = new Map<string, string>();
	for (const [rank, option] of product.options.entries()) {
		const found = existing.find((o) => o.title === option.title);
		if (found) {
			if (found.rank !== rank)
				await db.updateTable('product_option').set({ rank }).where('id', '=', found.id).execute();
			ids.set(option.title, found.id);
		} else {
			const id = newId('opt');
			await db.insertInto('product_option').values({ id, product_id: productId, title: option.title, rank }).execute();
			ids.set(option.title, id);
		}
	}
	const stale = existing.filter((o) => !ids.has(o.title)).map((o) => o.id);
	if (stale.length) await db.deleteFrom('product_option').where('id', 'in', stale).execute();
	return ids;
}

async function syncVariant(
	db: Db,
	productId: string,
	optionIds: Map<string, string>,
	variant: CatalogProduct['variants'][number],
	rank: number,
	at: string,
	report: SyncReport,
): Promise<void> {
	const existing = await db.selectFrom('product_variant').selectAll().where('sku', '=', variant.sku).executeTakeFirst();
	let variantId: string;
	let changed = false;
	if (existing) {
		variantId = existing.id;
		changed =
			existing.product_id !== productId ||
			existing.title !== variant.title ||
			existing.rank !== rank ||
			existing.active !== 1;
		if (changed) {
			await db
				.updateTable('product_variant')
				.set({ product_id: productId, title: variant.title, rank, active: 1, updated_at: at })
				.where('id', '=', variantId)
				.execute();
		}
	} else {
		variantId = newId('variant');
		await db
			.insertInto('product_variant')
			.values({
				id: variantId,
				product_id: productId,
				sku: variant.sku,
				title: variant.title,
				rank,
				active: 1,
				created_at: at,
				updated_at: at,
			})
			.execute();
		// First sight of this SKU: the file's stock becomes the opening balance; from now on the database owns it.
		await db
			.insertInto('inventory_level')
			.values({ variant_id: variantId, stocked_quantity: variant.stock, low_stock_threshold: null, updated_at: at })
			.execute();
		await db
			.insertInto('inventory_ledger')
			.values({
				id: newId('invl'),
				variant_id: variantId,
				delta: variant.stock,
				quantity_after: variant.stock,
				reason: 'sync_initial',
				reference_id: null,
				actor: 'catalog-sync',
				note: 'opening stock from the product file',
				created_at: at,
			})
			.execute();
		report.variantsCreated++;
	}

	const values = await db
		.selectFrom('product_option_value')
		.select(['id', 'option_id', 'value'])
		.where('variant_id', '=', variantId)
		.execute();
	for (const [title, optionId] of optionIds) {
		const value = variant.options[title];
		const found = values.find((v) => v.option_id === optionId);
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
	const staleValues = values.filter((v) => ![...optionIds.values()].includes(v.option_id)).map((v) => v.id);
	if (staleValues.length) await db.deleteFrom('product_option_value').where('id', 'in', staleValues).execute();

	const prices = await db
		.selectFrom('money_amount')
		.select(['currency_code', 'amount'])
		.where('variant_id', '=', variantId)
		.execute();
	for (const [currency, amount] of Object.entries(variant.prices)) {
		if (prices.find((p) => p.currency_code === currency)?.amount === amount) continue;
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
	const dropped = prices.map((p) => p.currency_code).filter((c) => !(c in variant.prices));
	if (dropped.length) {
		changed = true;
		await db
			.deleteFrom('money_amount')
			.where('variant_id', '=', variantId)
			.where('currency_code', 'in', dropped)
			.execute();
	}
	if (existing && changed) report.variantsUpdated++;
}

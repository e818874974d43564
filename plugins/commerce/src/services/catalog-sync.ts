import type { Kysely } from 'kysely';
import type { CatalogProduct } from '../content/product-schema.ts';
import {
	deactivateProductsExcept,
	deactivateVariantsExcept,
	replaceImagesIfChanged,
	replaceTagsIfChanged,
	saveProduct,
	saveVariant,
	syncOptionValues,
	syncPrices,
	syncProductOptions,
	upsertTaxon,
} from '../db/repositories/catalog-sync-repository.ts';
import { writeTransaction } from '../db/transaction.ts';
import type { Database } from '../db/types.ts';
import { openStock } from './inventory/move-stock.ts';

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
 * once, when its SKU first appears, as a `sync_initial` movement through `moveStock` (its ledger row included).
 * Products and variants that left the content become inactive, never deleted, because orders and the ledger reference
 * them. Running it twice changes nothing.
 */
export async function syncCatalog(db: Db, products: CatalogProduct[], now = new Date()): Promise<SyncReport> {
	const at = now.toISOString();
	return writeTransaction(db, async (trx) => {
		const report = emptyReport();
		for (const [rank, product] of products.entries()) {
			await syncProduct(trx, product, rank, at, report);
		}
		report.productsDeactivated = await deactivateProductsExcept(
			trx,
			products.map((p) => p.handle),
			at,
		);
		report.variantsDeactivated = await deactivateVariantsExcept(
			trx,
			products.flatMap((p) => p.variants.map((v) => v.sku)),
			at,
		);
		return report;
	});
}

async function syncProduct(
	db: Db,
	product: CatalogProduct,
	rank: number,
	at: string,
	report: SyncReport,
): Promise<void> {
	const categoryId = await upsertTaxon(db, 'category', product.categoryHandle, product.category, at);
	const collectionId =
		product.collection && product.collectionHandle
			? await upsertTaxon(db, 'collection', product.collectionHandle, product.collection, at)
			: null;
	const saved = await saveProduct(
		db,
		product.handle,
		{
			title: product.title,
			subtitle: product.subtitle ?? null,
			description: product.description,
			categoryId,
			collectionId,
			thumbnail: product.images[0]?.src ?? null,
			active: product.active,
			featured: product.featured,
			giftCard: product.giftCard,
			rank,
		},
		at,
	);
	const images = await replaceImagesIfChanged(
		db,
		saved.id,
		product.images.map((i) => ({ url: i.src, alt: i.alt })),
	);
	const tags = await replaceTagsIfChanged(db, saved.id, product.tags);
	const optionIds = await syncProductOptions(
		db,
		saved.id,
		product.options.map((o) => o.title),
	);
	if (saved.created) report.productsCreated++;
	else if (saved.changed || images || tags) report.productsUpdated++;

	for (const [variantRank, variant] of product.variants.entries()) {
		await syncVariant(db, saved.id, optionIds, variant, variantRank, at, report);
	}
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
	const saved = await saveVariant(db, productId, { sku: variant.sku, title: variant.title, rank }, at);
	// First sight of this SKU: the file's stock becomes the opening balance; from now on the database owns it.
	if (saved.created) {
		const opened = await openStock(db, saved.id, variant.stock, 'catalog-sync', at);
		if (!opened.ok)
			throw new Error(`The opening stock of ${variant.sku} (${variant.stock}) was refused: ${opened.reason}.`);
	}
	const values = new Map([...optionIds].map(([title, optionId]) => [optionId, variant.options[title]]));
	const optionsChanged = await syncOptionValues(db, saved.id, values);
	const pricesChanged = await syncPrices(db, saved.id, variant.prices, at);
	if (saved.created) report.variantsCreated++;
	else if (saved.changed || optionsChanged || pricesChanged) report.variantsUpdated++;
}

import type { Kysely } from 'kysely';
import {
	findAvailableStock,
	listActiveProductKeys,
	loadProducts,
	type ProductRecord,
	readCatalogRevision,
	type VariantRecord,
} from '../../db/repositories/product-repository.ts';
import type { Database } from '../../db/types.ts';
import { CatalogIndex } from './catalog-index.ts';

type Db = Kysely<Database>;

/** Products loaded per query while building: keeps every `in (…)` list far below SQLite's and PostgreSQL's limits. */
const LOAD_BATCH = 400;

interface Entry {
	revision: number;
	index: Promise<CatalogIndex>;
}

// One index per open database (a process normally has one). Keyed weakly so tests' databases are collected.
const entries = new WeakMap<Db, Entry>();

/**
 * The catalog index for this database, current as of this request: one read of the catalog revision (migration 0025
 * bumps it on every catalog change, from any process), and a rebuild only when it moved. Concurrent requests share
 * one rebuild. A product list therefore never shows a catalog older than the last committed sync or admin edit.
 */
export async function catalogIndex(db: Db): Promise<CatalogIndex> {
	const revision = await readCatalogRevision(db);
	const current = entries.get(db);
	if (current?.revision === revision) return current.index;
	const entry: Entry = { revision, index: buildCatalogIndex(db, revision) };
	entries.set(db, entry);
	entry.index.catch(() => {
		// A failed build is not kept: the next request tries again.
		if (entries.get(db) === entry) entries.delete(db);
	});
	return entry.index;
}

/** Reads the active catalog. Changes while it loads bump the revision past `revision`, so the next request rebuilds. */
export async function buildCatalogIndex(db: Db, revision: number): Promise<CatalogIndex> {
	const keys = await listActiveProductKeys(db);
	const records = new Map<string, ProductRecord>();
	for (let start = 0; start < keys.length; start += LOAD_BATCH) {
		const batch = keys.slice(start, start + LOAD_BATCH).map((k) => k.id);
		for (const record of await loadProducts(db, batch)) records.set(record.id, record);
	}
	return new CatalogIndex(
		revision,
		keys.flatMap((k) => {
			const record = records.get(k.id);
			return record ? [{ record, categoryId: k.categoryId, rank: k.rank }] : [];
		}),
	);
}

/** Copies of `products` whose variants carry the stock on sale now (one query for all of them). */
export async function withLiveStock(db: Db, products: readonly ProductRecord[]): Promise<ProductRecord[]> {
	const stock = await findAvailableStock(
		db,
		products.flatMap((p) => p.variants.map((v) => v.id)),
	);
	return products.map((p) => ({ ...p, variants: p.variants.map((v) => stocked(v, stock)) }));
}

/** Copies of `variants` with the stock on sale now. */
export async function variantsWithLiveStock(db: Db, variants: readonly VariantRecord[]): Promise<VariantRecord[]> {
	const stock = await findAvailableStock(
		db,
		variants.map((v) => v.id),
	);
	return variants.map((v) => stocked(v, stock));
}

const stocked = (variant: VariantRecord, stock: Map<string, number>): VariantRecord => ({
	...variant,
	inventoryQuantity: stock.get(variant.id) ?? 0,
});

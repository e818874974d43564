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
	const interned = new Map<string, string>();
	for (let start = 0; start < keys.length; start += LOAD_BATCH) {
		const batch = keys.slice(start, start + LOAD_BATCH).map((k) => k.id);
		for (const record of await loadProducts(db, batch)) records.set(record.id, internStrings(record, interned));
	}
	return new CatalogIndex(
		revision,
		keys.flatMap((k) => {
			const record = records.get(k.id);
			return record ? [{ record, categoryId: k.categoryId, rank: k.rank }] : [];
		}),
	);
}

/**
 * Makes equal strings of the records one string: every row read from the database is a fresh string, and a catalog
 * repeats most of its values (each price's and variant's timestamps from one sync, currency codes, option names,
 * image paths) — at 1,000 products ~20,000 copies of one timestamp alone. The index lives as long as the process.
 */
function internStrings<T>(value: T, seen: Map<string, string>): T {
	if (typeof value === 'string') {
		const known = seen.get(value);
		if (known !== undefined) return known as T;
		seen.set(value, value);
		return value;
	}
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) value[i] = internStrings(value[i], seen);
	} else if (value !== null && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		for (const key of Object.keys(record)) record[key] = internStrings(record[key], seen);
	}
	return value;
}

/** Products as the index holds them (the same objects until the catalog changes) and the stock on sale now. */
export interface LiveProducts {
	/** Copies whose variants carry the live stock. */
	items: ProductRecord[];
	/** The index's own records, in the same order: stable per catalog revision, so responses can be cached by them. */
	sources: readonly ProductRecord[];
	/** Units on sale per variant id (absent: none). */
	stock: ReadonlyMap<string, number>;
}

/** Copies of `products` whose variants carry the stock on sale now (one query for all of them). */
export async function withLiveStock(db: Db, products: readonly ProductRecord[]): Promise<LiveProducts> {
	const stock = await findAvailableStock(
		db,
		products.flatMap((p) => p.variants.map((v) => v.id)),
	);
	return {
		items: products.map((p) => ({ ...p, variants: p.variants.map((v) => stocked(v, stock)) })),
		sources: products,
		stock,
	};
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

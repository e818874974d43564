import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../types.ts';
import {
	type CategoryRecord,
	type CollectionRecord,
	containsIgnoringCase,
	containsPattern,
	type Page,
} from './catalog-records.ts';

// Categories and collections as the Store API lists them: only those holding an active product. Portable SQL.

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Categories that hold at least one active product, ranked by content order, filtered and paged; `count` is the total
 * number of matches. Ranks are computed before filtering so a category keeps its rank in every answer.
 */
export async function findCategoryPage(
	db: Db,
	filter: { ids?: string[]; handle?: string; q?: string },
	page: Page,
): Promise<{ categories: CategoryRecord[]; count: number }> {
	if (filter.ids && !filter.ids.length) return { categories: [], count: 0 };
	const ranked = db
		.selectFrom('product_category as c')
		.innerJoin('product as p', 'p.category_id', 'c.id')
		.where('p.active', '=', 1)
		.groupBy(['c.id', 'c.handle', 'c.name', 'c.created_at', 'c.updated_at'])
		.select(['c.id', 'c.handle', 'c.name', 'c.created_at', 'c.updated_at'])
		.select((eb) =>
			eb.fn
				.agg<number>('row_number')
				.over((ob) => ob.orderBy(eb.fn.min('p.rank')).orderBy('c.handle'))
				.as('position'),
		);
	let query = db.selectFrom(ranked.as('rc'));
	if (filter.ids) query = query.where('rc.id', 'in', filter.ids);
	if (filter.handle !== undefined) query = query.where('rc.handle', '=', filter.handle);
	if (filter.q) {
		const pattern = containsPattern(filter.q);
		query = query.where((eb) =>
			eb.or([containsIgnoringCase(eb.ref('rc.name'), pattern), containsIgnoringCase(eb.ref('rc.handle'), pattern)]),
		);
	}
	const [rows, total] = await Promise.all([
		query.selectAll().orderBy('rc.position').limit(page.limit).offset(page.offset).execute(),
		query.select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow(),
	]);
	return {
		categories: rows.map((r) => ({
			id: r.id,
			handle: r.handle,
			name: r.name,
			rank: Number(r.position) - 1,
			createdAt: r.created_at,
			updatedAt: r.updated_at,
		})),
		count: Number(total.count),
	};
}

/** Collections that hold at least one active product, in content order, filtered and paged, with the total count. */
export async function findCollectionPage(
	db: Db,
	filter: { ids?: string[]; handles?: string[] },
	page: Page,
): Promise<{ collections: CollectionRecord[]; count: number }> {
	if (filter.ids && !filter.ids.length) return { collections: [], count: 0 };
	const visible = db
		.selectFrom('product_collection as c')
		.innerJoin('product as p', 'p.collection_id', 'c.id')
		.where('p.active', '=', 1)
		.groupBy(['c.id', 'c.handle', 'c.title', 'c.created_at', 'c.updated_at'])
		.select(['c.id', 'c.handle', 'c.title', 'c.created_at', 'c.updated_at'])
		.select((eb) => eb.fn.min('p.rank').as('first_rank'));
	let query = db.selectFrom(visible.as('vc'));
	if (filter.ids) query = query.where('vc.id', 'in', filter.ids);
	if (filter.handles?.length) query = query.where('vc.handle', 'in', filter.handles);
	const [rows, total] = await Promise.all([
		query.selectAll().orderBy('vc.first_rank').orderBy('vc.handle').limit(page.limit).offset(page.offset).execute(),
		query.select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow(),
	]);
	return {
		collections: rows.map((r) => ({
			id: r.id,
			handle: r.handle,
			title: r.title,
			createdAt: r.created_at,
			updatedAt: r.updated_at,
		})),
		count: Number(total.count),
	};
}

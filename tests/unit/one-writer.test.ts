import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// One writer per invariant, checked on the source: stock and its ledger are written by one repository that only
// moveStock calls; order, payment and order-event rows by one repository that only services/orders calls. A new
// module that writes these tables directly fails here, naming the file.

const SRC = join(import.meta.dirname, '../../plugins/commerce/src');

function sources(dir = SRC): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sources(path);
		return /\.(ts|tsx|astro|mjs)$/.test(name) ? [relative(SRC, path)] : [];
	});
}

const files = sources().filter((f) => !f.startsWith('db/migrations/'));
const text = new Map(files.map((f) => [f, readFileSync(join(SRC, f), 'utf8')]));

/** Files whose text matches any pattern. */
const matching = (...patterns: RegExp[]) => files.filter((f) => patterns.some((p) => p.test(text.get(f)!)));

/** Kysely writes to a table (`updateTable('t')`, `insertInto('t')`, `deleteFrom('t')`, with an alias or not) or raw SQL ones. */
const writes = (table: string) => [
	new RegExp(`\\.(updateTable|insertInto|deleteFrom|replaceInto)\\(\\s*['"\`]${table}(\\s+as\\s+\\w+)?['"\`]`),
	new RegExp(`\\b(update|insert\\s+(or\\s+\\w+\\s+)?into|delete\\s+from)\\s+["\`]?${table}\\b`, 'i'),
];

/** Files importing any of `names` from a module whose path ends with `module`. */
function importers(module: string, names: string[]): string[] {
	const block = new RegExp(`import\\s*(type\\s*)?\\{([^}]*)\\}\\s*from\\s*['"][^'"]*${module}['"]`, 'g');
	return files.filter((f) =>
		[...text.get(f)!.matchAll(block)].some(
			(m) => !m[1] && names.some((n) => new RegExp(`(^|[\\s,])${n}([\\s,]|$)`).test(m[2])),
		),
	);
}

describe('one writer per invariant', () => {
	it('sees the source tree (a sanity check for the checks below)', () => {
		expect(files).toContain('db/repositories/stock-repository.ts');
		expect(files.length).toBeGreaterThan(100);
	});

	it('writes inventory levels and ledger rows only in db/repositories/stock-repository.ts', () => {
		expect(matching(...writes('inventory_level'), ...writes('inventory_ledger'))).toEqual([
			'db/repositories/stock-repository.ts',
		]);
	});

	it('moves stock only through services/inventory/move-stock.ts', () => {
		expect(importers('stock-repository.ts', ['applyStockMove', 'openStockLevel'])).toEqual([
			'services/inventory/move-stock.ts',
		]);
	});

	it('writes order, line, payment and order-event rows only in the order repositories', () => {
		expect(
			matching(
				...writes('orders'),
				...writes('order_line'),
				...writes('order_discount'),
				...writes('payment'),
				...writes('order_event'),
			).sort(),
		).toEqual(['db/repositories/order-claim-repository.ts', 'db/repositories/order-repository.ts']);
	});

	it('calls the order writers only from services/orders', () => {
		const writers = importers('order-repository.ts', [
			'insertOrder',
			'updateOrderState',
			'updatePayment',
			'insertOrderEvent',
			'addReturnedQuantity',
			'anonymiseOrderRows',
		]);
		const claims = importers('order-claim-repository.ts', ['attachGuestOrders']);
		for (const file of [...writers, ...claims]) expect(file).toMatch(/^services\/orders\//);
		expect(writers).toContain('services/orders/order-writer.ts');
		expect(writers).toContain('services/orders/place-order.ts');
	});

	it('keeps SQL and http/ out of the order, checkout, stock and outbox services', () => {
		const scoped = files.filter((f) =>
			/^services\/(orders|checkout|inventory|outbox)\/|^services\/admin\/(orders|inventory)\.ts$|^services\/catalog-sync\.ts$/.test(
				f,
			),
		);
		expect(scoped.length).toBeGreaterThan(15);
		const offenders = scoped.filter((f) =>
			/\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`|from '\.\.\/(\.\.\/)?http\//.test(text.get(f)!),
		);
		expect(offenders).toEqual([]);
	});

	it('has no query builder or sql template outside db/', () => {
		const outside = files.filter((f) => !f.startsWith('db/'));
		expect(
			outside.filter((f) => /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql`/.test(text.get(f)!)),
		).toEqual([]);
	});

	it('lets routes and admin pages reach the database only through services (type imports of db/ aside)', () => {
		const edge = files.filter((f) => /^(routes|admin|components|pages)\//.test(f) || f === 'middleware.ts');
		expect(edge.length).toBeGreaterThan(30);
		const valueImport = /import\s+(?!type\b)[^;]*?from\s*['"][^'"]*\/db\/[^'"]*['"]/;
		expect(edge.filter((f) => valueImport.test(text.get(f)!))).toEqual([]);
	});

	it('reads orders in routes only through services/orders/order-queries.ts', () => {
		const routes = files.filter((f) => f.startsWith('routes/'));
		const orderReads = routes.filter((f) => /order-queries\.ts['"]/.test(text.get(f)!));
		expect(orderReads).toContain('routes/store/order-routes.ts');
		expect(routes.filter((f) => /order(-list)?-repository\.ts['"]/.test(text.get(f)!))).toEqual([]);
	});
});

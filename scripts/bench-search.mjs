// `npm run bench` (search part): the two search engines issue 11 named, measured side by side over the same text. The
// Store API's `?q=` uses the in-memory trigram index (services/catalog/text-search.ts); the other candidate is SQLite's
// FTS5 with its trigram tokenizer (the only FTS5 tokenizer that answers substrings, as `q` means: "hood" finds
// "Hoodie", "fb-mug" a SKU). Both index the fields the Store API searches (title, subtitle, description, tags,
// variant titles and SKUs) of the generated bench catalog at 1,000 and 10,000 products, one field per FTS5 column so
// no match spans two fields, and answer each query with the set of matching products (what the catalog index then
// pages and counts). Reported per engine: build time, memory, and queries per second for each query.
// FTS5 runs on a database file as the store's would, its pages in SQLite's default cache, so its memory is the file.
// Writes tests/output/bench-search.json. Figures, not assertions.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import SQLite from 'better-sqlite3';
import { productText } from './lib/bench-site.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { TextSearchIndex } = await import(join(root, 'plugins/commerce/dist/services/catalog/text-search.js'));
const sizes = (process.env.BENCH_SEARCH_SIZES ?? '1000,10000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SEARCH_SECONDS ?? 0.5);
// What shoppers type: broad words (a third, a sixth, a quarter of the catalog), a two-word title, a SKU, a letter, a
// two-letter prefix and a word no product has.
const QUERIES = ['fleece', 'hoodie', 'winter', 'glacier mug', 'bench-123-m', 'o', 'mu', 'snowboard'];

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
/** The JavaScript heap plus memory outside it (the index's typed arrays live there). */
const heapUsed = () => {
	gc();
	gc();
	const { heapUsed: heap, external } = process.memoryUsage();
	return heap + external;
};
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const log = (line) => process.stdout.write(`${line}\n`);

function fieldsOf(i) {
	const p = productText(i);
	return {
		title: p.title,
		subtitle: p.subtitle,
		description: p.description,
		// One column per kind of field; several values of one kind are kept apart by a character no query contains.
		tags: p.tags.join('\u0001'),
		variants: p.variants.flatMap((v) => [v.title, v.sku]).join('\u0001'),
	};
}

/** Queries per second of `run`, over SECONDS (after a warm-up); also returns the last answer's hit count. */
function rate(run) {
	for (let i = 0; i < 20; i++) run();
	let n = 0;
	let hits = 0;
	const started = performance.now();
	const until = started + SECONDS * 1000;
	while (performance.now() < until) {
		for (let i = 0; i < 10; i++) hits = run();
		n += 10;
	}
	return { perSecond: Math.round(n / ((performance.now() - started) / 1000)), hits };
}

function inMemory(docs) {
	const before = heapUsed();
	const started = performance.now();
	const index = new TextSearchIndex(docs.map((fields, position) => ({ position, fields: Object.values(fields) })));
	const buildMs = performance.now() - started;
	const memoryMb = mb(heapUsed() - before);
	const count = (hits) => {
		let n = 0;
		for (let i = 0; i < hits.length; i++) n += hits[i];
		return n;
	};
	const queries = Object.fromEntries(QUERIES.map((q) => [q, rate(() => count(index.match(q)))]));
	return { buildMs: Math.round(buildMs), memoryMb, queries };
}

function fts5(docs) {
	const dir = mkdtempSync(join(tmpdir(), 'frostbuy-fts5-'));
	try {
		const db = new SQLite(join(dir, 'search.sqlite'));
		db.pragma('journal_mode = wal');
		const started = performance.now();
		db.exec(
			"create virtual table search using fts5(title, subtitle, description, tags, variants, tokenize = 'trigram')",
		);
		const insert = db.prepare(
			'insert into search (rowid, title, subtitle, description, tags, variants) values (?, ?, ?, ?, ?, ?)',
		);
		db.transaction(() => {
			docs.forEach((d, position) => {
				insert.run(position, d.title, d.subtitle, d.description, d.tags, d.variants);
			});
		})();
		db.exec("insert into search (search) values ('optimize')");
		const buildMs = performance.now() - started;
		db.pragma('wal_checkpoint(truncate)');
		const fileMb = mb(statSync(join(dir, 'search.sqlite')).size);
		// Three characters or more: a phrase query the trigram index answers. Shorter terms cannot use the index; FTS5
		// then scans every row with LIKE (its documented limit), as the in-memory index checks every text for one letter.
		const phrase = db.prepare('select rowid from search where search match ?').pluck();
		const like = db
			.prepare(
				"select rowid from search where title like ? escape '!' or subtitle like ? escape '!' or description like ? escape '!' or tags like ? escape '!' or variants like ? escape '!'",
			)
			.pluck();
		const mask = new Uint8Array(docs.length);
		const run = (q) => {
			mask.fill(0);
			const rows =
				q.length >= 3
					? phrase.all(`"${q.replaceAll('"', '""')}"`)
					: like.all(...Array(5).fill(`%${q.replace(/[!%_]/g, '!$&')}%`));
			for (const rowid of rows) mask[rowid] = 1;
			return rows.length;
		};
		const queries = Object.fromEntries(QUERIES.map((q) => [q, rate(() => run(q))]));
		db.close();
		return { buildMs: Math.round(buildMs), memoryMb: fileMb, memoryIs: 'database file', queries };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const results = [];
for (const size of sizes) {
	const docs = Array.from({ length: size }, (_, i) => fieldsOf(i));
	const memory = inMemory(docs);
	const sqlite = fts5(docs);
	for (const q of QUERIES) {
		if (memory.queries[q].hits !== sqlite.queries[q].hits)
			throw new Error(`"${q}" at ${size}: in-memory ${memory.queries[q].hits} hits, FTS5 ${sqlite.queries[q].hits}`);
	}
	results.push({ products: size, inMemory: memory, fts5: sqlite });
}

log('\nsearch engines over the same fields (set of matching products per query, in process)');
log(`${'query'.padEnd(14)}${'hits'.padStart(7)}  ${'in-memory q/s'.padStart(14)}  ${'FTS5 q/s'.padStart(10)}  ratio`);
for (const r of results) {
	log(
		`— ${r.products.toLocaleString('en-US')} products: build ${r.inMemory.buildMs} ms vs ${r.fts5.buildMs} ms; memory ${r.inMemory.memoryMb} MB in memory vs ${r.fts5.memoryMb} MB of database file`,
	);
	for (const q of QUERIES) {
		const a = r.inMemory.queries[q];
		const b = r.fts5.queries[q];
		log(
			`${`"${q}"`.padEnd(14)}${String(a.hits).padStart(7)}  ${String(a.perSecond).padStart(14)}  ${String(b.perSecond).padStart(10)}  ${Math.round((a.perSecond / b.perSecond) * 10) / 10} ×`,
		);
	}
}
mkdirSync(join(root, 'tests/output'), { recursive: true });
writeFileSync(
	join(root, 'tests/output/bench-search.json'),
	`${JSON.stringify({ measuredAt: new Date().toISOString(), seconds: SECONDS, queries: QUERIES, results }, null, '\t')}\n`,
);
log('\nWrote tests/output/bench-search.json');

// In-memory substring search over the catalog: a trigram (and bigram) inverted index narrows the candidates, an exact
// `includes` check confirms them. Same meaning as the SQL `lower(field) like '%term%'` it replaces (a product matches
// when one of its fields contains the whole term, case-insensitively), without scanning every product per request.

/** Never part of a shopper's term (the query schema takes printable text), so no match can span two fields. */
const FIELD_SEPARATOR = '\u0001';

export interface SearchDocument {
	/** Position of the document in the caller's list: the index of its byte in `match`'s answer. */
	position: number;
	fields: readonly (string | null | undefined)[];
}

/** Lower-cases for matching. JavaScript's `toLowerCase` folds every script, not only ASCII as SQLite's `lower()`. */
export const foldCase = (text: string): string => text.toLowerCase();

export class TextSearchIndex {
	readonly #texts: string[] = [];
	readonly #grams = new Map<string, Uint32Array>();

	constructor(documents: readonly SearchDocument[]) {
		const postings = new Map<string, number[]>();
		for (const doc of documents) {
			const text = doc.fields
				.filter((f): f is string => typeof f === 'string' && f.length > 0)
				.map(foldCase)
				.join(FIELD_SEPARATOR);
			this.#texts[doc.position] = text;
			const seen = new Set<string>();
			for (let i = 0; i + 2 <= text.length; i++) {
				seen.add(text.slice(i, i + 2));
				if (i + 3 <= text.length) seen.add(text.slice(i, i + 3));
			}
			for (const gram of seen) {
				if (gram.includes(FIELD_SEPARATOR)) continue;
				const list = postings.get(gram);
				if (list) list.push(doc.position);
				else postings.set(gram, [doc.position]);
			}
		}
		// Typed arrays: a tenth of the memory of arrays of numbers, which matters at 10,000 products.
		for (const [gram, list] of postings) this.#grams.set(gram, Uint32Array.from(list.sort((a, b) => a - b)));
	}

	/**
	 * One byte per document position, 1 where the document contains `term` (case-insensitive): the caller tests its
	 * products against it without a list or a set per request, which a term matching a third of 10,000 products made
	 * the cost of a search. A one-character term checks every document; a two- or three-character one is answered by
	 * its gram's postings alone (grams never span two fields); longer ones check the documents holding all their trigrams.
	 */
	match(term: string): Uint8Array {
		const hits = new Uint8Array(this.#texts.length);
		const needle = foldCase(term);
		if (needle.includes(FIELD_SEPARATOR)) return hits;
		if (needle.length < 2) {
			for (let position = 0; position < this.#texts.length; position++) {
				if (this.#texts[position]?.includes(needle)) hits[position] = 1;
			}
			return hits;
		}
		if (needle.length <= 3) {
			for (const position of this.#grams.get(needle) ?? []) hits[position] = 1;
			return hits;
		}
		const candidates = this.#candidates(needle);
		for (let i = 0; i < candidates.length; i++) {
			const position = candidates[i] as number;
			if (this.#texts[position]?.includes(needle)) hits[position] = 1;
		}
		return hits;
	}

	/** Documents holding every trigram of `needle` (four characters or more), ascending. */
	#candidates(needle: string): ArrayLike<number> {
		const lists: Uint32Array[] = [];
		for (let i = 0; i + 3 <= needle.length; i++) {
			const list = this.#grams.get(needle.slice(i, i + 3));
			if (!list) return [];
			if (!lists.includes(list)) lists.push(list);
		}
		lists.sort((a, b) => a.length - b.length);
		let result: ArrayLike<number> = lists[0] as Uint32Array;
		for (let i = 1; i < lists.length && result.length; i++) result = intersect(result, lists[i] as Uint32Array);
		return result;
	}
}

/** Both ascending; a merge walk. */
function intersect(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
	const out: number[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		const x = a[i] as number;
		const y = b[j] as number;
		if (x === y) {
			out.push(x);
			i++;
			j++;
		} else if (x < y) i++;
		else j++;
	}
	return out;
}

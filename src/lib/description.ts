import { createMarkdownProcessor, type MarkdownProcessor } from '@astrojs/markdown-remark';

// Product descriptions are Markdown (the body of content/products/<handle>.md). They go through Astro's own Markdown
// processor with Astro's defaults (GitHub-flavoured Markdown, smart punctuation, heading ids, Shiki for code), so the
// HTML is what a content collection's `render()` gave, without the collection: one processor per build, made on
// first use (its highlighter is the costly part).
let processor: Promise<MarkdownProcessor> | undefined;

// Plain prose: letters, digits, spaces and punctuation that means nothing to Markdown, GFM or smart punctuation, on
// lines that start with a letter or digit and end without a hard break. A hyphen inside a word and an apostrophe
// between letters are allowed (smart punctuation turns the latter into ’). Anything else takes the processor.
const PLAIN_LINE = /^[\p{L}\p{N}](?:[\p{L}\p{N} ,.;:?!()/%$€£]|(?<=[\p{L}\p{N}])[-'](?=[\p{L}\p{N}]))*(?<! )$/u;
const NOT_PLAIN = /\.\.|:\/\/|www\.|^\d+[.)]/imu;

/**
 * The HTML the processor gives for plain paragraphs, without running it (about 1 ms per description, a fifth of a
 * 10,000-product build's prerendering), or undefined when the text needs the processor. A unit test holds it equal
 * to the processor's output (tests/unit/description-html.test.ts).
 */
export function plainParagraphsHtml(markdown: string): string | undefined {
	const paragraphs = markdown
		.replace(/^(?:[ \t]*\n)+/, '')
		.trimEnd()
		.split(/\n(?:[ \t]*\n)+/);
	const lines = paragraphs.flatMap((paragraph) => paragraph.split('\n'));
	if (!lines.every((line) => PLAIN_LINE.test(line) && !NOT_PLAIN.test(line))) return undefined;
	return paragraphs.map((paragraph) => `<p>${paragraph.replace(/(?<=\p{L})'(?=\p{L})/gu, '\u2019')}</p>`).join('\n');
}

/** A product description as HTML, for `set:html` (the Markdown comes from the shop's own files). */
export async function descriptionHtml(markdown: string): Promise<string> {
	const plain = plainParagraphsHtml(markdown);
	if (plain !== undefined) return plain;
	processor ??= createMarkdownProcessor();
	return (await (await processor).render(markdown)).code;
}

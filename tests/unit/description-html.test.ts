import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMarkdownProcessor } from '@astrojs/markdown-remark';
import { describe, expect, it } from 'vitest';
import { productFile } from '../../scripts/lib/bench-site.mjs';
import { descriptionHtml, plainParagraphsHtml } from '../../src/lib/description.ts';
import { repoRoot } from '../helpers/server.ts';

const bodyOf = (file: string) => file.split(/^---$/m).slice(2).join('---');

// The demo's descriptions, the benchmark's generated ones, and text near every edge of the plain-prose shortcut.
const samples = [
	...readdirSync(join(repoRoot, 'content/products')).map((name) =>
		bodyOf(readFileSync(join(repoRoot, 'content/products', name), 'utf8')),
	),
	...[0, 1, 3, 4, 12].map((i) => bodyOf(productFile(i))),
	"Don't wait: it's the gift card's best week.\n\nSecond paragraph, 100% cotton (pre-shrunk).",
	'Line one\nline two\n\n\n\nafter blank lines',
	"'Quoted' at the start and 90's end'",
	'Wait... for it -- or --- not.',
	'1. a list\n2. of items',
	'- a list',
	'A heading\n=========',
	'Visit www.example.com or https://example.com today',
	'Hard break  \nnext line',
	'Tabs\tinside',
	'Under_score and *stars* and `code` and <b>html</b> & ampersand',
	'    indented code',
	'Ends with a hyphen-\nand a-\n-starts',
	'Café crème, naïve façade: ünïcödé prose.',
	'Two  spaces inside, and a line\n  indented continuation',
	"It's 100% wool; isn't it? Yes!\nRock'n'roll (and R&B).",
];

describe('product description HTML', () => {
	it("is what Astro's Markdown processor gives, with or without the plain-prose shortcut", async () => {
		const processor = await createMarkdownProcessor();
		let shortcuts = 0;
		for (const markdown of samples) {
			const expected = (await processor.render(markdown)).code;
			expect(await descriptionHtml(markdown), markdown).toBe(expected);
			if (plainParagraphsHtml(markdown) !== undefined) shortcuts++;
		}
		// The shortcut must actually be taken for plain prose (the demo's files and the generated ones).
		expect(shortcuts).toBeGreaterThanOrEqual(10);
	});
});

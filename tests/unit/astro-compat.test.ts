import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASTRO_LINES, astroLine, astroMajor, peerInstallLine } from '../../plugins/commerce/src/astro-compat.ts';
import { productSchema } from '../../plugins/commerce/src/content/index.ts';
import { productSchema as productFileSchema } from '../../plugins/commerce/src/content/product-schema.ts';
import { repoRoot } from '../helpers/server.ts';

describe('astro-compat: what differs between Astro 5, 6 and 7', () => {
	it('names the adapter and Preact integration of each major in the install line the error hints print', () => {
		expect(peerInstallLine(5)).toBe('npm install @astrojs/node@^9 @astrojs/preact@^4 preact');
		expect(peerInstallLine(6)).toBe('npm install @astrojs/node@^10 @astrojs/preact@^5 preact');
		expect(peerInstallLine(7)).toBe('npm install @astrojs/node@^11 @astrojs/preact@^6 preact');
		// A newer major than we know gets the newest line's advice, not an Astro 5 one.
		expect(astroLine(8).astro).toBe(7);
		expect(astroMajor('7.3.5')).toBe(7);
	});

	it('reads the installed Astro (the demo is on 5)', () => {
		expect(astroMajor()).toBe(5);
	});

	it('declares peer ranges that cover every line, the adapters optional so npm never picks a mismatched one', () => {
		const pkg = JSON.parse(readFileSync(join(repoRoot, 'plugins/commerce/package.json'), 'utf8'));
		for (const line of Object.values(ASTRO_LINES)) {
			expect(pkg.peerDependencies.astro).toContain(`^${line.astro}.0.0`);
			expect(pkg.peerDependencies['@astrojs/node']).toContain(`${line.adapter.split('@^')[1]}.0.0`);
			expect(pkg.peerDependencies['@astrojs/preact']).toContain(`${line.preact.split('@^')[1]}.0.0`);
		}
		expect(pkg.peerDependenciesMeta).toEqual({
			'@astrojs/node': { optional: true },
			'@astrojs/preact': { optional: true },
		});
	});

	it("the collection schema (the site's astro/zod around the plugin's rules) parses and reports like the product schema", async () => {
		const ok = await productSchema.safeParseAsync({
			title: 'Mug',
			category: 'Kitchen',
			images: [{ src: '/m.svg', alt: 'A mug' }],
			variants: [{ sku: 'M-1', prices: { usd: 12.5 } }],
		});
		expect(ok.success && ok.data.variants[0]?.prices).toEqual({ usd: 1250 });
		const input = {
			title: 'Mug',
			category: 'Kitchen',
			images: [{ src: '/m.svg', alt: 'A mug' }],
			variants: [{ sku: 'M-1', prices: { usd: 12.505 } }],
		};
		const bad = await productSchema.safeParseAsync(input);
		const own = productFileSchema.safeParse(input);
		const issues = (list?: { path: PropertyKey[]; message: string }[]) =>
			list?.map((issue) => [issue.path.join('.'), issue.message]);
		expect(bad.success).toBe(false);
		expect(issues(bad.error?.issues)).toEqual(issues(own.error?.issues));
		expect(issues(bad.error?.issues)).toContainEqual([
			'variants.0.prices.usd',
			expect.stringContaining('more decimals than USD allows (2)'),
		]);
	});
});

import { createRequire } from 'node:module';
import { z } from 'astro/zod';

/**
 * Everything that differs between the Astro majors the plugin supports (5, 6, 7), in one place. The rest of the code
 * uses only APIs the three share: integration hooks, `injectRoute`, `addMiddleware`, `astro/loaders` glob,
 * `astro/errors`, the node adapter's `handler` export with `ASTRO_NODE_AUTOSTART=disabled`. What does differ:
 *
 * - which `@astrojs/node` / `@astrojs/preact` major fits (peers are optional so npm never picks a mismatched one);
 * - the Node the major needs (6 and 7 want ≥ 22.12);
 * - the zod inside `astro/zod` (3 in Astro 5, 4 in 6 and 7): a collection schema made with another zod parses, but
 *   Astro 6/7 cannot turn it into the JSON schema it writes and warns on every build.
 */
export interface AstroLine {
	astro: number;
	/** The adapter and renderer majors written for this Astro major. */
	adapter: string;
	preact: string;
	/** The Node versions this Astro major runs on. */
	node: string;
}

export const ASTRO_LINES: Record<5 | 6 | 7, AstroLine> = {
	5: { astro: 5, adapter: '@astrojs/node@^9', preact: '@astrojs/preact@^4', node: '18.20.8, 20.3+ or 22+' },
	6: { astro: 6, adapter: '@astrojs/node@^10', preact: '@astrojs/preact@^5', node: '22.12+' },
	7: { astro: 7, adapter: '@astrojs/node@^11', preact: '@astrojs/preact@^6', node: '22.12+' },
};

/**
 * The node adapter's server module (`serverEntrypoint: '@astrojs/node/server.js'`), which the server build bundles and
 * `dist/server/entry.mjs` loads at start: the one module of the server that runs before the first request on
 * `@astrojs/node` 9, 10 and 11 alike (the plugin's own modules load lazily, on the first request that needs them).
 * The integration adds imports to it (server/odd-methods.ts, runtime/small-heap.ts). If a later adapter renames the
 * file, they are simply not added: TRACE on a dynamic path is Astro's plain-text 500 again and V8 keeps its default
 * heap sizing under `node dist/server/entry.mjs` (`commerce serve` does both itself).
 */
export const NODE_ADAPTER_SERVER_MODULE = /[\\/]@astrojs[\\/]node[\\/]dist[\\/]server\.js$/;

/** The major of the `astro` the plugin resolves (the site's: it is a peer). */
export function astroMajor(version = installedAstroVersion()): number {
	return Number.parseInt(version.split('.')[0] ?? '', 10);
}

function installedAstroVersion(): string {
	try {
		return (createRequire(import.meta.url)('astro/package.json') as { version: string }).version;
	} catch {
		return '0';
	}
}

/** The supported line for a major; an unknown (newer) major gets the newest line's advice. */
export function astroLine(major = astroMajor()): AstroLine {
	return ASTRO_LINES[major as 5 | 6 | 7] ?? ASTRO_LINES[7];
}

/** `npm install …` for the adapter and renderer that fit the site's Astro. */
export function peerInstallLine(major = astroMajor()): string {
	const line = astroLine(major);
	return `npm install ${line.adapter} ${line.preact} preact`;
}

/**
 * A content-collection schema made with the site's own zod (`astro/zod`) around a schema made with the plugin's zod
 * 3. Astro 5 and 6/7 both parse through it (same issues, same paths), and Astro 6/7 can write its JSON schema, which it
 * cannot for a zod 3 object. The declared type is `ZodType<Output>`, a name both zod majors export with the output
 * first, so `CollectionEntry<'products'>['data']` stays typed on every major.
 */
export function toAstroSchema<Output>(schema: {
	safeParse(
		input: unknown,
	):
		| { success: true; data: Output }
		| { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };
}): z.ZodType<Output> {
	return z.any().transform((input, ctx) => {
		const result = schema.safeParse(input);
		if (result.success) return result.data;
		for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
		return z.NEVER;
	}) as unknown as z.ZodType<Output>;
}

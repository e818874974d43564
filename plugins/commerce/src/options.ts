import { z } from 'zod';

const basePath = z
	.string()
	.regex(/^\/[a-z0-9][a-z0-9/_-]*[a-z0-9]$|^\/[a-z0-9]$/i, 'write a path such as /store: a leading slash, no trailing slash');

const cspSources = z.array(z.string().min(1)).default([]);

/** Options of `commerce()`; every field is optional. */
export const optionsSchema = z
	.object({
		/**
		 * Where the Medusa-v1-compatible Store API is mounted.
		 * @default '/store'
		 */
		storeBasePath: basePath.default('/store'),
		/**
		 * SQLite database file, relative to the working directory of the server process. The `COMMERCE_DB` environment
		 * variable overrides it at run time, so one build can run against different databases.
		 * @default 'db/commerce.sqlite'
		 */
		databasePath: z.string().min(1).default('db/commerce.sqlite'),
		/**
		 * Directory of the product content files (`<handle>.md`), relative to the project root.
		 * @default 'content/products'
		 */
		productsDir: z.string().min(1).default('content/products'),
		/**
		 * Sync the catalog from the product files into the database when the server starts.
		 * @default true
		 */
		syncOnStart: z.boolean().default(true),
		/** Security headers set on every response. */
		securityHeaders: z
			.object({
				/**
				 * Set the headers at all. Turn off only when a proxy in front sets them.
				 * @default true
				 */
				enabled: z.boolean().default(true),
				/**
				 * Extra sources per Content-Security-Policy directive, appended to the strict defaults,
				 * e.g. `{ 'img-src': ['https://cdn.example.com'] }`.
				 * @default {}
				 */
				contentSecurityPolicy: z.record(z.string().regex(/^[a-z-]+$/), cspSources).default({}),
				/**
				 * Strict-Transport-Security max-age in seconds, sent only on https requests. 0 disables it.
				 * @default 31536000
				 */
				hstsMaxAge: z.number().int().min(0).default(31_536_000),
			})
			.strict()
			.default({}),
	})
	.strict();

/** What a site passes to `commerce()`. */
export type UserOptions = z.input<typeof optionsSchema>;
/** Options with every default filled in. */
export type ResolvedOptions = z.output<typeof optionsSchema>;

export type ParseOptionsResult = { ok: true; options: ResolvedOptions } | { ok: false; message: string };

/** Validates user options; unknown keys and wrong types come back as `path  message` lines. */
export function parseOptions(input: unknown): ParseOptionsResult {
	const result = optionsSchema.safeParse(input ?? {});
	if (result.success) return { ok: true, options: result.data };
	const lines = result.error.issues.map((issue) => {
		const path = issue.path.join('.') || '(options)';
		if (issue.code === 'unrecognized_keys') {
			const where = issue.path.length ? `${path}: ` : '';
			return `  ${where}unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
		}
		return `  ${path}  ${issue.message}`;
	});
	return { ok: false, message: `Invalid commerce() options:\n${lines.join('\n')}` };
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The site's resolved `commerce()` options as `astro build` wrote them (`dist/commerce.json`), so the CLI run from the
 * site's root touches the same database and product files as the server. Defaults when there is no build yet.
 */
export interface CliSiteSettings {
	databasePath: string;
	/** The `database.url` option (PostgreSQL), when the site sets one; DATABASE_URL wins over it, as on the server. */
	databaseUrl?: string;
	productsDir: string;
	storeName: string;
	/** Where the settings came from, for messages; undefined when the defaults were used. */
	source?: string;
}

export const CLI_SETTINGS_PATH = 'dist/commerce.json';

const DEFAULTS: CliSiteSettings = {
	databasePath: 'db/commerce.sqlite',
	productsDir: 'content/products',
	storeName: 'Our store',
};

export function readSiteSettings(cwd = process.cwd()): CliSiteSettings {
	const file = join(cwd, CLI_SETTINGS_PATH);
	if (!existsSync(file)) return { ...DEFAULTS };
	try {
		const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<CliSiteSettings> & { database?: { url?: string } };
		return {
			databasePath: saved.databasePath ?? DEFAULTS.databasePath,
			databaseUrl: saved.database?.url,
			productsDir: saved.productsDir ?? DEFAULTS.productsDir,
			storeName: saved.storeName ?? DEFAULTS.storeName,
			source: CLI_SETTINGS_PATH,
		};
	} catch (error) {
		throw new Error(
			`${file} is not valid JSON (${(error as Error).message}). Run \`astro build\` again to rewrite it.`,
		);
	}
}

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSiteSettings } from '../../plugins/commerce/src/cli/site-settings.ts';
import { openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { checkMigrationOrder, migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import { migrations } from '../../plugins/commerce/src/db/migrations/index.ts';
import { parseOptions } from '../../plugins/commerce/src/options.ts';
import { securityHeaders } from '../../plugins/commerce/src/security-headers.ts';
import { hostWarning } from '../../plugins/commerce/src/server/deployment-checks.ts';
import { findRouteCollisions } from '../../plugins/commerce/src/storefront/collisions.ts';
import { isPluginPath } from '../../plugins/commerce/src/storefront/paths.ts';
import { shopRoutes } from '../../plugins/commerce/src/storefront/routes.ts';
import { repoRoot } from '../helpers/server.ts';

const dirs: string[] = [];
const tempDir = () => {
	const dir = mkdtempSync(join(tmpdir(), 'fb-packaging-'));
	dirs.push(dir);
	return dir;
};
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function options(input: unknown) {
	const parsed = parseOptions(input);
	if (!parsed.ok) throw new Error(parsed.message);
	return parsed.options;
}

describe('injected pages and route collisions', () => {
	it('injects the account pages under a moved path and nothing for a page turned off', () => {
		const routes = shopRoutes(options({ pages: { account: '/konto', cart: false } }).pages, '@frostbuy/commerce');
		const patterns = routes.map((r) => r.pattern);
		expect(patterns).toContain('/konto/login');
		expect(patterns).toContain('/konto/orders/[id]');
		expect(patterns).not.toContain('/cart');
		expect(routes.find((r) => r.pattern === '/konto/orders/[id]')?.prerender).toBe(false);
	});

	it('finds a site page at an injected path whatever its parameter is called, and names the option', () => {
		const pages = tempDir();
		mkdirSync(join(pages, 'products'), { recursive: true });
		mkdirSync(join(pages, 'cart'), { recursive: true });
		writeFileSync(join(pages, 'products/[slug].astro'), '');
		writeFileSync(join(pages, 'cart/index.astro'), '');
		writeFileSync(join(pages, '_draft.astro'), '');
		writeFileSync(join(pages, 'about.astro'), '');
		const routes = shopRoutes(options({}).pages, '@frostbuy/commerce');
		const found = findRouteCollisions(pages, routes).map((c) => [c.file, c.route.option]);
		expect(found).toEqual(
			expect.arrayContaining([
				['src/pages/products/[slug].astro', 'pages.product'],
				['src/pages/cart/index.astro', 'pages.cart'],
			]),
		);
		expect(found).toHaveLength(2);
	});
});

describe('security headers for the site and for the plugin', () => {
	const resolved = options({});
	it('keeps the strict policy on plugin paths and a relaxed one on the site own pages', () => {
		expect(isPluginPath('/cart/', resolved.pluginPaths)).toBe(true);
		expect(isPluginPath('/store/products', resolved.pluginPaths)).toBe(true);
		expect(isPluginPath('/about/', resolved.pluginPaths)).toBe(false);
		const site = securityHeaders(resolved.securityHeaders, false, {
			pathname: '/about/',
			checkoutPath: '/checkout',
			stripe: false,
			pluginPath: false,
		});
		expect(site['X-Frame-Options']).toBe('SAMEORIGIN');
		expect(site['Content-Security-Policy']).not.toContain('default-src');
		const plugin = securityHeaders(resolved.securityHeaders, false, {
			pathname: '/cart/',
			checkoutPath: '/checkout',
			stripe: false,
			pluginPath: true,
		});
		expect(plugin['X-Frame-Options']).toBe('DENY');
		expect(plugin['Content-Security-Policy']).toContain("default-src 'self'");
		expect(
			securityHeaders({ sitePages: 'off' }, false, {
				pathname: '/',
				checkoutPath: '/c',
				stripe: false,
				pluginPath: false,
			}),
		).toEqual({});
	});

	it('warns about a real host Astro did not trust, never about localhost', () => {
		expect(hostWarning('localhost:4321', new URL('http://localhost:4321/'))).toBeUndefined();
		const warning = hostWarning('shop.example.com', new URL('http://localhost/'));
		expect(warning?.message).toContain("allowedDomains: [{ hostname: 'shop.example.com'");
	});
});

describe('the CLI and migrations', () => {
	it('reads the built site options from dist/commerce.json, defaults without a build', () => {
		const site = tempDir();
		expect(readSiteSettings(site).databasePath).toBe('db/commerce.sqlite');
		mkdirSync(join(site, 'dist'));
		writeFileSync(
			join(site, 'dist/commerce.json'),
			JSON.stringify({ databasePath: 'data/shop.sqlite', storeName: 'X' }),
		);
		expect(readSiteSettings(site)).toMatchObject({ databasePath: 'data/shop.sqlite', productsDir: 'content/products' });
	});

	it('admin:create run from the site root writes to the databasePath of dist/commerce.json', () => {
		const site = tempDir();
		mkdirSync(join(site, 'dist'));
		writeFileSync(join(site, 'dist/commerce.json'), JSON.stringify({ databasePath: 'data/shop.sqlite' }));
		// The compiled CLI, as a site runs it (npm test builds dist/ before the unit tests).
		const { COMMERCE_DB: _db, DATABASE_URL: _url, ...env } = process.env;
		const output = execFileSync(
			process.execPath,
			[join(repoRoot, 'plugins/commerce/bin/commerce.mjs'), 'admin:create', '--email', 'owner@shop.test'],
			{
				cwd: site,
				env,
				input: 'a-long-password-1',
				encoding: 'utf8',
			},
		);
		expect(output).toContain(join(site, 'data/shop.sqlite'));
		expect(existsSync(join(site, 'data/shop.sqlite'))).toBe(true);
		expect(existsSync(join(site, 'db'))).toBe(false);
	});

	it('names a migration that sorts before the newest applied one, and one the code does not know', async () => {
		const db = openDatabase(join(tempDir(), 'shop.sqlite'));
		try {
			await migrateToLatest(db);
			const names = Object.keys(migrations);
			const newest = [...names].sort().at(-1);
			await expect(checkMigrationOrder(db, [...names, '2026-11-22-0005-late'])).rejects.toThrow(
				`Migration 2026-11-22-0005-late sorts before ${newest}, which this database already applied`,
			);
			await expect(checkMigrationOrder(db, names.slice(0, -1))).rejects.toThrow(/does not know/);
			await expect(checkMigrationOrder(db, names)).resolves.toBeUndefined();
		} finally {
			await db.destroy();
		}
	});
});

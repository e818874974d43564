import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroConfig, AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import { astroLine, peerInstallLine } from './astro-compat.ts';
import { loadCatalogFromDirectory } from './content/load-catalog.ts';
import { ProductFileError } from './content/parse-product-file.ts';
import type { CatalogProduct } from './content/product-schema.ts';
import { writeEmailImages } from './email-images.ts';
import { parseOptions, type ResolvedOptions, resolveForSite, type UserOptions } from './options.ts';
import { tightenBuildHeap } from './runtime/small-heap.ts';
import { findRouteCollisions, type InjectedRoute } from './storefront/collisions.ts';
import { withBase } from './storefront/paths.ts';
import { shopRoutes } from './storefront/routes.ts';
import { islandChunksPlugin } from './vite-island-chunks.ts';
import { CATALOG_FILE, commerceVitePlugin, oddMethodsVitePlugin } from './vite-plugin.ts';

export type { ResolvedOptions, UserOptions as CommerceOptions } from './options.ts';

const PACKAGE = '@frostbuy/commerce';

/** Admin pages by path below the admin base (`adminBasePath`, default `/admin`) and their file in `src/admin/pages`. */
export const ADMIN_PAGES: [string, string][] = [
	['', 'dashboard'],
	['/login', 'login'],
	['/orders', 'orders/index'],
	['/orders/export.csv', 'orders/export'],
	['/orders/[id]', 'orders/detail'],
	['/inventory', 'inventory/index'],
	['/inventory/import', 'inventory/import'],
	['/inventory/[variant]', 'inventory/ledger'],
	['/coupons', 'coupons/index'],
	['/coupons/[id]', 'coupons/edit'],
	['/gift-cards', 'gift-cards'],
	['/customers', 'customers/index'],
	['/customers/[id]', 'customers/detail'],
	['/messages', 'messages'],
	['/webhooks', 'webhooks'],
];

/** Settings the production server wrapper (`commerce serve`) reads next to `entry.mjs`. */
export const SERVER_SETTINGS_FILE = 'commerce-server.json';
/** The resolved options the `commerce` CLI reads from the site's root (database path, products dir, store name). */
export const CLI_SETTINGS_FILE = 'commerce.json';

/**
 * The FrostBuy Commerce integration: `integrations: [preact(), commerce()]` with `@astrojs/node` as the adapter.
 * It validates its options and the product files, and injects the Store API routes and the security-header middleware.
 */
export default function commerce(userOptions: UserOptions = {}): AstroIntegration {
	const parsed = parseOptions(userOptions);
	if (!parsed.ok) {
		throw new AstroError(
			parsed.message,
			'Check the commerce() call in astro.config.mjs; every option is documented in the plugin README.',
		);
	}
	let options: ResolvedOptions = parsed.options;
	let config: AstroConfig | undefined;
	// The validated catalog of the current build as JSON (not kept as objects: the build needs its memory).
	let catalogJson: string | undefined;

	return {
		name: PACKAGE,
		hooks: {
			'astro:config:setup': async ({
				config: setupConfig,
				command,
				updateConfig,
				addMiddleware,
				injectRoute,
				logger,
			}) => {
				// Before Astro loads content and bundles: the build's heap stays near what it uses (runtime/small-heap.ts).
				if (command === 'build') tightenBuildHeap();
				// The islands need Preact's renderer and the routes a server adapter. A site without them gets both (they are
				// peer dependencies, so npm installed them): `commerce()` alone is a working setup.
				const added: AstroIntegration[] = [];
				if (!setupConfig.integrations.some((i) => i.name === '@astrojs/preact')) {
					// Only for the plugin's islands (compiled already): the site's own .jsx stays with its own renderer (React…).
					added.push(
						(await importPeer<typeof import('@astrojs/preact')>('@astrojs/preact')).default({
							include: [`**/${PACKAGE}/**`],
						}),
					);
					logger.info('added @astrojs/preact for the shop islands (list preact() yourself to configure it)');
				}
				let adapter: AstroIntegration | undefined;
				if (!setupConfig.adapter) {
					const node = await importPeer<typeof import('@astrojs/node')>('@astrojs/node');
					adapter = node.default({ mode: 'standalone' });
					added.push(adapter);
					logger.info(
						"added @astrojs/node in standalone mode (set `adapter: node({ mode: 'standalone' })` yourself to configure it)",
					);
				}
				if (added.length) updateConfig({ integrations: added, ...(adapter ? { adapter } : {}) });
				const root = fileURLToPath(setupConfig.root);
				// Every link, island prop and email link follows Astro's `base` (e.g. /shop) and `site`.
				options = resolveForSite(options, setupConfig.base, setupConfig.site);
				if (command === 'build') {
					// Fail before anything is rendered, naming the file and field, rather than deep inside the server bundle.
					// The files are parsed once per build: the server build's catalog file and `astro:build:done` reuse the JSON.
					try {
						catalogJson = JSON.stringify(
							loadCatalogFromDirectory(`${root}/${options.productsDir}`.replace(/\/+/g, '/'), root),
						);
					} catch (error) {
						const hint = 'Fix the field named above; the product file format is in the @frostbuy/commerce README.';
						if (error instanceof ProductFileError) throw new AstroError(error.message, hint);
						throw new AstroError((error as Error).message, hint);
					}
				}
				const routes: InjectedRoute[] = [
					...apiRoutes(options),
					...ADMIN_PAGES.map(([path, page]) => ({
						pattern: `${options.adminBasePath}${path}`,
						entrypoint: `${PACKAGE}/admin/pages/${page}.astro`,
						prerender: false,
						option: 'adminBasePath',
					})),
					...shopRoutes(options.pages, PACKAGE),
				];
				// A site page at an injected path would silently win or lose: refuse the build and name the option instead.
				const collisions = findRouteCollisions(fileURLToPath(new URL('pages/', setupConfig.srcDir)), routes);
				if (collisions.length) {
					throw new AstroError(
						`${PACKAGE} injects routes that your site also has:\n${collisions.map((c) => `  ${c.file} and ${c.route.pattern} (option ${c.route.option})`).join('\n')}`,
						collisions[0].route.option.startsWith('pages.')
							? `Turn the plugin's page off (\`pages: { ${collisions[0].route.option.slice(6)}: false }\`) to keep yours, or move it (\`pages: { ${collisions[0].route.option.slice(6)}: '/other-path' }\`).`
							: `Move the plugin's route with the \`${collisions[0].route.option}\` option, or rename your page.`,
					);
				}
				// Without allowedDomains Astro ignores the Host header and refuses same-site form POSTs: trust localhost
				// so dev and `commerce serve` work out of the box (a real host must be listed; the server warns).
				const security = setupConfig.security?.allowedDomains?.length
					? {}
					: { security: { allowedDomains: [{ hostname: 'localhost' }, { hostname: '127.0.0.1' }] } };
				updateConfig({
					...security,
					vite: {
						// Astro's `site` is the default public URL of image links (options.siteUrl wins).
						plugins: [
							commerceVitePlugin({ ...options, siteUrl: options.siteUrl ?? setupConfig.site }, root, () => catalogJson),
							islandChunksPlugin(),
							// TRACE as a 405 and the small-heap V8 heuristics under plain `node dist/server/entry.mjs` too.
							oddMethodsVitePlugin(),
						],
						// Bundle the package into the server build: its modules import the virtual modules above and its .astro pages.
						ssr: { noExternal: [PACKAGE] },
					},
				});
				// Request ids, logs, metrics and security headers on every rendered response (the production wrapper covers
				// prerendered files, which never pass through middleware).
				addMiddleware({ entrypoint: `${PACKAGE}/middleware`, order: 'pre' });
				for (const { option: _option, ...route } of routes) injectRoute(route);
			},
			'astro:config:done': ({ config: doneConfig }) => {
				config = doneConfig;
			},
			'astro:build:start': () => {
				if (!config?.adapter) {
					throw new AstroError(
						`${PACKAGE} serves its Store API on demand, so the site needs a server adapter.`,
						`Run \`${peerInstallLine()}\` (the versions for your Astro ${astroLine().astro}) and use \`adapter: node({ mode: 'standalone' })\`.`,
					);
				}
			},
			'astro:build:done': async ({ logger }) => {
				if (!config) return;
				// The CLI (run from the site's root) reads these, so `commerce admin:create` writes to the server's database.
				writeFileSync(
					fileURLToPath(new URL(CLI_SETTINGS_FILE, config.outDir)),
					JSON.stringify(
						{
							databasePath: options.databasePath,
							// The server's PostgreSQL URL option, so the CLI picks the database the server does (dist/ is
							// not served; dist/server holds the same options).
							database: options.database?.url ? { url: options.database.url } : undefined,
							productsDir: options.productsDir,
							storeName: options.storeName,
							storeBasePath: options.paths.store,
						},
						null,
						'\t',
					),
				);
				// The production wrapper sets headers on prerendered files, which never pass through middleware.
				const serverDir = fileURLToPath(config.build.server);
				mkdirSync(serverDir, { recursive: true });
				// The catalog the server starts from (virtual:frostbuy-commerce/catalog reads it beside its chunks).
				const root = fileURLToPath(config.root);
				catalogJson ??= JSON.stringify(loadCatalogFromDirectory(resolve(root, options.productsDir), root));
				writeFileSync(`${serverDir}/${CATALOG_FILE}`, catalogJson);
				const catalog = JSON.parse(catalogJson) as CatalogProduct[];
				catalogJson = undefined;
				// PNG renditions of SVG product images for emails (Gmail and Outlook show no SVG), with the site's sharp.
				const images = await writeEmailImages(catalog, {
					root,
					clientDir: fileURLToPath(config.build.client),
					serverDir,
				});
				if (images.skipped.length) {
					logger.warn(
						`${images.skipped.length} product image(s) are SVG (or another format mail clients do not show) and sharp is not installed, so emails leave them out: ${images.skipped.slice(0, 3).join(', ')}. Install sharp (\`npm install sharp\`) or give products PNG or JPEG images.`,
					);
				}
				writeFileSync(
					`${serverDir}/${SERVER_SETTINGS_FILE}`,
					JSON.stringify(
						{
							storeBasePath: options.paths.store,
							adminBasePath: withBase(options.paths.base, options.adminBasePath, false),
							stripeWebhookPath: withBase(options.paths.base, options.stripeWebhookPath, false),
							analyticsPath: options.paths.analytics,
							metricsPath: withBase(options.paths.base, options.metricsPath, false),
							checkoutPath: withBase(options.paths.base, options.checkoutPath, false),
							pluginPaths: options.pluginPaths,
							securityHeaders: options.securityHeaders,
							// Body-less writes from these storefronts are let through to the routes (serve.ts prepareRequest).
							storeCors: options.storeCors,
							// The fast path of `commerce serve` builds requests as Astro does (hosts it may trust) and labels
							// them with the routes' patterns, as Astro's context would.
							fastPath: {
								allowedDomains: config.security?.allowedDomains ?? [],
								routePatterns: {
									store: `${options.storeBasePath}/[...path]`,
									stripeWebhook: options.stripeWebhookPath,
									analytics: options.analyticsPath,
								},
							},
						},
						null,
						'\t',
					),
				);
			},
		},
	};
}

/** Imports a peer integration, or fails with the install line for the site's Astro major (they are optional peers). */
async function importPeer<T>(name: string): Promise<T> {
	try {
		return (await import(name)) as T;
	} catch {
		throw new AstroError(
			`${PACKAGE} needs ${name}, which is not installed.`,
			`Run \`${peerInstallLine()}\`: the versions that fit your Astro ${astroLine().astro} (\`npx astro add\` picks the newest, which needs the newest Astro).`,
		);
	}
}

/** The API routes: each one entry dispatched by the plugin's own route table. */
function apiRoutes(options: ResolvedOptions): InjectedRoute[] {
	return [
		// The Store API (Medusa v1 compatible).
		{
			pattern: `${options.storeBasePath}/[...path]`,
			entrypoint: `${PACKAGE}/routes/store/[...path]`,
			prerender: false,
			option: 'storeBasePath',
		},
		// The admin API; every route checks the caller's role first.
		{
			pattern: `${options.adminBasePath}/api/[...path]`,
			entrypoint: `${PACKAGE}/routes/admin/[...path]`,
			prerender: false,
			option: 'adminBasePath',
		},
		// Stripe webhooks: raw body, signature, idempotent by event id.
		{
			pattern: options.stripeWebhookPath,
			entrypoint: `${PACKAGE}/routes/webhooks/stripe`,
			prerender: false,
			option: 'stripeWebhookPath',
		},
		// Analytics beacon: privacy-filtered storefront events, queued and written in batches.
		{
			pattern: options.analyticsPath,
			entrypoint: `${PACKAGE}/routes/analytics/events`,
			prerender: false,
			option: 'analyticsPath',
		},
		// Prometheus metrics: answers only with METRICS_TOKEN set and sent as a bearer token.
		{ pattern: options.metricsPath, entrypoint: `${PACKAGE}/routes/metrics`, prerender: false, option: 'metricsPath' },
	];
}

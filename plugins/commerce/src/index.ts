import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroConfig, AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import { loadCatalogFromDirectory } from './content/load-catalog.ts';
import { ProductFileError } from './content/parse-product-file.ts';
import { parseOptions, type ResolvedOptions, type UserOptions } from './options.ts';
import { commerceVitePlugin } from './vite-plugin.ts';

export type { ResolvedOptions, UserOptions as CommerceOptions } from './options.ts';

const PACKAGE = '@frostbuy/commerce';

/** Admin pages by path below the admin base (`adminBasePath`, default `/admin`) and their file in `src/admin/pages`. */
const ADMIN_PAGES: [string, string][] = [
	['', 'dashboard'],
	['/login', 'login'],
	['/orders', 'orders/index'],
	['/orders/export.csv', 'orders/export'],
	['/orders/[id]', 'orders/detail'],
	['/inventory', 'inventory/index'],
	['/inventory/[variant]', 'inventory/ledger'],
	['/coupons', 'coupons/index'],
	['/coupons/[id]', 'coupons/edit'],
	['/customers', 'customers/index'],
	['/customers/[id]', 'customers/detail'],
	['/messages', 'messages'],
];

/** Settings the production server wrapper (`commerce serve`) reads next to `entry.mjs`. */
export const SERVER_SETTINGS_FILE = 'commerce-server.json';

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
	const options: ResolvedOptions = parsed.options;
	let config: AstroConfig | undefined;

	return {
		name: PACKAGE,
		hooks: {
			'astro:config:setup': ({ config: setupConfig, command, updateConfig, addMiddleware, injectRoute }) => {
				if (!setupConfig.integrations.some((i) => i.name === '@astrojs/preact')) {
					throw new AstroError(
						`${PACKAGE} needs @astrojs/preact for its cart and checkout islands.`,
						'Run `npx astro add preact` and list preact() before commerce() in `integrations`.',
					);
				}
				const root = fileURLToPath(setupConfig.root);
				if (command === 'build') {
					// Fail before anything is rendered, naming the file and field, rather than deep inside the server bundle.
					try {
						loadCatalogFromDirectory(`${root}/${options.productsDir}`.replace(/\/+/g, '/'), root);
					} catch (error) {
						const hint = 'Fix the field named above; the product file format is in the @frostbuy/commerce README.';
						if (error instanceof ProductFileError) throw new AstroError(error.message, hint);
						throw new AstroError((error as Error).message, hint);
					}
				}
				updateConfig({
					vite: {
						plugins: [commerceVitePlugin(options, root)],
						// Bundle the package into the server build: its modules import the virtual modules above and its .astro pages.
						ssr: { noExternal: [PACKAGE] },
					},
				});
				// Security headers on every rendered response (the production wrapper covers static files).
				addMiddleware({ entrypoint: `${PACKAGE}/middleware`, order: 'pre' });
				// The Store API (Medusa v1 compatible): one entry, dispatched by the plugin's own route table.
				injectRoute({
					pattern: `${options.storeBasePath}/[...path]`,
					entrypoint: `${PACKAGE}/routes/store/[...path]`,
					prerender: false,
				});
				// The admin API: one entry, dispatched by the admin route table; every route checks the caller's role first.
				injectRoute({
					pattern: `${options.adminBasePath}/api/[...path]`,
					entrypoint: `${PACKAGE}/routes/admin/[...path]`,
					prerender: false,
				});
				// Stripe webhooks: raw body, signature, idempotent by event id.
				injectRoute({
					pattern: options.stripeWebhookPath,
					entrypoint: `${PACKAGE}/routes/webhooks/stripe`,
					prerender: false,
				});
				// Analytics beacon: privacy-filtered storefront events, queued and written in batches.
				injectRoute({
					pattern: options.analyticsPath,
					entrypoint: `${PACKAGE}/routes/analytics/events`,
					prerender: false,
				});
				// Prometheus metrics: answers only with METRICS_TOKEN set and sent as a bearer token.
				injectRoute({
					pattern: options.metricsPath,
					entrypoint: `${PACKAGE}/routes/metrics`,
					prerender: false,
				});
				// Admin pages: server-rendered, each guarded by RBAC (adminPageGuard) before it reads anything.
				for (const [path, page] of ADMIN_PAGES) {
					injectRoute({
						pattern: `${options.adminBasePath}${path}`,
						entrypoint: `${PACKAGE}/admin/pages/${page}.astro`,
						prerender: false,
					});
				}
			},
			'astro:config:done': ({ config: doneConfig }) => {
				config = doneConfig;
			},
			'astro:build:start': () => {
				if (!config?.adapter) {
					throw new AstroError(
						`${PACKAGE} serves its Store API on demand, so the site needs a server adapter.`,
						"Run `npx astro add node` and use `adapter: node({ mode: 'standalone' })`.",
					);
				}
			},
			'astro:build:done': () => {
				if (!config) return;
				// The production wrapper sets headers on prerendered files, which never pass through middleware.
				const serverDir = fileURLToPath(config.build.server);
				mkdirSync(serverDir, { recursive: true });
				writeFileSync(
					`${serverDir}/${SERVER_SETTINGS_FILE}`,
					JSON.stringify(
						{
							storeBasePath: options.storeBasePath,
							checkoutPath: options.checkoutPath,
							securityHeaders: options.securityHeaders,
						},
						null,
						'\t',
					),
				);
			},
		},
	};
}

import { z } from 'zod';
import { isTimeZone } from './core/analytics/days.ts';
import { discountInput } from './core/discount-input.ts';
import {
	DEFAULT_PAGE_PATHS,
	type PageSetting,
	pluginPathPrefixes,
	SHOP_PAGES,
	type ShopPage,
	type ShopPaths,
	shopPaths,
} from './storefront/paths.ts';

const basePath = z
	.string()
	.regex(
		/^\/[a-z0-9][a-z0-9/_-]*[a-z0-9]$|^\/[a-z0-9]$/i,
		'write a path such as /store: a leading slash, no trailing slash',
	);

/** A page option: a path (moved), `false` (not injected; links keep the default path), or `{ path, inject: false }`. */
const pageOption = (defaultPath: string) =>
	z
		.union([
			basePath,
			z.literal('/'),
			z.literal(false),
			z.object({ path: z.union([basePath, z.literal('/')]), inject: z.boolean().default(true) }).strict(),
		])
		.default(defaultPath)
		.transform((value): PageSetting => {
			if (value === false) return { path: defaultPath, inject: false };
			if (typeof value === 'string') return { path: value, inject: true };
			return value;
		});

const pagesSchema = z
	.object(
		Object.fromEntries(SHOP_PAGES.map((name) => [name, pageOption(DEFAULT_PAGE_PATHS[name])])) as Record<
			ShopPage,
			ReturnType<typeof pageOption>
		>,
	)
	.strict()
	.default({});

const cspSources = z.array(z.string().min(1)).default([]);

const handle = z.string().regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, 'use lowercase letters, digits, "-" and "_"');
const minorUnits = z.number().int('write amounts in minor units (cents) as whole numbers').min(0);

const shippingOption = z
	.object({
		/** Stable handle; the option's id is `so_<region>_<handle>`. */
		handle,
		/** Shown to shoppers, e.g. "Standard (3-5 business days)". */
		name: z.string().min(1).max(80),
		/** Price in the region currency's minor units (599 = $5.99). */
		amount: minorUnits,
		/** Available only when the cart's goods (after discounts) cost at least this much, in minor units. */
		minSubtotal: minorUnits.optional(),
		/** Available only when the cart's goods (after discounts) cost at most this much, in minor units. */
		maxSubtotal: minorUnits.optional(),
	})
	.strict();

const region = z
	.object({
		/** Stable handle; the region's id is `reg_<handle>`. */
		handle,
		/** e.g. "United States". */
		name: z.string().min(1).max(80),
		/** ISO 4217, lowercase: prices in this currency come from the product files. */
		currency: z.string().regex(/^[a-z]{3}$/, 'write the currency as three lowercase letters, e.g. usd'),
		/** Tax rate in percent applied to goods and shipping (6 = 6 %). Prices in files exclude tax. */
		taxRate: z.number().min(0).max(100),
		/** Name of the tax on receipts, e.g. "Sales tax" or "VAT". */
		taxName: z.string().min(1).max(40).default('Tax'),
		/** ISO 3166-1 alpha-2 codes, lowercase, of the countries that ship in this region. */
		countries: z.array(z.string().regex(/^[a-z]{2}$/, 'write countries as two lowercase letters, e.g. us')).min(1),
		shippingOptions: z.array(shippingOption).min(1, 'give every region at least one shipping option'),
		/**
		 * Payment providers offered in this region, in the order storefronts list them: `test` (simulated cards),
		 * `manual` (pay later; the merchant captures) and `stripe` (only where its keys are set). Checkout creates one
		 * payment session per provider listed here that the server has.
		 * @default every provider the server has
		 */
		paymentProviders: z
			.array(z.enum(['test', 'manual', 'stripe']))
			.min(1)
			.optional(),
	})
	.strict();

/** What `regions` is when a site configures none: one US region, no tax, free standard shipping. */
const DEFAULT_REGIONS = [
	{
		handle: 'us',
		name: 'United States',
		currency: 'usd',
		taxRate: 0,
		taxName: 'Tax',
		countries: ['us'],
		shippingOptions: [{ handle: 'standard', name: 'Standard shipping', amount: 0 }],
	},
];

/** Options of `commerce()`; every field is optional. */
export const optionsSchema = z
	.object({
		/**
		 * Where the Medusa-v1-compatible Store API is mounted.
		 * @default '/store'
		 */
		storeBasePath: basePath.default('/store'),
		/**
		 * Where the merchant admin lives: its pages under this base and its JSON API under `<adminBasePath>/api/*`.
		 * Every admin page and API route requires a staff or admin session.
		 * @default '/admin'
		 */
		adminBasePath: basePath.default('/admin'),
		/**
		 * SQLite database file, relative to the working directory of the server process. The `COMMERCE_DB` environment
		 * variable overrides it at run time, so one build can run against different databases.
		 * @default 'db/commerce.sqlite'
		 */
		databasePath: z.string().min(1).default('db/commerce.sqlite'),
		/**
		 * PostgreSQL instead of the SQLite file, for several server instances sharing one database. `url`:
		 * `postgres://user:password@host:5432/shop` (the `DATABASE_URL` environment variable wins over it, and is the
		 * better place for a password: options are baked into the build); `poolSize`: connections per server process
		 * (`DATABASE_POOL_SIZE` wins). Without a URL the store uses `databasePath`.
		 * @default SQLite at databasePath; poolSize 10
		 */
		database: z
			.object({
				url: z
					.string()
					.regex(/^postgres(ql)?:\/\//i, 'must be a PostgreSQL URL such as postgres://user:password@host:5432/shop')
					.optional(),
				poolSize: z.number().int().min(2).max(500).optional(),
			})
			.strict()
			.optional(),
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
		/**
		 * Where the store sells: currency, tax and shipping per region. The first region is the default for shoppers
		 * who have not chosen one. Every product needs a price in each region's currency to be sold there.
		 * @default one US region (usd, no tax, free standard shipping)
		 */
		regions: z
			.array(region)
			.min(1)
			.default(DEFAULT_REGIONS)
			.superRefine((regions, ctx) => {
				const seen = new Set<string>();
				const countries = new Map<string, string>();
				regions.forEach((r, i) => {
					if (seen.has(r.handle))
						ctx.addIssue({
							code: z.ZodIssueCode.custom,
							path: [i, 'handle'],
							message: `duplicate region handle ${r.handle}`,
						});
					seen.add(r.handle);
					for (const c of r.countries) {
						const owner = countries.get(c);
						if (owner)
							ctx.addIssue({
								code: z.ZodIssueCode.custom,
								path: [i, 'countries'],
								message: `${c} is already in region ${owner}`,
							});
						countries.set(c, r.handle);
					}
					const options = new Set<string>();
					r.shippingOptions.forEach((o, j) => {
						if (options.has(o.handle))
							ctx.addIssue({
								code: z.ZodIssueCode.custom,
								path: [i, 'shippingOptions', j, 'handle'],
								message: `duplicate shipping option ${o.handle}`,
							});
						options.add(o.handle);
					});
				});
			}),
		/**
		 * The shop's public URL, e.g. `https://shop.example`: the Store API makes image URLs absolute with it, so a
		 * storefront on another origin loads them from here. Taken from Astro's `site` when not given; without either,
		 * the origin each request arrived at (as Astro resolves it, see `security.allowedDomains`).
		 */
		siteUrl: z.string().url('write a full URL such as https://shop.example').optional(),
		/**
		 * Origins allowed to call the Store API from a browser with credentials (CORS), e.g.
		 * `['http://localhost:8000', 'https://shop.example']`: a storefront served elsewhere (Medusa's Next.js starter,
		 * medusa-react). The `STORE_CORS` environment variable (comma-separated, Medusa v1's name) replaces it at run
		 * time. Empty: same-origin only. `*` is refused: it cannot carry credentials.
		 * @default []
		 */
		storeCors: z
			.array(
				z
					.string()
					.url('write an origin such as https://shop.example')
					.refine((value) => value !== '*', 'list the origins; * cannot be used with credentials'),
			)
			.default([]),
		/** Name used in emails and receipts. @default 'Our store' */
		storeName: z.string().min(1).max(80).default('Our store'),
		/**
		 * The shop's postal address, printed in the footer of every email (lines separated by `\n`), e.g.
		 * `'FrostBuy campus store\n101 Braddock Road\nFrostburg, MD 21532'`.
		 */
		storeAddress: z.string().min(1).max(400).optional(),
		/** Where customers write with questions; every email's footer names it, e.g. `help@shop.example`. */
		supportEmail: z.string().email('write an email address such as help@shop.example').optional(),
		/** The contact page every email's footer links to: a site path such as `/contact/` or a full URL. */
		supportUrl: z.string().min(1).max(300).optional(),
		/** The colour of the email header and buttons, `#rrggbb`. @default '#14213d' */
		brandColor: z
			.string()
			.regex(/^#[0-9a-fA-F]{6}$/, 'write a colour such as #14213d')
			.default('#14213d'),
		/** Payments. Keys never go here: Stripe is enabled by the STRIPE_* environment variables at run time. */
		payments: z
			.object({
				/**
				 * `automatic` captures when the order is placed; `manual` only authorizes, and the merchant captures later.
				 * @default 'automatic'
				 */
				captureMethod: z.enum(['automatic', 'manual']).default('automatic'),
			})
			.strict()
			.default({}),
		/**
		 * Where Stripe sends webhooks (configure the same URL in the Stripe dashboard).
		 * @default '/webhooks/stripe'
		 */
		stripeWebhookPath: basePath.default('/webhooks/stripe'),
		/**
		 * Where the islands send analytics beacons (`POST`: page, product, cart and checkout views, adds to cart). Events
		 * carry a random per-visit id and no IP address, user agent or email; `DNT` and `Sec-GPC` are honoured.
		 * @default '/analytics/events'
		 */
		analyticsPath: basePath.default('/analytics/events'),
		/**
		 * The IANA time zone of the dashboard's days (`Europe/Berlin`, `America/New_York`): orders, carts and events are
		 * counted on the day they happened there. Changing it rebuilds the analytics rollups at the next start.
		 * @default 'UTC'
		 */
		reportingTimeZone: z
			.string()
			.refine(isTimeZone, { message: 'reportingTimeZone must be an IANA time zone name such as Europe/Berlin' })
			.default('UTC'),
		/**
		 * The site's checkout page: the only page whose Content-Security-Policy admits Stripe's Payment Element.
		 * @default '/checkout'
		 */
		checkoutPath: basePath.optional(),
		/**
		 * The shop pages `commerce()` injects (catalog, product, category, cart, checkout, order confirmation, order
		 * lookup, account). Each takes a path to move it (`cart: '/basket'`), `false` to leave it out (the site writes its
		 * own page at the default path), or `{ path, inject: false }` for a page of the site's own at another path. Every
		 * link, redirect and email link follows these paths and Astro's `base`.
		 * @default the paths in the plugin README (`/products/`, `/cart/`, `/checkout/`, `/account/` …)
		 */
		pages: pagesSchema,
		/**
		 * A stylesheet URL (e.g. `/shop-theme.css` in `public/`) linked after the injected pages' own minimal styles, to set
		 * the `--commerce-*` theme variables or override anything.
		 */
		pageStylesheet: z.string().min(1).optional(),
		/**
		 * Data created at start when missing (never overwritten: the database owns it afterwards).
		 * `discounts`: discount codes as `{ code, type, value, currency?, minSubtotal?, … }` (amounts in minor units).
		 * `demoAdmin`: on a new database only, create `admin@frostbuy.local` with a random password printed once to the
		 * server log (for demos; leave off in production and use `commerce admin:create`).
		 * @default { discounts: [], demoAdmin: false }
		 */
		seed: z
			.object({ discounts: z.array(discountInput).default([]), demoAdmin: z.boolean().default(false) })
			.strict()
			.default({}),
		/**
		 * Where Prometheus scrapes the metrics (`GET`). The endpoint answers only when the server has `METRICS_TOKEN`
		 * set, and only to `Authorization: Bearer <METRICS_TOKEN>`.
		 * @default '/metrics'
		 */
		metricsPath: basePath.default('/metrics'),
		/**
		 * Scheduled backups of the SQLite database by the running server (off unless `interval` is set). The environment
		 * wins: `COMMERCE_BACKUP_INTERVAL`, `COMMERCE_BACKUP_KEEP`, `COMMERCE_BACKUP_DIR`.
		 * @default { keep: 7 } (no schedule)
		 */
		backups: z
			.object({
				/** How often, e.g. `6h`, `30m`, `1d` (a bare number is minutes); `off` disables. */
				interval: z
					.string()
					.regex(/^(off|\d+(s|m|h|d)?)$/, 'write a duration such as 6h, 30m or 1d, or off')
					.optional(),
				/** How many backups to keep in the directory; older ones are deleted. @default 7 */
				keep: z.number().int().min(1).default(7),
				/** Where backups go, relative to the server's working directory. @default `backups/` beside the database */
				directory: z.string().min(1).optional(),
			})
			.strict()
			.default({}),
		/**
		 * Outgoing webhooks (endpoints are registered in the admin or `POST <adminBasePath>/api/webhooks`).
		 * `allowPrivate`: deliver to loopback and private addresses too (local development only; also
		 * `COMMERCE_WEBHOOKS_ALLOW_PRIVATE=1`). `timeoutMs`: one attempt fails after this long.
		 * @default { allowPrivate: false, timeoutMs: 10000 }
		 */
		webhooks: z
			.object({
				allowPrivate: z.boolean().default(false),
				timeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
			})
			.strict()
			.default({}),
		/**
		 * Abandoned-cart recovery: a cart with an email and items, left alone for `afterHours` without an order, gets one
		 * email with its items, a restore link (works on any device for `linkValidDays`) and an unsubscribe link. Carts
		 * abandoned more than `lookbackDays` ago are never mailed. The server looks every 15 minutes
		 * (`COMMERCE_CART_RECOVERY_INTERVAL`, `off` to stop); `COMMERCE_CART_RECOVERY_AFTER` (e.g. `30m`) overrides
		 * `afterHours`. Needs a public origin for the links: `siteUrl`, Astro's `site` or `COMMERCE_PUBLIC_URL`.
		 * @default { enabled: true, afterHours: 4, linkValidDays: 7, lookbackDays: 7 }
		 */
		abandonedCarts: z
			.object({
				enabled: z.boolean().default(true),
				afterHours: z
					.number()
					.positive()
					.max(24 * 30)
					.default(4),
				linkValidDays: z.number().int().min(1).max(90).default(7),
				lookbackDays: z.number().int().min(1).max(60).default(7),
			})
			.strict()
			.default({}),
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
				 * What the site's own pages get. The strict policy (a same-origin Content-Security-Policy, `X-Frame-Options:
				 * DENY`) always covers the plugin's routes and injected pages; on the site's pages it would block their
				 * third-party images, scripts and embeds. `relaxed`: nosniff, referrer policy, no framing by other sites, no
				 * plugins — nothing that restricts what a page loads. `strict`: the plugin's policy everywhere. `off`: none.
				 * @default 'relaxed'
				 */
				sitePages: z.enum(['relaxed', 'strict', 'off']).default('relaxed'),
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
type ParsedOptions = z.output<typeof optionsSchema>;
/** Options with every default filled in, plus the shop's URLs (`paths`, with Astro's `base`) and Astro's `site`. */
export type ResolvedOptions = Omit<ParsedOptions, 'checkoutPath'> & {
	/** The page whose CSP admits Stripe: `checkoutPath` when given, else the checkout page's path. */
	checkoutPath: string;
	paths: ShopPaths;
	/** Path prefixes of the plugin's routes and injected pages (strict security headers). */
	pluginPaths: string[];
	/** Astro's `site`, when configured: email links use its origin instead of the request's. */
	site?: string;
	/**
	 * PNG renditions of the product images mail clients do not show (SVG…), by source path: drawn by the integration
	 * at build end (`email-images.ts`) and added when the server starts; absent in dev.
	 */
	emailImages?: Record<string, string>;
};

/** Fills in what depends on Astro's config (`base`, `site`); `parseOptions` resolves for base `/`. */
export function resolveForSite(options: ParsedOptions | ResolvedOptions, base = '/', site?: string): ResolvedOptions {
	const paths = shopPaths(options.pages, options, base);
	const apiPaths = [
		options.storeBasePath,
		options.adminBasePath,
		options.stripeWebhookPath,
		options.analyticsPath,
		options.metricsPath,
	];
	return {
		...options,
		checkoutPath: options.checkoutPath ?? options.pages.checkout.path,
		paths,
		pluginPaths: pluginPathPrefixes(options.pages, paths, apiPaths),
		...(site ? { site } : {}),
	};
}

export type RegionOptions = ResolvedOptions['regions'][number];
export type ShippingOptionOptions = RegionOptions['shippingOptions'][number];

export type ParseOptionsResult = { ok: true; options: ResolvedOptions } | { ok: false; message: string };

/** Validates user options; unknown keys and wrong types come back as `path  message` lines. */
export function parseOptions(input: unknown): ParseOptionsResult {
	const result = optionsSchema.safeParse(input ?? {});
	if (result.success) return { ok: true, options: resolveForSite(result.data) };
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

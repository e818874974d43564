import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { corsOrigins } from '../http/cors.ts';
import { logger } from '../log/logger.ts';
import { finishRequest, newRequestContext, REQUEST_ID_HEADER, runAsTask, runWithRequest } from '../log/request-log.ts';
import { processState } from '../runtime/process-state.ts';
import { favourSmallHeap } from '../runtime/small-heap.ts';
import { type SecurityHeaderSettings, securityHeaders, stripeEnabled } from '../security-headers.ts';
import { isPluginPath } from '../storefront/paths.ts';
import { SERVED_BY_COMMERCE } from './deployment-checks.ts';
import { type FastPathSettings, fastPathTarget, serveFast } from './fast-path.ts';
import { UNCONSTRUCTIBLE_METHODS } from './odd-methods.ts';

export interface ServeOptions {
	/** The built server entry. @default 'dist/server/entry.mjs' */
	entry?: string;
	/** @default '127.0.0.1' */
	host?: string;
	/** @default 4321 */
	port?: number;
	/** Log the warm-up result and the URL. @default true */
	log?: boolean;
}

export interface RunningServer {
	server: Server;
	url: string;
	close(): Promise<void>;
}

export interface ServerSettings {
	/** The Store API with Astro's `base`, e.g. `/shop/store`. */
	storeBasePath: string;
	/** The admin, the Stripe webhook, the analytics beacon and metrics, with `base` (odd methods, body-less POSTs). */
	adminBasePath?: string;
	stripeWebhookPath?: string;
	analyticsPath?: string;
	metricsPath?: string;
	/** The checkout page with `base` (Stripe's CSP sources). */
	checkoutPath: string;
	/** Prefixes of the plugin's routes and pages (strict headers); everything else gets the site policy. */
	pluginPaths?: string[];
	securityHeaders: SecurityHeaderSettings & { enabled: boolean };
	/** Written by builds that support the fast path (older builds lack it and go through Astro for everything). */
	fastPath?: FastPathSettings;
	/** The `storeCors` option; `STORE_CORS` at start replaces it, as in the Store API's routes. */
	storeCors?: string[];
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

function hasValidEncoding(url: string): boolean {
	try {
		// The query too: Astro refuses a malformed escape anywhere in the URL with a plain-text 400.
		decodeURIComponent(url);
		return true;
	} catch {
		return false;
	}
}

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Only a proxy we were told about (TRUST_PROXY=1) may speak for the client: address, scheme, host. */
const trustProxy = () => process.env.TRUST_PROXY === '1';

function isHttps(req: IncomingMessage): boolean {
	if ((req.socket as TLSSocket).encrypted) return true;
	return trustProxy() && header(req, 'x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_LIKE = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** The admin's HTML pages (everything under the admin base but its API). */
function isAdminPagePath(pathname: string, settings: ServerSettings): boolean {
	const base = (settings.adminBasePath ?? '/admin').replace(/\/+$/, '');
	return (pathname === base || pathname.startsWith(`${base}/`)) && !pathname.startsWith(`${base}/api/`);
}

/** The dynamic JSON paths of the plugin (Store API, admin API, webhooks, analytics, metrics). */
function isApiPath(pathname: string, settings: ServerSettings): boolean {
	const under = (base: string | undefined) => Boolean(base) && (pathname === base || pathname.startsWith(`${base}/`));
	return (
		under(settings.storeBasePath) ||
		under(`${(settings.adminBasePath ?? '/admin').replace(/\/+$/, '')}/api`) ||
		[settings.stripeWebhookPath, settings.analyticsPath, settings.metricsPath].includes(pathname)
	);
}

/**
 * Prepares a request so Astro hands it to the plugin's routes, which answer in JSON, instead of refusing it in plain
 * text or crashing. Returns a response to send instead, or nothing.
 *
 * - TRACE/TRACK: undici cannot build a `Request` for them (a 500 inside Astro). They reach the routes as OPTIONS, which
 *   every route answers with 405 and `Allow` (after authentication on admin paths); the access line keeps the real
 *   method. Admin pages get every method but GET/HEAD/POST the same way.
 * - API paths: Astro's `checkOrigin` refuses an unsafe method without a Content-Type, or with a form-like one, unless
 *   `Origin` is this site, in plain text. The API reads every body as JSON and does its own CSRF check (cookie +
 *   foreign Origin, and login routes), so: a foreign `Origin` gets the JSON 403 here; a request without `Origin`
 *   (never a browser: browsers send it on every POST) and without a Content-Type is passed on as JSON, and one with a
 *   form type gets a JSON 415. An `Origin` on the Store API's CORS list (`storeOrigins`) is a storefront the merchant
 *   allowed: treated as a request without `Origin` (medusa-js sends no Content-Type on body-less calls such as
 *   `DELETE /store/auth`, `POST /store/carts/:id/payment-sessions` or `.../complete`), its refusal carries the CORS
 *   headers so the storefront can read it, and the routes do the cross-site check.
 */
export function prepareRequest(
	req: IncomingMessage,
	settings: ServerSettings,
	storeOrigins: ReadonlySet<string> = new Set(),
): { status: number; body: string; origin?: string } | null {
	const method = (req.method ?? 'GET').toUpperCase();
	if (UNCONSTRUCTIBLE_METHODS.has(method)) {
		req.method = 'OPTIONS';
		return null;
	}
	if (SAFE_METHODS.has(method)) return null;
	const pathname = (req.url ?? '/').split('?')[0]!;
	if (method !== 'POST' && isAdminPagePath(pathname, settings)) {
		// Admin pages take GET and POST only and answer anything else with 405 after the sign-in check; Astro would
		// refuse a body-less PUT in plain text first.
		req.method = 'OPTIONS';
		return null;
	}
	if (!isApiPath(pathname, settings)) return null;
	const type = (header(req, 'content-type') ?? '').toLowerCase();
	if (type && !FORM_LIKE.some((form) => type.includes(form))) return null;
	const origin = header(req, 'origin');
	const storefront = origin !== undefined && storeOrigins.has(origin) && isStorePath(pathname, settings);
	if (origin !== undefined && !storefront) {
		let foreign = true;
		try {
			foreign = new URL(origin).host !== header(req, 'host');
		} catch {}
		if (!foreign) return null; // a page of this site: Astro's own check decides, as for any form
		return {
			status: 403,
			body: JSON.stringify({
				type: 'not_allowed',
				code: 'cross_origin_request',
				message:
					"This request came from another site, so it was refused: sign-in, account and cart changes are only accepted from this store's own pages.",
			}),
		};
	}
	// No Origin: not a browser. A missing type is read as JSON (an empty body is `{}`); a beacon's text/plain is JSON
	// text too; any other form type is not what the API reads.
	if (!type || (pathname === settings.analyticsPath && type.includes('text/plain'))) {
		req.headers['content-type'] = 'application/json';
		return null;
	}
	return {
		status: 415,
		body: JSON.stringify({
			type: 'invalid_data',
			code: 'unsupported_media_type',
			message: 'Send the request body as JSON with Content-Type: application/json.',
		}),
		...(storefront ? { origin } : {}),
	};
}

function isStorePath(pathname: string, settings: ServerSettings): boolean {
	return pathname === settings.storeBasePath || pathname.startsWith(`${settings.storeBasePath}/`);
}

/**
 * Serves an Astro build made with `@astrojs/node` (standalone) and sets the security headers on every response.
 * Astro's standalone server sends prerendered pages and `/_astro/*` assets without running middleware, so the headers
 * are set here first; responses rendered by Astro overwrite them with the middleware's identical (or route-specific)
 * values. Once listening, it asks the health route once so the database is migrated and the catalog synced before
 * the first shopper arrives.
 */
export async function serve(opts: ServeOptions = {}): Promise<RunningServer> {
	const entry = resolve(opts.entry ?? 'dist/server/entry.mjs');
	if (!existsSync(entry))
		throw new Error(`No server build at ${entry}. Run \`astro build\` first (\`npm start\` does it for you).`);
	const settingsFile = join(dirname(entry), 'commerce-server.json');
	const settings: ServerSettings = existsSync(settingsFile)
		? JSON.parse(readFileSync(settingsFile, 'utf8'))
		: {
				storeBasePath: '/store',
				adminBasePath: '/admin',
				stripeWebhookPath: '/webhooks/stripe',
				analyticsPath: '/analytics/events',
				metricsPath: '/metrics',
				checkoutPath: '/checkout',
				securityHeaders: { enabled: true },
			};
	const stripe = stripeEnabled();
	// The storefronts allowed to call the Store API from a browser (STORE_CORS wins, read once, as the routes do).
	const storeOrigins = corsOrigins(settings.storeCors ?? [], process.env);

	// Before the server build loads: most of what it allocates is then already under the small-heap heuristics.
	favourSmallHeap();
	process.env.ASTRO_NODE_AUTOSTART = 'disabled';
	process.env[SERVED_BY_COMMERCE] = '1';
	const mod = (await import(pathToFileURL(entry).href)) as { handler?: NodeHandler };
	if (typeof mod.handler !== 'function') {
		throw new Error(`${entry} exports no handler: build with @astrojs/node in standalone mode.`);
	}
	const handler = mod.handler;

	const server = createServer((req, res) => {
		// One request id for the access line, every log line written meanwhile, and the X-Request-Id response header.
		const request = newRequestContext(req.method ?? 'GET', req.url ?? '/', header(req, 'x-request-id'), 'server');
		req.headers['x-request-id'] = request.id;
		res.setHeader(REQUEST_ID_HEADER, request.id);
		let finished = false;
		const finish = () => {
			if (finished) return;
			finished = true;
			// 499 (nginx's "client closed request") when the client left before the response was complete.
			finishRequest(request, res.writableFinished ? res.statusCode : 499);
		};
		res.once('finish', finish);
		res.once('close', finish);
		runWithRequest(request, () => handle(req, res));
	});
	const handle = (req: IncomingMessage, res: ServerResponse) => {
		if (settings.securityHeaders.enabled) {
			const pathname = (req.url ?? '/').split('?')[0];
			const page = {
				pathname,
				checkoutPath: settings.checkoutPath ?? '/checkout',
				stripe,
				pluginPath: settings.pluginPaths ? isPluginPath(pathname, settings.pluginPaths) : true,
			};
			for (const [name, value] of Object.entries(securityHeaders(settings.securityHeaders, isHttps(req), page)))
				res.setHeader(name, value);
		}
		// Astro takes the client address from X-Forwarded-For; a client could set it to dodge per-address rate limits.
		// Only a proxy we were told about (TRUST_PROXY=1) may set it; otherwise the socket address is the truth.
		// X-Forwarded-Proto/Host would make Astro believe the request came over https (Secure cookies) or for another host.
		if (!trustProxy()) {
			req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
			delete req.headers['x-forwarded-proto'];
			delete req.headers['x-forwarded-host'];
			delete req.headers['x-forwarded-port'];
		}
		const refused = prepareRequest(req, settings, storeOrigins);
		if (refused) {
			res.statusCode = refused.status;
			res.setHeader('Content-Type', 'application/json; charset=utf-8');
			res.setHeader('Cache-Control', 'no-store');
			if (refused.origin) {
				res.setHeader('Access-Control-Allow-Origin', refused.origin);
				res.setHeader('Access-Control-Allow-Credentials', 'true');
				res.setHeader('Vary', 'Origin');
			}
			res.end(refused.body);
			return;
		}
		if (!hasValidEncoding(req.url ?? '/')) {
			// Astro answers a malformed %-escape with plain text; API clients get the Store error body instead.
			const api = isApiPath((req.url ?? '/').split('?')[0]!, settings);
			res.statusCode = 400;
			res.setHeader('Content-Type', api ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8');
			res.end(
				api
					? JSON.stringify({
							type: 'invalid_data',
							code: 'invalid_path',
							message: 'The URL contains an invalid percent-encoding.',
						})
					: 'Bad request',
			);
			return;
		}
		// The JSON endpoints, once Astro has loaded their module (the warm-up request below loads the Store API's),
		// skip Astro's static-file lookup, route matching, middleware and render pipeline: the same functions, called
		// directly. Everything else (pages, assets, admin) goes through Astro.
		const target = settings.fastPath && fastPathTarget(req.url ?? '/', settings);
		if (target) {
			serveFast(req, res, target, settings.fastPath!).catch((error: unknown) => {
				logger().error({ err: error }, 'response failed');
				res.destroy();
			});
			return;
		}
		handler(req, res, (error) => {
			if (!res.headersSent) {
				res.statusCode = error ? 500 : 404;
				res.setHeader('Content-Type', 'text/plain; charset=utf-8');
			}
			res.end(error ? 'Internal error' : 'Not found');
		});
	};
	const host = opts.host ?? '127.0.0.1';
	const port = opts.port ?? 4321;
	await new Promise<void>((resolveListen, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolveListen());
	});
	const address = server.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	const shownHost = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	const url = `http://${shownHost}:${actualPort}`;

	// Start-up is a task of its own: its log lines share one id (the warm-up request gets its own, as any request).
	await runAsTask('startup', async () => {
		type Health = { catalog?: { active_products: number; variants: number }; error?: string };
		const health = await fetch(
			`http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${actualPort}${settings.storeBasePath}/health`,
		)
			.then(async (r) => ({ ok: r.ok, body: (await r.json()) as Health }))
			.catch((error: Error): { ok: boolean; body: Health } => ({ ok: false, body: { error: error.message } }));
		if (opts.log !== false) {
			const log = logger();
			if (health.ok && health.body.catalog) {
				log.info(
					`[commerce] database ready; catalog: ${health.body.catalog.active_products} products, ${health.body.catalog.variants} variants`,
				);
			} else {
				log.error({ health: health.body }, '[commerce] the store is not ready');
			}
			log.info({ url }, `[commerce] serving on ${url}`);
		}
	});
	return {
		server,
		url,
		close: () => {
			// Readiness turns 503 first, so balancers stop sending while open requests finish.
			processState().draining = true;
			return new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))).then(
				async () => {
					await Promise.allSettled([...(processState().beforeStop ?? [])].map((work) => work()));
				},
			);
		},
	};
}

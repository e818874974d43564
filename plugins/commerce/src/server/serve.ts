import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { logger } from '../log/logger.ts';
import { finishRequest, newRequestContext, REQUEST_ID_HEADER, runAsTask, runWithRequest } from '../log/request-log.ts';
import { processState } from '../runtime/process-state.ts';
import { type SecurityHeaderSettings, securityHeaders, stripeEnabled } from '../security-headers.ts';
import { isPluginPath } from '../storefront/paths.ts';
import { SERVED_BY_COMMERCE } from './deployment-checks.ts';

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

interface ServerSettings {
	/** The Store API with Astro's `base`, e.g. `/shop/store`. */
	storeBasePath: string;
	/** The checkout page with `base` (Stripe's CSP sources). */
	checkoutPath: string;
	/** Prefixes of the plugin's routes and pages (strict headers); everything else gets the site policy. */
	pluginPaths?: string[];
	securityHeaders: SecurityHeaderSettings & { enabled: boolean };
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

function hasValidEncoding(url: string): boolean {
	try {
		decodeURIComponent(url.split('?')[0]);
		return true;
	} catch {
		return false;
	}
}

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function isHttps(req: IncomingMessage): boolean {
	return Boolean((req.socket as TLSSocket).encrypted) || req.headers['x-forwarded-proto'] === 'https';
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
		: { storeBasePath: '/store', checkoutPath: '/checkout', securityHeaders: { enabled: true } };
	const stripe = stripeEnabled();

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
		if (process.env.TRUST_PROXY !== '1') req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
		if (!hasValidEncoding(req.url ?? '/')) {
			// Astro answers a malformed %-escape with plain text; API clients get the Store error body instead.
			const api = (req.url ?? '').startsWith(`${settings.storeBasePath}/`);
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
			return new Promise((done, fail) => server.close((error) => (error ? fail(error) : done())));
		},
	};
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeApp } from 'astro/app/node';
import { logger } from '../log/logger.ts';
import { currentRequest } from '../runtime/process-state.ts';
import { withCspFloor } from '../security-headers.ts';
import { hostWarning } from './deployment-checks.ts';
import { type Endpoint, type FastRouteName, fastRoute } from './fast-routes.ts';

/** What the build tells `commerce serve` for its fast path (written to commerce-server.json at build end). */
export interface FastPathSettings {
	/** Astro's `security.allowedDomains`: the hosts a request's URL may take from Host / X-Forwarded-Host. */
	allowedDomains: NonNullable<Parameters<typeof NodeApp.createRequest>[1]>['allowedDomains'];
	/** The injected routes' patterns (Astro's `routePattern`), for the access log and metrics labels. */
	routePatterns: Record<FastRouteName, string>;
}

export interface FastTarget {
	name: FastRouteName;
	endpoint: Endpoint;
	/** `params.path` of the Store API's `[...path]`, decoded as Astro decodes it. */
	path?: string;
}

interface PathSettings {
	storeBasePath: string;
	stripeWebhookPath?: string;
	analyticsPath?: string;
}

/**
 * The registered endpoint a request URL goes to, or undefined for everything Astro serves: pages, assets, the admin,
 * metrics, an endpoint Astro has not loaded yet, and paths Astro would refuse (double encoding).
 */
export function fastPathTarget(url: string, settings: PathSettings): FastTarget | undefined {
	const query = url.indexOf('?');
	const raw = query === -1 ? url : url.slice(0, query);
	let pathname: string;
	try {
		pathname = decodeURI(raw);
	} catch {
		return undefined;
	}
	// Astro refuses multi-level encoding; let it answer as it does.
	if (pathname !== raw && /%[0-9a-fA-F]{2}/.test(pathname)) return undefined;
	const base = settings.storeBasePath;
	let name: FastRouteName;
	let path: string | undefined;
	if (pathname.startsWith(`${base}/`)) {
		name = 'store';
		path = pathname.slice(base.length + 1) || undefined;
	} else if (pathname === settings.stripeWebhookPath) name = 'stripeWebhook';
	else if (pathname === settings.analyticsPath) name = 'analytics';
	else return undefined;
	const endpoint = fastRoute(name);
	return endpoint ? { name, endpoint, path } : undefined;
}

const warnedHosts = new Set<string>();

/**
 * Answers a request with a registered endpoint, as Astro would: the same `Request` (Astro's own constructor, with the
 * allowed hosts), client address, route label and headers (the security headers `serve` already set, a route's own
 * CSP gaining the floor directives, as the middleware does).
 */
export async function serveFast(
	req: IncomingMessage,
	res: ServerResponse,
	target: FastTarget,
	settings: FastPathSettings,
): Promise<void> {
	const releaseSocket = socketListenersAddedBy(req, 'close');
	try {
		await answerFast(req, res, target, settings, releaseSocket);
	} finally {
		releaseSocket.release();
	}
}

async function answerFast(
	req: IncomingMessage,
	res: ServerResponse,
	target: FastTarget,
	settings: FastPathSettings,
	releaseSocket: ReturnType<typeof socketListenersAddedBy>,
): Promise<void> {
	const context = currentRequest();
	if (context) {
		context.routePattern = settings.routePatterns[target.name];
		context.fast = true;
	}
	let response: Response;
	try {
		const request = NodeApp.createRequest(req, { allowedDomains: settings.allowedDomains });
		releaseSocket.track();
		const warning = hostWarning(req.headers.host ?? null, new URL(request.url));
		if (warning && !warnedHosts.has(warning.host) && warnedHosts.size < 20) {
			warnedHosts.add(warning.host);
			logger().warn(warning.message);
		}
		const forwarded = req.headers['x-forwarded-for'];
		const clientAddress =
			(Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() || req.socket.remoteAddress || '';
		const method = (req.method ?? 'GET').toUpperCase() as keyof Endpoint;
		const handler = target.endpoint[method] ?? target.endpoint.ALL;
		response = handler
			? await handler({ request, params: { path: target.path }, clientAddress })
			: new Response(null, { status: 405 });
	} catch (error) {
		// The routers map their own errors; this is a bug below them. Astro would render its 500 page.
		logger().error({ err: error }, 'request failed');
		response = new Response(
			JSON.stringify({ type: 'unknown_error', code: 'unknown_error', message: 'An unknown error occurred.' }),
			{ status: 500, headers: { 'Content-Type': 'application/json; charset=utf-8' } },
		);
	}
	const ownCsp = response.headers.get('content-security-policy');
	const ours = res.getHeader('content-security-policy');
	const headers: Record<string, string | string[]> = {};
	for (const [name, value] of response.headers) if (name !== 'set-cookie') headers[name] = value;
	const cookies = response.headers.getSetCookie();
	if (cookies.length) headers['set-cookie'] = cookies;
	if (ownCsp && typeof ours === 'string') headers['content-security-policy'] = withCspFloor(ownCsp, ours);
	// JSON bodies are small: one buffer and one write, not a stream reader per chunk.
	const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
	await drainUnreadBody(req);
	res.writeHead(response.status, headers);
	res.end(body);
}

/**
 * Astro's `createRequest` ties each request's abort signal to its socket with a `close` listener, which Astro removes
 * when its own `writeResponse` finishes. The fast path writes the response itself, so without this every request
 * left a listener — and through it the request, its AbortController and closures — on a keep-alive socket until the
 * client hung up: a server's memory grew with the requests a connection carried (~10 MB per 400 completions under
 * the bench). Tracked by listener identity rather than Astro's internal cleanup symbol, so it holds for every major.
 */
function socketListenersAddedBy(req: IncomingMessage, event: 'close') {
	const socket = req.socket;
	const before = socket ? new Set(socket.listeners(event)) : new Set<unknown>();
	let added: ((...args: unknown[]) => void)[] = [];
	return {
		track() {
			if (socket) added = socket.listeners(event).filter((l) => !before.has(l)) as typeof added;
		},
		release() {
			for (const listener of added) socket?.off(event, listener);
			added = [];
		},
	};
}

/** The most of an unread request body waited for before answering (bytes, as declared by Content-Length). */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/**
 * Reads and discards what is left of a body the route did not read (a 413 decided from Content-Length) before the
 * answer goes out. The fast path answers within microseconds, while the client may still be sending: a connection
 * closed with unread bytes is reset by TCP, and the client then sees EPIPE/ECONNRESET instead of the 413. Bodies
 * declared larger than `DRAIN_LIMIT`, or without a length, are not waited for.
 */
function drainUnreadBody(req: IncomingMessage): Promise<void> {
	if (req.complete || req.readableEnded || req.destroyed) return Promise.resolve();
	const declared = Number(req.headers['content-length']);
	if (!Number.isSafeInteger(declared) || declared > DRAIN_LIMIT) return Promise.resolve();
	return new Promise((resolve) => {
		req.once('end', () => resolve());
		req.once('close', () => resolve());
		req.once('error', () => resolve());
		req.resume();
	});
}

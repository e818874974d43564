import type { AstroGlobal } from 'astro';
import { type AdminArea, adminPageGuard } from '../../auth/rbac.ts';
import { pageOffset } from '../../core/safe-integers.ts';
import type { Customer } from '../../db/repositories/customer-repository.ts';
import { methodNotAllowed } from '../../http/respond.ts';
import type { CommerceRuntime } from '../../runtime/commerce-runtime.ts';
import { getRuntime, options } from '../../runtime/instance.ts';
import { withBase } from '../../storefront/paths.ts';

/** What every admin page needs once the guard let it through. */
export interface AdminPageContext {
	user: Customer;
	runtime: CommerceRuntime;
	base: string;
	/** `?flash=` of the redirect after a form POST (post/redirect/get). */
	flash: string | null;
	error: string | null;
}

/** The admin base path as the browser sees it (`adminBasePath`, default `/admin`, after Astro's `base`), no trailing slash. */
export function adminBase(): string {
	return withBase(options.paths.base, options.adminBasePath, false);
}

/** The admin's name in titles and the header: the store's name (`storeName`). */
export function adminTitle(): string {
	return `${options.storeName} admin`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A bare 403 page: the caller is signed in but may not open this part of the admin. */
function forbiddenPage(base: string, area: AdminArea): Response {
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not allowed · ${escapeHtml(adminTitle())}</title></head><body><main><h1>Not allowed</h1><p>Your account may not use the ${escapeHtml(area)} part of the admin. Ask an administrator for access, or <a href="${escapeHtml(base)}/login">sign in with another account</a>.</p></main></body></html>`;
	return new Response(html, {
		status: 403,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'x-robots-tag': 'noindex, nofollow',
		},
	});
}

/**
 * Runs the RBAC guard for an admin page and marks the response private. Returns a Response to send as is (redirect to
 * the login page for anonymous visitors, 403 for customers and staff outside their areas, then 405 for a method the
 * page does not take: GET and HEAD, and POST for pages with forms) or the page context.
 */
export async function openAdminPage(
	astro: AstroGlobal,
	area: AdminArea,
	opts: { forms?: boolean } = {},
): Promise<Response | AdminPageContext> {
	const base = adminBase();
	astro.response.headers.set('cache-control', 'no-store');
	astro.response.headers.set('x-robots-tag', 'noindex, nofollow');
	const guard = await adminPageGuard(astro.request, area, `${base}/login`);
	if ('redirect' in guard)
		return new Response(null, { status: 303, headers: { location: guard.redirect, 'cache-control': 'no-store' } });
	if ('forbidden' in guard) return forbiddenPage(base, area);
	const methods = opts.forms ? ['GET', 'POST'] : ['GET'];
	if (!acceptsMethod(astro.request.method, methods)) return methodNotAllowed(methods);
	const params = astro.url.searchParams;
	return {
		user: guard.user,
		runtime: await getRuntime(),
		base,
		flash: params.get('flash'),
		error: params.get('error'),
	};
}

/** A bare 400 page for a query string the page cannot use (an offset of 1e23, a 5,000-character search). */
export const badRequestPage = (message: string): Response => htmlError(400, 'Bad request', message);

/** A bare error page of the admin (no layout: it may answer before the page knows who asks). */
export function htmlError(
	status: number,
	title: string,
	message: string,
	headers: Record<string, string> = {},
): Response {
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · FrostBuy admin</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`;
	return new Response(html, {
		status,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'x-robots-tag': 'noindex, nofollow',
			...headers,
		},
	});
}

/** Longest search text an admin list accepts (the admin API's `q` says the same). */
export const MAX_SEARCH_LENGTH = 200;

/**
 * The list parameters every paged admin page reads: `?offset=` (a whole number in the safe range) and `?q=` (at most
 * 200 characters). A value outside either is a 400 page, never a query the database chokes on.
 */
export function listParams(url: URL): { offset: number; q: string } | Response {
	const offset = pageOffset(url.searchParams.get('offset'));
	if (offset === null) return badRequestPage('offset must be a whole number from 0 to 1000000.');
	const q = url.searchParams.get('q')?.trim() ?? '';
	if (q.length > MAX_SEARCH_LENGTH) return badRequestPage(`Search for at most ${MAX_SEARCH_LENGTH} characters.`);
	return { offset, q };
}

/** Post/redirect/get: a 303 back to `path` carrying a one-line flash (or error) message in the query. */
export function redirectWith(path: string, message: { flash?: string; error?: string }): Response {
	const url = new URL(path, 'http://x');
	if (message.flash) url.searchParams.set('flash', message.flash);
	if (message.error) url.searchParams.set('error', message.error);
	return new Response(null, {
		status: 303,
		headers: { location: url.pathname + url.search, 'cache-control': 'no-store' },
	});
}

/** Whether a page taking `methods` answers `method` (HEAD wherever GET). */
export const acceptsMethod = (method: string, methods: readonly string[]) =>
	methods.includes(method === 'HEAD' ? 'GET' : method);

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * The body of an admin form POST, or the 4xx to send instead: 415 for a body that is not a form (JSON, XML,
 * text/plain, none), 400 for a form that cannot be read (multipart without a boundary, a broken encoding). Reading
 * a non-form body with `request.formData()` throws, which used to surface as a 500.
 */
export async function readForm(request: Request): Promise<FormData | Response> {
	const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) {
		return htmlError(
			415,
			'Unsupported form',
			'This page accepts its own HTML form only (application/x-www-form-urlencoded or multipart/form-data).',
		);
	}
	try {
		return await request.formData();
	} catch {
		return htmlError(400, 'Bad request', 'The form could not be read. Reload the page and submit it again.');
	}
}

/** A form field as a trimmed string ('' when absent or a file). */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim() : '';
}

/** A form's validation failure as one line: `field: message; …`. */
export function formIssues(error: { issues: { path: (string | number)[]; message: string }[] }): string {
	return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** The message to show for a failed action: the service's own wording for expected failures. */
export function errorMessage(error: unknown): string {
	// A zod refusal: its issues read better than the JSON dump in its message.
	const issues = (error as { issues?: unknown } | null)?.issues;
	if (Array.isArray(issues)) return formIssues({ issues });
	return error instanceof Error ? error.message : 'The action failed.';
}

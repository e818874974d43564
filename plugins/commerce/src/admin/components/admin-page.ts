import type { AstroGlobal } from 'astro';
import { type AdminArea, adminPageGuard } from '../../auth/rbac.ts';
import type { Customer } from '../../db/repositories/customer-repository.ts';
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
 * the login page for anonymous visitors, 403 for customers and staff outside their areas) or the page context.
 */
export async function openAdminPage(astro: AstroGlobal, area: AdminArea): Promise<Response | AdminPageContext> {
	const base = adminBase();
	astro.response.headers.set('cache-control', 'no-store');
	astro.response.headers.set('x-robots-tag', 'noindex, nofollow');
	const guard = await adminPageGuard(astro.request, area, `${base}/login`);
	if ('redirect' in guard)
		return new Response(null, { status: 303, headers: { location: guard.redirect, 'cache-control': 'no-store' } });
	if ('forbidden' in guard) return forbiddenPage(base, area);
	const params = astro.url.searchParams;
	return {
		user: guard.user,
		runtime: await getRuntime(),
		base,
		flash: params.get('flash'),
		error: params.get('error'),
	};
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

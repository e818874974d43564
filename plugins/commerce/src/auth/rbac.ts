import { forbidden, unauthorized } from '../core/errors.ts';
import type { Customer } from '../db/repositories/customer-repository.ts';
import type { CustomerRole } from '../db/types.ts';
import { type AuthContext, type CustomerAuth, resolveAuth } from './request-auth.ts';

/** The parts of the admin area; every admin page and admin API route names exactly one. */
export type AdminArea = 'dashboard' | 'orders' | 'inventory' | 'discounts' | 'customers' | 'messages' | 'webhooks';

export const ADMIN_AREAS: readonly AdminArea[] = [
	'dashboard',
	'orders',
	'inventory',
	'discounts',
	'customers',
	'messages',
	'webhooks',
];

/** Who may enter which area: admin everything, staff (warehouse) orders and inventory, customers nothing. */
export const ROLE_AREAS: Record<CustomerRole, readonly AdminArea[]> = {
	admin: ADMIN_AREAS,
	staff: ['orders', 'inventory'],
	customer: [],
};

/** Whether a role may use an area of the admin. */
export const canAccess = (role: CustomerRole, area: AdminArea): boolean => ROLE_AREAS[role].includes(area);

/** Whether a role may sign in to the admin at all. */
export const isAdminRole = (role: CustomerRole): boolean => ROLE_AREAS[role].length > 0;

/**
 * The signed-in staff member or admin allowed in `area`. Anonymous callers get 401 `unauthorized`; customers and staff
 * outside their areas get 403 `not_allowed` / `forbidden`.
 */
export async function requireRole(ctx: AuthContext, area: AdminArea): Promise<CustomerAuth> {
	const auth = await resolveAuth(ctx);
	if (!auth)
		throw unauthorized('You are not logged in, or your session has expired. Log in to the admin and try again.');
	if (!canAccess(auth.customer.role, area)) {
		throw forbidden(`Your account may not use the ${area} part of the admin. Ask an administrator for access.`);
	}
	return auth;
}

export type AdminPageGuardResult = { ok: true; user: Customer } | { redirect: string } | { forbidden: true };

/**
 * The same check for server-rendered admin pages: `{ redirect }` to the login page (with `next`) for anonymous visitors,
 * `{ forbidden: true }` for customers and staff outside their areas (render a 403), `{ ok, user }` otherwise.
 * `loginPath` defaults to `/admin/login`; pass `<adminBasePath>/login` when the base is configured.
 */
export async function adminPageGuard(
	request: Request,
	area: AdminArea,
	loginPath = '/admin/login',
): Promise<AdminPageGuardResult> {
	const { getRuntime } = await import('../runtime/instance.ts');
	const runtime = await getRuntime();
	const url = new URL(request.url);
	// Pages cannot add Set-Cookie from here; a sliding session is refreshed by the next API call.
	const auth = await resolveAuth({ request, url, runtime, setCookie: () => {} });
	if (!auth) return { redirect: `${loginPath}?next=${encodeURIComponent(url.pathname + url.search)}` };
	if (!canAccess(auth.customer.role, area)) return { forbidden: true };
	return { ok: true, user: auth.customer };
}

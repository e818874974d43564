import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_AREAS } from '../../plugins/commerce/src/auth/rbac.ts';
import { adminRoutes } from '../../plugins/commerce/src/routes/admin/routes.ts';
import type { TestCustomer } from '../helpers/account-session.ts';
import { admin, adminSession, customerSession } from '../helpers/admin.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// The RBAC matrix over EVERY route of the admin route table (imported, so a new route is covered without editing this
// file): anonymous → 401, customer → 403, staff → 403 outside orders and inventory, admin → never 401/403.

let server: TestServer;
let customer: TestCustomer;
let staff: TestCustomer;
let boss: TestCustomer;

beforeAll(async () => {
	server = await startServer();
	customer = await customerSession(server, 'rbac-customer@example.com');
	staff = await adminSession(server, 'rbac-staff@example.com', 'staff');
	boss = await adminSession(server, 'rbac-admin@example.com', 'admin');
});
afterAll(async () => {
	await server?.stop();
});

const guarded = adminRoutes.filter((r) => r.area !== 'session');
// Dummy ids: the role check answers before anything looks them up.
const concrete = (path: string) => path.replace(/:[a-z_]+/g, 'rbac_probe_id');
const label = (r: (typeof adminRoutes)[number]) => `${r.method} ${r.path} (${r.area})`;

describe('admin route table', () => {
	it('declares an area on every route, and only login/logout/whoami are session routes', () => {
		expect(adminRoutes.length).toBeGreaterThan(20);
		// The type allows any AdminArea: each route must name one the role table knows (or be a session route).
		const known: string[] = [...ROLE_AREAS.admin, 'session'];
		for (const route of adminRoutes) expect(known, label(route)).toContain(route.area);
		expect(new Set(guarded.map((r) => r.area))).toEqual(new Set(ROLE_AREAS.admin));
		expect(
			adminRoutes
				.filter((r) => r.area === 'session')
				.map((r) => `${r.method} ${r.path}`)
				.sort(),
		).toEqual(['DELETE /auth', 'GET /auth', 'POST /auth']);
	});

	it('staff may use orders and inventory only; admin everything; customers nothing', () => {
		expect([...ROLE_AREAS.staff].sort()).toEqual(['inventory', 'orders']);
		expect(ROLE_AREAS.admin.length).toBe(7);
		expect(ROLE_AREAS.customer).toEqual([]);
	});
});

describe.each(guarded.map((r) => [label(r), r] as const))('%s', (_name, route) => {
	const path = concrete(route.path);
	const body = route.method === 'GET' ? undefined : {};

	it('refuses anonymous callers with 401 JSON', async () => {
		const res = await admin(server, null, route.method, path, body);
		expect(res.status).toBe(401);
		expect(res.headers.get('content-type')).toMatch(/application\/json/);
		expect(res.json).toMatchObject({ type: 'unauthorized', message: expect.any(String) });
	});

	it('refuses customers with 403 forbidden', async () => {
		const res = await admin(server, customer, route.method, path, body);
		expect(res.status).toBe(403);
		expect(res.json).toMatchObject({ type: 'not_allowed', code: 'forbidden', message: expect.any(String) });
	});

	it(`${route.area === 'orders' || route.area === 'inventory' ? 'lets staff in' : 'refuses staff with 403'}`, async () => {
		const res = await admin(server, staff, route.method, path, body);
		if (ROLE_AREAS.staff.includes(route.area as never)) {
			// In: the route itself answered (200, or its own 4xx about the dummy id or the empty body), never a crash.
			expect([401, 403]).not.toContain(res.status);
			expect(res.status, res.text).toBeLessThan(500);
			if (res.status >= 400) expect(res.json?.type, res.text).toMatch(/^(not_found|invalid_data|not_allowed)$/);
		} else {
			expect(res.status).toBe(403);
			expect(res.json).toMatchObject({ type: 'not_allowed', code: 'forbidden' });
		}
	});

	it('lets admins in', async () => {
		const res = await admin(server, boss, route.method, path, body);
		expect([401, 403]).not.toContain(res.status);
		expect(res.status, res.text).toBeLessThan(500);
		if (res.status >= 400) expect(res.json?.type, res.text).toMatch(/^(not_found|invalid_data|not_allowed)$/);
	});
});

describe('demo admin seed (seed.demoAdmin in the demo config)', () => {
	it('prints the credentials once on a new database, and they work', async () => {
		const lines = server.output().match(/\[commerce\] demo admin: admin@frostbuy\.local password: (\S+)/g) ?? [];
		expect(lines).toHaveLength(1);
		const password = /password: (\S+)/.exec(lines[0] ?? '')?.[1] ?? '';
		const login = await admin(server, null, 'POST', '/auth', { email: 'admin@frostbuy.local', password });
		expect(login.json).toMatchObject({ user: { email: 'admin@frostbuy.local', role: 'admin' } });
	});
});

describe('session routes', () => {
	it('GET /auth answers 401 anonymous, 403 customer, the user for staff', async () => {
		expect((await admin(server, null, 'GET', '/auth')).status).toBe(401);
		expect((await admin(server, customer, 'GET', '/auth')).json).toMatchObject({
			type: 'not_allowed',
			code: 'forbidden',
		});
		expect((await admin(server, staff, 'GET', '/auth')).json).toMatchObject({
			user: { email: 'rbac-staff@example.com', role: 'staff' },
		});
	});

	it('POST /auth refuses a wrong password (401) and a customer with the right one (403, no session)', async () => {
		const wrong = await admin(server, null, 'POST', '/auth', {
			email: 'rbac-admin@example.com',
			password: 'not-the-password',
		});
		expect(wrong.status).toBe(401);
		const asCustomer = await admin(server, null, 'POST', '/auth', {
			email: 'rbac-customer@example.com',
			password: 'frostbuy-correct-horse-42',
		});
		expect(asCustomer.status).toBe(403);
		expect(asCustomer.headers.getSetCookie().some((c) => /^commerce_session=[^;]+/.test(c))).toBe(false);
	});

	it('refuses an admin session used from another site (CSRF)', async () => {
		const res = await fetch(`${server.url}/admin/api/inventory/default-threshold`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: boss.cookie, origin: 'https://evil.example' },
			body: JSON.stringify({ threshold: 1 }),
		});
		expect(res.status).toBe(403);
	});

	it('DELETE /auth ends the session', async () => {
		const temp = await adminSession(server, 'rbac-temp@example.com', 'admin');
		expect((await admin(server, temp, 'GET', '/dashboard')).status).toBe(200);
		expect((await admin(server, temp, 'DELETE', '/auth')).status).toBe(200);
		expect((await admin(server, temp, 'GET', '/dashboard')).status).toBe(401);
	});
});

import SQLite from 'better-sqlite3';
import { adminCreate } from '../../plugins/commerce/src/cli/admin-create.ts';
import { registerCustomer, type TestCustomer } from './account-session.ts';
import type { TestServer } from './server.ts';

// Admin API calls for tests: staff and admin accounts made by the CLI's own function, sessions from the admin login.

export const ADMIN_PASSWORD = 'admin-correct-horse-42';

/** Creates (or promotes) an account with `commerce admin:create`'s function and logs it in through `POST /admin/api/auth`. */
export async function adminSession(server: TestServer, email: string, role: 'admin' | 'staff'): Promise<TestCustomer> {
	const code = await adminCreate({ email, role, databasePath: server.databasePath }, async () => ADMIN_PASSWORD);
	if (code !== 0) throw new Error(`admin:create ${email} exited with ${code}`);
	const response = await fetch(`${server.url}/admin/api/auth`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password: ADMIN_PASSWORD }),
	});
	const body = (await response.json()) as { user?: { id: string; email: string } };
	if (response.status !== 200 || !body.user)
		throw new Error(`admin login ${email}: ${response.status} ${JSON.stringify(body)}`);
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('commerce_session=') && c.length > 'commerce_session='.length);
	if (!cookie) throw new Error(`admin login ${email}: no session cookie`);
	return { id: body.user.id, email: body.user.email, cookie };
}

/** A plain customer with a session (registered through the Store API). */
export const customerSession = (server: TestServer, email: string) => registerCustomer(server, email);

/** An admin API call with a session (or none); `text` keeps non-JSON answers (CSV). */
export async function admin(
	server: TestServer,
	who: TestCustomer | null,
	method: string,
	path: string,
	body?: unknown,
) {
	const response = await fetch(`${server.url}/admin/api${path}`, {
		method,
		headers: { 'content-type': 'application/json', ...(who ? { cookie: who.cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary shapes
	try {
		json = text ? JSON.parse(text) : null;
	} catch {
		json = null;
	}
	return { status: response.status, headers: response.headers, text, json };
}

export function openDb(server: TestServer): SQLite.Database {
	const db = new SQLite(server.databasePath);
	db.pragma('busy_timeout = 5000');
	return db;
}

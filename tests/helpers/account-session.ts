import SQLite from 'better-sqlite3';
import { ADDRESS, EXP_YEAR, store } from './checkout.ts';
import type { TestServer } from './server.ts';

// Customer sessions for API tests: register through the Store API, keep the `commerce_session` cookie, and place
// orders with it. Raw HTTP on purpose: these routes are our extensions, not medusa-js calls.

export const TEST_PASSWORD = 'frostbuy-correct-horse-42';

export interface TestCustomer {
	id: string;
	email: string;
	/** `commerce_session=<token>`, ready for a `cookie` header. */
	cookie: string;
}

/** Registers a customer (`POST /store/customers`, which logs in) and returns the session cookie it set. */
export async function registerCustomer(server: TestServer, email: string): Promise<TestCustomer> {
	const response = await fetch(`${server.url}/store/customers`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ first_name: 'Sam', last_name: 'Bobcat', email, password: TEST_PASSWORD }),
	});
	const body = (await response.json()) as { customer?: { id: string; email: string } };
	if (response.status !== 200 || !body.customer)
		throw new Error(`register ${email}: ${response.status} ${JSON.stringify(body)}`);
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('commerce_session=') && c.length > 'commerce_session='.length);
	if (!cookie)
		throw new Error(
			`register ${email}: no commerce_session cookie in ${JSON.stringify(response.headers.getSetCookie())}`,
		);
	return { id: body.customer.id, email: body.customer.email, cookie };
}

/** A Store API call with the customer's session (or none). */
export function asCustomer(
	server: TestServer,
	customer: TestCustomer | null,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
) {
	return store(server, method, path, body, customer ? { cookie: customer.cookie, ...headers } : headers);
}

/**
 * Places an order through the Store API paid with the test provider's 4242 card, with the customer's session on
 * every call (null: as a guest with `email`). Returns the order as completion answered it.
 */
export async function placeOrder(
	server: TestServer,
	customer: TestCustomer | null,
	opts: { items: { variantId: string; quantity: number }[]; email?: string; address?: Record<string, string> },
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Medusa shapes
): Promise<any> {
	const call = (method: string, path: string, body?: unknown) => asCustomer(server, customer, method, path, body);
	const created = await call('POST', '/carts', {
		items: opts.items.map((i) => ({ variant_id: i.variantId, quantity: i.quantity })),
	});
	if (created.status !== 200) throw new Error(`cart: ${JSON.stringify(created.json)}`);
	const id = created.json.cart.id as string;
	const email = opts.email ?? customer?.email ?? 'guest@example.com';
	const updated = await call('POST', `/carts/${id}`, { email, shipping_address: opts.address ?? ADDRESS });
	if (updated.status !== 200) throw new Error(`update: ${JSON.stringify(updated.json)}`);
	const options = await call('GET', `/shipping-options/${id}`);
	await call('POST', `/carts/${id}/shipping-methods`, { option_id: options.json.shipping_options[0].id });
	await call('POST', `/carts/${id}/payment-sessions`, {});
	await call('POST', `/carts/${id}/payment-session`, { provider_id: 'test' });
	await call('POST', `/carts/${id}/payment-sessions/test`, {
		data: { card_number: '4242 4242 4242 4242', exp_month: 12, exp_year: EXP_YEAR, cvc: '123' },
	});
	const completed = await call('POST', `/carts/${id}/complete`, {});
	if (completed.status !== 200 || completed.json.type !== 'order')
		throw new Error(`complete: ${completed.status} ${JSON.stringify(completed.json)}`);
	return completed.json.data;
}

/** Opens the test server's SQLite file (open it after the first request: the server migrates on first use). */
export function openTestDatabase(server: TestServer): SQLite.Database {
	const db = new SQLite(server.databasePath);
	db.pragma('busy_timeout = 5000');
	return db;
}

import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, readyCart, store, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// Negative tests of customer accounts over raw HTTP: another customer's data through every route (IDOR), session
// fixation, brute-force lockout, reset-token reuse and expiry, credential changes without the current password,
// bearer revocation, CSRF, account enumeration and the stored password format.

let server: TestServer;
let smtp: TestSmtpServer;
let db: SQLite.Database;

beforeAll(async () => {
	smtp = await startSmtpServer();
	server = await startServer({ env: { SMTP_URL: smtp.url } });
	db = new SQLite(server.databasePath);
	db.pragma('busy_timeout = 5000');
});
afterAll(async () => {
	db?.close();
	await server?.stop();
	await smtp?.close();
});

const PASSWORD = 'long enough password';

/** The `name=value` of the session cookie a response set, if any. */
function sessionCookieOf(headers: Headers): string | undefined {
	return headers
		.getSetCookie()
		.find((c) => c.startsWith('commerce_session='))
		?.split(';')[0];
}

/** Registers a customer and returns its id and session cookie. */
async function register(email: string, extra: Record<string, string> = {}) {
	const res = await store(server, 'POST', '/customers', {
		email,
		password: PASSWORD,
		first_name: 'Test',
		last_name: 'Customer',
		...extra,
	});
	if (res.status !== 200) throw new Error(`register ${email}: ${res.status} ${JSON.stringify(res.json)}`);
	return { id: res.json.customer.id as string, cookie: sessionCookieOf(res.headers)!, email };
}

const as = (cookie: string) => ({ cookie });

/** Asks for a reset link and reads its token from the email the SMTP server received. */
async function resetToken(email: string): Promise<string> {
	const before = smtp.messages.length;
	expect((await store(server, 'POST', '/customers/password-token', { email })).status).toBe(204);
	const deadline = Date.now() + 5000;
	for (;;) {
		const mail = smtp.messages.slice(before).find((m) => m.to.includes(email) && m.subject.startsWith('Reset your'));
		if (mail) return /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
		if (Date.now() > deadline) throw new Error(`no reset email for ${email}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('customer A cannot reach customer B through any route (IDOR)', () => {
	let a: Awaited<ReturnType<typeof register>>;
	let b: Awaited<ReturnType<typeof register>>;
	let bAddressId: string;
	let bOrder: { id: string; display_id: number; cart_id: string };
	let bCartId: string;

	beforeAll(async () => {
		a = await register('idor-a@example.com');
		b = await register('idor-b@example.com');
		const added = await store(server, 'POST', '/customers/me/addresses', { address: ADDRESS }, as(b.cookie));
		bAddressId = added.json.customer.shipping_addresses[0].id;
		const tee = await variantId(server, 'snowflake-mug');
		const placedCart = await readyCart(server, { items: [{ variantId: tee, quantity: 1 }], headers: as(b.cookie) });
		const done = await store(server, 'POST', `/carts/${placedCart}/complete`, {}, as(b.cookie));
		expect(done.json.data.customer_id).toBe(b.id);
		bOrder = done.json.data;
		const open = await store(server, 'POST', '/carts', { items: [{ variant_id: tee, quantity: 1 }] }, as(b.cookie));
		bCartId = open.json.cart.id;
		expect(open.json.cart.customer_id).toBe(b.id);
	});

	it('profile: /customers/me is always the caller; A cannot change B', async () => {
		const me = await store(server, 'GET', '/customers/me', undefined, as(a.cookie));
		expect(me.json.customer.id).toBe(a.id);
		await store(server, 'POST', '/customers/me', { first_name: 'Mallory', id: b.id, customer_id: b.id }, as(a.cookie));
		const bView = await store(server, 'GET', '/customers/me', undefined, as(b.cookie));
		expect(bView.json.customer.first_name).toBe('Test');
		expect(JSON.stringify(me.json)).not.toContain(b.email);
	});

	it("addresses: A cannot update or delete B's address", async () => {
		const update = await store(
			server,
			'POST',
			`/customers/me/addresses/${bAddressId}`,
			{ city: 'Hacked' },
			as(a.cookie),
		);
		expect(update.status).toBe(404);
		const remove = await store(server, 'DELETE', `/customers/me/addresses/${bAddressId}`, {}, as(a.cookie));
		expect(remove.status).toBe(404);
		const billing = await store(server, 'POST', '/customers/me', { billing_address: bAddressId }, as(a.cookie));
		expect(billing.status).toBe(404);
		const bView = await store(server, 'GET', '/customers/me', undefined, as(b.cookie));
		expect(bView.json.customer.shipping_addresses).toEqual([
			expect.objectContaining({ id: bAddressId, city: 'Frostburg' }),
		]);
		const anonymous = await store(server, 'POST', `/customers/me/addresses/${bAddressId}`, { city: 'Hacked' });
		expect(anonymous.status).toBe(401);
	});

	it("orders: not in A's list, not by id (in and after the window), not by cart id, not by lookup", async () => {
		const list = await store(server, 'GET', '/customers/me/orders', undefined, as(a.cookie));
		expect(list.json).toMatchObject({ orders: [], count: 0 });
		const bList = await store(server, 'GET', '/customers/me/orders', undefined, as(b.cookie));
		expect(bList.json.orders.map((o: { id: string }) => o.id)).toEqual([bOrder.id]);

		const lookup = `/orders?display_id=${bOrder.display_id}&email=${encodeURIComponent(b.email)}&shipping_address%5Bpostal_code%5D=${ADDRESS.postal_code}`;
		for (const headers of [as(a.cookie), {}]) {
			expect((await store(server, 'GET', `/orders/${bOrder.id}`, undefined, headers)).status).toBe(404);
			expect((await store(server, 'GET', `/orders/cart/${bOrder.cart_id}`, undefined, headers)).status).toBe(404);
			expect((await store(server, 'GET', lookup, undefined, headers)).status).toBe(404);
		}
		expect((await store(server, 'GET', `/orders/${bOrder.id}`, undefined, as(b.cookie))).status).toBe(200);
		expect((await store(server, 'GET', `/orders/cart/${bOrder.cart_id}`, undefined, as(b.cookie))).status).toBe(200);
		expect((await store(server, 'GET', lookup, undefined, as(b.cookie))).status).toBe(200);

		// After the confirmation window: still the owner's, still nobody else's.
		db.prepare('update orders set created_at = ? where id = ?').run(
			new Date(Date.now() - 3 * 60 * 60 * 1000).toISOString(),
			bOrder.id,
		);
		expect((await store(server, 'GET', `/orders/${bOrder.id}`, undefined, as(a.cookie))).status).toBe(404);
		expect((await store(server, 'GET', `/orders/${bOrder.id}`, undefined, as(b.cookie))).status).toBe(200);
	});

	it("carts: every cart route answers 404 for B's cart to A and to anonymous callers", async () => {
		const lineId = (await store(server, 'GET', `/carts/${bCartId}`, undefined, as(b.cookie))).json.cart.items[0].id;
		const attempts: [string, string, unknown?][] = [
			['GET', `/carts/${bCartId}`],
			['POST', `/carts/${bCartId}`, { email: 'a@example.com' }],
			['POST', `/carts/${bCartId}/line-items`, { variant_id: 'variant_x', quantity: 1 }],
			['POST', `/carts/${bCartId}/line-items/${lineId}`, { quantity: 2 }],
			['DELETE', `/carts/${bCartId}/line-items/${lineId}`, {}],
			['DELETE', `/carts/${bCartId}/discounts/FROSTBURG10`, {}],
			['GET', `/shipping-options/${bCartId}`],
			['POST', `/carts/${bCartId}/shipping-methods`, { option_id: 'so_us_standard' }],
			['POST', `/carts/${bCartId}/payment-sessions`, {}],
			['POST', `/carts/${bCartId}/payment-session`, { provider_id: 'test' }],
			['POST', `/carts/${bCartId}/payment-sessions/test`, { data: {} }],
			['POST', `/carts/${bCartId}/payment-sessions/test/refresh`, {}],
			['DELETE', `/carts/${bCartId}/payment-sessions/test`, {}],
			['POST', `/carts/${bCartId}/complete`, {}],
			['GET', `/orders/cart/${bCartId}`],
		];
		for (const [method, path, body] of attempts) {
			for (const headers of [as(a.cookie), {}]) {
				const res = await store(server, method, path, body, headers);
				expect(res.status, `${method} ${path}`).toBe(404);
				expect(res.json.message).toMatch(/was not found/);
				expect(JSON.stringify(res.json)).not.toContain(b.email);
			}
		}
		const mine = await store(server, 'GET', `/carts/${bCartId}`, undefined, as(b.cookie));
		expect(mine.json.cart.items).toEqual([expect.objectContaining({ id: lineId, quantity: 1 })]);
	});

	it('a body customer_id never attaches a cart to someone', async () => {
		const created = await store(server, 'POST', '/carts', { customer_id: b.id });
		expect(created.json.cart.customer_id).toBeNull();
		const updated = await store(server, 'POST', `/carts/${created.json.cart.id}`, {
			customer_id: b.id,
			email: 'guest@example.com',
		});
		expect(updated.json.cart).toMatchObject({ customer_id: null, email: 'guest@example.com' });
	});
});

describe('sessions', () => {
	it('a cookie set before login is not the session after login (no fixation)', async () => {
		const c = await register('fixation@example.com');
		const planted = 'commerce_session=AttackerChosenValue0123456789abcdefghijklmn';
		const login = await store(server, 'POST', '/auth', { email: c.email, password: PASSWORD }, { cookie: planted });
		const issued = sessionCookieOf(login.headers)!;
		expect(issued).not.toBe(planted);
		expect((await store(server, 'GET', '/auth', undefined, { cookie: planted })).status).toBe(401);
		expect((await store(server, 'GET', '/auth', undefined, { cookie: issued })).status).toBe(200);

		// A valid session presented at login ends too: the id changes whenever the identity is (re)established.
		const relogin = await store(server, 'POST', '/auth', { email: c.email, password: PASSWORD }, { cookie: issued });
		expect(sessionCookieOf(relogin.headers)).not.toBe(issued);
		expect((await store(server, 'GET', '/auth', undefined, { cookie: issued })).status).toBe(401);
	});

	it('logout with a bearer token revokes it; logout clears the cookie session', async () => {
		const c = await register('bearer@example.com');
		const token = (await store(server, 'POST', '/auth/token', { email: c.email, password: PASSWORD })).json
			.access_token as string;
		const bearer = { authorization: `Bearer ${token}` };
		expect((await store(server, 'GET', '/customers/me', undefined, bearer)).status).toBe(200);
		expect((await store(server, 'DELETE', '/auth', {}, bearer)).status).toBe(200);
		expect((await store(server, 'GET', '/customers/me', undefined, bearer)).status).toBe(401);
		// The cookie session is untouched by the bearer's logout, and ends with its own.
		expect((await store(server, 'GET', '/customers/me', undefined, as(c.cookie))).status).toBe(200);
		expect((await store(server, 'DELETE', '/auth', {}, as(c.cookie))).status).toBe(200);
		expect((await store(server, 'GET', '/customers/me', undefined, as(c.cookie))).status).toBe(401);
	});

	it('bearer tokens expire after 24 hours and never slide', async () => {
		const c = await register('bearer-expiry@example.com');
		const token = (await store(server, 'POST', '/auth/token', { email: c.email, password: PASSWORD })).json
			.access_token as string;
		const row = db.prepare("select expires_at from auth_session where user_id = ? and kind = 'bearer'").get(c.id) as {
			expires_at: string;
		};
		const lifetime = new Date(row.expires_at).getTime() - Date.now();
		expect(lifetime).toBeGreaterThan(23.9 * 3600_000);
		expect(lifetime).toBeLessThanOrEqual(24 * 3600_000);
		db.prepare("update auth_session set expires_at = ? where user_id = ? and kind = 'bearer'").run(
			new Date(Date.now() + 60_000).toISOString(),
			c.id,
		);
		await store(server, 'GET', '/customers/me', undefined, { authorization: `Bearer ${token}` });
		const after = db.prepare("select expires_at from auth_session where user_id = ? and kind = 'bearer'").get(c.id) as {
			expires_at: string;
		};
		expect(new Date(after.expires_at).getTime() - Date.now()).toBeLessThan(61_000);
		db.prepare("update auth_session set expires_at = ? where user_id = ? and kind = 'bearer'").run(
			new Date(Date.now() - 1000).toISOString(),
			c.id,
		);
		expect((await store(server, 'GET', '/customers/me', undefined, { authorization: `Bearer ${token}` })).status).toBe(
			401,
		);
		// A bearer token is not a cookie and a cookie is not a bearer token.
		const fresh = (await store(server, 'POST', '/auth/token', { email: c.email, password: PASSWORD })).json
			.access_token as string;
		expect(
			(await store(server, 'GET', '/customers/me', undefined, { cookie: `commerce_session=${fresh}` })).status,
		).toBe(401);
		expect(
			(await store(server, 'GET', '/customers/me', undefined, { authorization: `Bearer ${c.cookie.split('=')[1]}` }))
				.status,
		).toBe(401);
	});
});

describe('credentials', () => {
	it('email and password changes need the current password and end every other session', async () => {
		const c = await register('change@example.com');
		// Signed in elsewhere: a sign-in from another client address does not stand in for old_password here.
		const elsewhere = { 'x-forwarded-for': '203.0.113.77' };
		const other = sessionCookieOf(
			(await store(server, 'POST', '/auth', { email: c.email, password: PASSWORD }, elsewhere)).headers,
		)!;
		const token = (await store(server, 'POST', '/auth/token', { email: c.email, password: PASSWORD }, elsewhere)).json
			.access_token as string;

		const missing = await store(server, 'POST', '/customers/me', { email: 'new-address@example.com' }, as(c.cookie));
		expect(missing.status).toBe(400);
		expect(missing.json.code).toBe('old_password_required');
		const missingPassword = await store(
			server,
			'POST',
			'/customers/me',
			{ password: 'an entirely new one' },
			as(c.cookie),
		);
		expect(missingPassword.status).toBe(400);
		const wrong = await store(
			server,
			'POST',
			'/customers/me',
			{ email: 'new-address@example.com', old_password: 'not my password' },
			as(c.cookie),
		);
		expect(wrong.status).toBe(401);
		expect(wrong.json.type).toBe('unauthorized');
		expect((await store(server, 'GET', '/customers/me', undefined, as(c.cookie))).json.customer.email).toBe(c.email);
		const weak = await store(
			server,
			'POST',
			'/customers/me',
			{ password: 'short', old_password: PASSWORD },
			as(c.cookie),
		);
		expect(weak.status).toBe(400);

		// Profile fields alone need nothing more; sending the unchanged email is not a change.
		expect(
			(await store(server, 'POST', '/customers/me', { last_name: 'Renamed', email: c.email }, as(c.cookie))).status,
		).toBe(200);

		const before = smtp.messages.length;
		const changed = await store(
			server,
			'POST',
			'/customers/me',
			{ email: 'New-Address@example.com', old_password: PASSWORD },
			as(c.cookie),
		);
		expect(changed.status).toBe(200);
		expect(changed.json.customer.email).toBe('new-address@example.com');
		const rotated = sessionCookieOf(changed.headers)!;
		expect(rotated).toBeDefined();
		expect(rotated).not.toBe(c.cookie);
		expect((await store(server, 'GET', '/auth', undefined, as(c.cookie))).status).toBe(401);
		expect((await store(server, 'GET', '/auth', undefined, as(other))).status).toBe(401);
		expect((await store(server, 'GET', '/auth', undefined, { authorization: `Bearer ${token}` })).status).toBe(401);
		expect((await store(server, 'GET', '/auth', undefined, as(rotated))).status).toBe(200);
		await smtp.waitFor(before + 1);
		expect(
			smtp.messages.slice(before).some((m) => m.to.includes(c.email) && /email address was changed/.test(m.subject)),
		).toBe(true);

		// A taken address is refused.
		await register('taken@example.com');
		const taken = await store(
			server,
			'POST',
			'/customers/me',
			{ email: 'taken@example.com', old_password: PASSWORD },
			as(rotated),
		);
		expect(taken.status).toBe(422);
	});

	it('reset tokens work once, expire, belong to one email, and a reset ends every session', async () => {
		const c = await register('reset@example.com');
		const token = await resetToken(c.email);
		const row = db
			.prepare('select token_hash, expires_at, used_at from password_reset_token where customer_id = ?')
			.get(c.id) as { token_hash: string; expires_at: string };
		expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(row.token_hash).not.toBe(token);
		const lifetime = new Date(row.expires_at).getTime() - Date.now();
		expect(lifetime).toBeGreaterThan(29 * 60_000);
		expect(lifetime).toBeLessThanOrEqual(30 * 60_000);

		const otherEmail = await store(server, 'POST', '/customers/password-reset', {
			email: 'fixation@example.com',
			token,
			password: 'new password here',
		});
		expect(otherEmail.status).toBe(401);
		const ok = await store(server, 'POST', '/customers/password-reset', {
			email: c.email,
			token,
			password: 'new password here',
		});
		expect(ok.status).toBe(200);
		expect(sessionCookieOf(ok.headers)).toBeUndefined(); // does not log in
		expect((await store(server, 'GET', '/auth', undefined, as(c.cookie))).status).toBe(401);
		const reused = await store(server, 'POST', '/customers/password-reset', {
			email: c.email,
			token,
			password: 'another new password',
		});
		expect(reused.status).toBe(401);
		expect(reused.json).toEqual({ type: 'unauthorized', message: 'Invalid or expired password reset token' });

		const second = await resetToken(c.email);
		db.prepare('update password_reset_token set expires_at = ? where used_at is null and customer_id = ?').run(
			new Date(Date.now() - 1000).toISOString(),
			c.id,
		);
		const expired = await store(server, 'POST', '/customers/password-reset', {
			email: c.email,
			token: second,
			password: 'another new password',
		});
		expect(expired.status).toBe(401);
		expect(expired.json.message).toBe('Invalid or expired password reset token');

		// A newer link replaces an older unused one.
		const third = await resetToken(c.email);
		const fourth = await resetToken(c.email);
		expect(
			(
				await store(server, 'POST', '/customers/password-reset', {
					email: c.email,
					token: third,
					password: 'another new password',
				})
			).status,
		).toBe(401);
		expect(
			(
				await store(server, 'POST', '/customers/password-reset', {
					email: c.email,
					token: fourth,
					password: 'another new password',
				})
			).status,
		).toBe(200);
	});

	it('password-token answers 204 for unknown emails and sends nothing', async () => {
		const before = smtp.messages.length;
		const res = await store(server, 'POST', '/customers/password-token', { email: 'no-such-account@example.com' });
		expect(res.status).toBe(204);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(smtp.messages.slice(before).filter((m) => m.to.includes('no-such-account@example.com'))).toEqual([]);
	});

	it('passwords are stored as scrypt with their parameters, and never answered', async () => {
		const c = await register('hash@example.com');
		const { password_hash } = db.prepare('select password_hash from customer where id = ?').get(c.id) as {
			password_hash: string;
		};
		expect(password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
		const answers = [
			await store(server, 'POST', '/auth', { email: c.email, password: PASSWORD }),
			await store(server, 'GET', '/auth', undefined, as(c.cookie)),
			await store(server, 'GET', '/customers/me', undefined, as(c.cookie)),
			await store(server, 'POST', '/customers/me', { first_name: 'Hash' }, as(c.cookie)),
		];
		for (const answer of answers) {
			const text = JSON.stringify(answer.json);
			expect(text).not.toContain('password');
			expect(text).not.toContain(password_hash.split('$')[5]);
		}
		const weak = await store(server, 'POST', '/customers', {
			email: 'weak@example.com',
			password: 'sevench',
			first_name: 'W',
			last_name: 'K',
		});
		expect(weak.status).toBe(400);
		expect(weak.json.message).toMatch(/at least 8 characters/);
	});
});

describe('enumeration, brute force and CSRF', () => {
	it('GET /auth/:email answers the same for registered and unknown emails', async () => {
		await register('exists@example.com');
		const known = await store(server, 'GET', '/auth/exists@example.com');
		const unknown = await store(server, 'GET', '/auth/unknown-person@example.com');
		expect(known.status).toBe(unknown.status);
		expect(known.json).toEqual(unknown.json);
		expect(known.json).toEqual({ exists: false });
	});

	it('login failures all get one message; an account locks after 5 failures with 429 + Retry-After', async () => {
		const c = await register('brute@example.com');
		const unknownEmail = await store(server, 'POST', '/auth', {
			email: 'never-registered@example.com',
			password: PASSWORD,
		});
		const wrongPassword = await store(server, 'POST', '/auth', { email: c.email, password: 'wrong password 1' });
		expect(unknownEmail.status).toBe(401);
		expect(unknownEmail.json).toEqual(wrongPassword.json);
		expect(wrongPassword.json).toEqual({ type: 'unauthorized', message: 'Email or password is incorrect.' });
		for (let i = 2; i <= 5; i++)
			expect((await store(server, 'POST', '/auth', { email: c.email, password: `wrong password ${i}` })).status).toBe(
				401,
			);

		// Locked: even the right password waits, and so does the bearer-token route.
		const locked = await store(server, 'POST', '/auth', { email: c.email, password: PASSWORD });
		expect(locked.status).toBe(429);
		expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect(locked.json).toMatchObject({ type: 'too_many_requests', code: 'rate_limited' });
		expect((await store(server, 'POST', '/auth/token', { email: c.email, password: PASSWORD })).status).toBe(429);

		// Unknown emails lock the same way, so the lock reveals nothing.
		for (let i = 1; i < 5; i++)
			await store(server, 'POST', '/auth', { email: 'never-registered@example.com', password: `x${i} password` });
		expect(
			(await store(server, 'POST', '/auth', { email: 'never-registered@example.com', password: PASSWORD })).status,
		).toBe(429);

		// A password reset proves the mailbox and clears the lock.
		const token = await resetToken(c.email);
		expect(
			(
				await store(server, 'POST', '/customers/password-reset', {
					email: c.email,
					token,
					password: 'recovered password',
				})
			).status,
		).toBe(200);
		expect((await store(server, 'POST', '/auth', { email: c.email, password: 'recovered password' })).status).toBe(200);
	});

	it('one client address locks after 20 failures across accounts', async () => {
		const from = { 'x-forwarded-for': '203.0.113.77' };
		for (let i = 0; i < 20; i++) {
			expect(
				(await store(server, 'POST', '/auth', { email: `spray-${i}@example.com`, password: PASSWORD }, from)).status,
			).toBe(401);
		}
		const locked = await store(server, 'POST', '/auth', { email: 'spray-20@example.com', password: PASSWORD }, from);
		expect(locked.status).toBe(429);
		expect(locked.headers.get('retry-after')).toBeTruthy();
	});

	it('reset emails are limited per address', async () => {
		const email = 'flood@example.com';
		for (let i = 0; i < 5; i++)
			expect((await store(server, 'POST', '/customers/password-token', { email })).status).toBe(204);
		const limited = await store(server, 'POST', '/customers/password-token', { email });
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	it('a cookie-authenticated POST or DELETE from another origin is refused with 403; bearer requests are exempt', async () => {
		const c = await register('csrf@example.com');
		const evil = await store(
			server,
			'POST',
			'/customers/me',
			{ first_name: 'Forged' },
			{ ...as(c.cookie), origin: 'https://evil.example' },
		);
		expect(evil.status).toBe(403);
		expect(evil.json).toMatchObject({ type: 'not_allowed', code: 'cross_origin_request' });
		const referer = await store(
			server,
			'DELETE',
			'/auth',
			{},
			{ ...as(c.cookie), referer: 'https://evil.example/page' },
		);
		expect(referer.status).toBe(403);
		const nullOrigin = await store(server, 'POST', '/carts', {}, { ...as(c.cookie), origin: 'null' });
		expect(nullOrigin.status).toBe(403);
		expect((await store(server, 'GET', '/customers/me', undefined, as(c.cookie))).json.customer.first_name).toBe(
			'Test',
		);

		expect(
			(await store(server, 'POST', '/customers/me', { first_name: 'Same' }, { ...as(c.cookie), origin: server.url }))
				.status,
		).toBe(200);
		expect((await store(server, 'POST', '/customers/me', { first_name: 'NoOrigin' }, as(c.cookie))).status).toBe(200);
		const token = (await store(server, 'POST', '/auth/token', { email: c.email, password: PASSWORD })).json
			.access_token as string;
		expect(
			(
				await store(
					server,
					'POST',
					'/customers/me',
					{ first_name: 'Bearer' },
					{ authorization: `Bearer ${token}`, origin: 'https://other.example' },
				)
			).status,
		).toBe(200);

		// Login CSRF: signing a browser into someone's account from another site is refused, cookie or not.
		expect(
			(await store(server, 'POST', '/auth', { email: c.email, password: PASSWORD }, { origin: 'https://evil.example' }))
				.status,
		).toBe(403);
		expect(
			(
				await store(
					server,
					'POST',
					'/customers',
					{ email: 'csrf2@example.com', password: PASSWORD, first_name: 'A', last_name: 'B' },
					{ origin: 'https://evil.example' },
				)
			).status,
		).toBe(403);
	});
});

describe('guest customers', () => {
	it('registering upgrades a guest customer but never hands over guest orders placed with that email', async () => {
		const email = 'was-a-guest@example.com';
		const mug = await variantId(server, 'snowflake-mug');
		const guestCart = await readyCart(server, { items: [{ variantId: mug, quantity: 1 }], email });
		const guestOrder = (await store(server, 'POST', `/carts/${guestCart}/complete`, {})).json.data;
		expect(guestOrder.customer_id).toBeNull();
		const at = new Date().toISOString();
		db.prepare(
			'insert into customer (id, email, first_name, last_name, phone, has_account, password_hash, role, billing_address_id, created_at, updated_at) values (?, ?, ?, ?, ?, 0, null, ?, null, ?, ?)',
		).run('cus_GUEST0000000000000000000000', email, 'Guest', 'Shopper', '301-555-0123', 'customer', at, at);

		const c = await register(email);
		expect(c.id).toBe('cus_GUEST0000000000000000000000');
		const me = await store(server, 'GET', '/customers/me', undefined, as(c.cookie));
		expect(me.json.customer).toMatchObject({ has_account: true, first_name: 'Test', phone: '301-555-0123' });
		expect((await store(server, 'GET', '/customers/me/orders', undefined, as(c.cookie))).json.count).toBe(0);
		expect(
			(await store(server, 'POST', '/customers', { email, password: PASSWORD, first_name: 'Again', last_name: 'X' }))
				.status,
		).toBe(422);
	});
});

describe('guest cart on login', () => {
	it('merges the guest cart into the customer’s open cart, and attaches it when there is none', async () => {
		const c = await register('merge@example.com');
		const tee = await variantId(server, 'snowflake-mug');
		const hoodie = await variantId(server, 'classic-hoodie', 'L');
		// No open cart yet: the guest cart becomes the customer's.
		const guest1 = (await store(server, 'POST', '/carts', { items: [{ variant_id: tee, quantity: 1 }] })).json.cart
			.id as string;
		const first = await store(server, 'POST', '/auth', { email: c.email, password: PASSWORD, cart_id: guest1 });
		expect(first.json.cart_id).toBe(guest1);
		const cookie = sessionCookieOf(first.headers)!;
		const attached = await store(server, 'GET', `/carts/${guest1}`, undefined, as(cookie));
		expect(attached.json.cart).toMatchObject({ customer_id: c.id, email: c.email });
		expect((await store(server, 'GET', `/carts/${guest1}`)).status).toBe(404);

		// With an open cart: lines move over (same variant adds up) and the guest cart is gone.
		const guest2 = (
			await store(server, 'POST', '/carts', {
				items: [
					{ variant_id: tee, quantity: 2 },
					{ variant_id: hoodie, quantity: 1 },
				],
			})
		).json.cart.id as string;
		const second = await store(
			server,
			'POST',
			'/auth',
			{ email: c.email, password: PASSWORD, cart_id: guest2 },
			as(cookie),
		);
		expect(second.json.cart_id).toBe(guest1);
		const merged = await store(server, 'GET', `/carts/${guest1}`, undefined, as(sessionCookieOf(second.headers)!));
		const quantities = Object.fromEntries(
			merged.json.cart.items.map((i: { variant_id: string; quantity: number }) => [i.variant_id, i.quantity]),
		);
		expect(quantities).toEqual({ [tee]: 3, [hoodie]: 1 });
		expect((await store(server, 'GET', `/carts/${guest2}`)).status).toBe(404);

		// Another customer's cart id in the body is ignored (and stays theirs).
		const d = await register('merge-other@example.com');
		const dCart = (await store(server, 'POST', '/carts', { items: [{ variant_id: tee, quantity: 1 }] }, as(d.cookie)))
			.json.cart.id as string;
		const third = await store(server, 'POST', '/auth', { email: c.email, password: PASSWORD, cart_id: dCart });
		expect(third.json.cart_id).toBe(guest1);
		expect((await store(server, 'GET', `/carts/${dCart}`, undefined, as(d.cookie))).json.cart.customer_id).toBe(d.id);
	});
});

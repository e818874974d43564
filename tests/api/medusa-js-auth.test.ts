import Medusa from '@medusajs/medusa-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, readyCart, variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

// Customer accounts as a Medusa storefront drives them, through @medusajs/medusa-js: register, log in, session,
// profile and addresses, a checkout while logged in, order history, password reset with the token read from a real
// SMTP server on loopback, bearer tokens and logout. medusa-js in Node keeps no cookies, so each "browser" here is a
// Medusa client with the session cookie in `customHeaders`.

interface Address {
	id: string;
	city: string;
	customer_id: string | null;
}
interface Customer {
	id: string;
	email: string;
	first_name: string;
	last_name: string;
	phone: string | null;
	has_account: boolean;
	shipping_addresses: Address[];
	billing_address: Address | null;
	orders?: { id: string }[];
}
interface Order {
	id: string;
	customer_id: string | null;
	email: string;
	items: unknown[];
}
interface AxiosLike {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	data?: { type: string; message: string; code?: string };
}
type WithResponse<T> = T & { response: AxiosLike };

let server: TestServer;
let smtp: TestSmtpServer;
let anonymous: Medusa;

const PASSWORD = 'correct horse battery';
const EMAIL = 'Ada.Lovelace@Example.com';

beforeAll(async () => {
	smtp = await startSmtpServer();
	server = await startServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'FrostBuy <account@frostbuy.test>' } });
	anonymous = new Medusa({ baseUrl: server.url, maxRetries: 2 });
});
afterAll(async () => {
	await server?.stop();
	await smtp?.close();
});

/** A medusa-js client acting as one browser: sends the given session cookie (or bearer token) on every call. */
const browser = (headers: Record<string, string>) =>
	new Medusa({ baseUrl: server.url, maxRetries: 2, customHeaders: headers });

/** The `name=value` of the session cookie a response set. */
function sessionCookie(response: AxiosLike): string {
	const all = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
	const cookie = all.find((c) => c.startsWith('commerce_session='));
	if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(all)}`);
	return cookie.split(';')[0];
}

async function failure(call: Promise<unknown>): Promise<AxiosLike> {
	try {
		await call;
	} catch (error) {
		const response = (error as { response?: AxiosLike }).response;
		if (response) return response;
		throw error;
	}
	throw new Error('expected the call to fail');
}

describe('medusa-js customer accounts', () => {
	let cookie: string;
	let customerId: string;

	it('registers with customers.create, which logs in with an HttpOnly, SameSite=Lax session cookie', async () => {
		const created = (await anonymous.customers.create({
			first_name: 'Ada',
			last_name: 'Lovelace',
			email: EMAIL,
			password: PASSWORD,
		})) as unknown as WithResponse<{ customer: Customer }>;
		expect(created.customer).toMatchObject({
			email: 'ada.lovelace@example.com',
			first_name: 'Ada',
			last_name: 'Lovelace',
			has_account: true,
			shipping_addresses: [],
		});
		expect(JSON.stringify(created.customer)).not.toMatch(/password|scrypt/);
		const setCookie = ([] as string[])
			.concat(created.response.headers['set-cookie'] ?? [])
			.find((c) => c.startsWith('commerce_session='))!;
		expect(setCookie).toMatch(/HttpOnly/);
		expect(setCookie).toMatch(/SameSite=Lax/);
		expect(setCookie).toMatch(/Path=\//);
		expect(setCookie).not.toMatch(/Secure/); // plain http in tests; Secure is added on https
		cookie = sessionCookie(created.response);
		customerId = created.customer.id;
		expect(customerId).toMatch(/^cus_/);

		const { customer } = (await browser({ cookie }).auth.getSession()) as unknown as { customer: Customer };
		expect(customer.id).toBe(customerId);
	});

	it('refuses a second account with the same email: 422 duplicate_error', async () => {
		const response = await failure(
			anonymous.customers.create({
				first_name: 'Eve',
				last_name: 'X',
				email: 'ada.lovelace@example.com',
				password: 'another long password',
			}),
		);
		expect(response.status).toBe(422);
		expect(response.data).toMatchObject({ type: 'duplicate_error', code: 'invalid_request_error' });
	});

	it('auth.authenticate starts a new session (new id), auth.getSession needs one (401 without)', async () => {
		const login = (await anonymous.auth.authenticate({ email: EMAIL, password: PASSWORD })) as unknown as WithResponse<{
			customer: Customer;
		}>;
		expect(login.customer.id).toBe(customerId);
		const second = sessionCookie(login.response);
		expect(second).not.toBe(cookie);
		const { customer } = (await browser({ cookie: second }).auth.getSession()) as unknown as { customer: Customer };
		expect(customer.email).toBe('ada.lovelace@example.com');

		const anonymousSession = await failure(anonymous.auth.getSession());
		expect(anonymousSession.status).toBe(401);
		expect(anonymousSession.data).toMatchObject({ type: 'unauthorized' });

		const wrong = await failure(anonymous.auth.authenticate({ email: EMAIL, password: 'not the password' }));
		expect(wrong.status).toBe(401);
		expect(wrong.data).toEqual({ type: 'unauthorized', message: 'Email or password is incorrect.' });
	});

	it('customers.retrieve / update change the profile', async () => {
		const me = browser({ cookie });
		const { customer } = (await me.customers.retrieve()) as unknown as { customer: Customer };
		expect(customer).toMatchObject({ id: customerId, billing_address: null });
		const updated = (await me.customers.update({
			first_name: 'Augusta Ada',
			phone: '301-555-0199',
			billing_address: { ...ADDRESS, city: 'Cumberland' },
		})) as unknown as { customer: Customer };
		expect(updated.customer).toMatchObject({
			first_name: 'Augusta Ada',
			last_name: 'Lovelace',
			phone: '301-555-0199',
			billing_address: { city: 'Cumberland' },
		});
		// The billing address is not one of the saved shipping addresses.
		expect(updated.customer.shipping_addresses).toEqual([]);
	});

	it('customers.addresses add, update and delete saved addresses', async () => {
		const me = browser({ cookie });
		const added = (await me.customers.addresses.addAddress({
			address: { ...ADDRESS, company: '', address_2: '', province: 'MD', metadata: {} },
		})) as unknown as { customer: Customer };
		expect(added.customer.shipping_addresses).toHaveLength(1);
		const address = added.customer.shipping_addresses[0];
		expect(address).toMatchObject({ city: 'Frostburg', customer_id: customerId });

		const updated = (await me.customers.addresses.updateAddress(address.id, { city: 'Lonaconing' })) as unknown as {
			customer: Customer;
		};
		expect(updated.customer.shipping_addresses[0]).toMatchObject({ id: address.id, city: 'Lonaconing' });

		const incomplete = await failure(me.customers.addresses.addAddress({ address: { first_name: 'Ada' } as never }));
		expect(incomplete.status).toBe(400);

		const deleted = (await me.customers.addresses.deleteAddress(address.id)) as unknown as { customer: Customer };
		expect(deleted.customer.shipping_addresses).toEqual([]);
		expect((await failure(me.customers.addresses.deleteAddress(address.id))).status).toBe(404);
	});

	it('a checkout while logged in lands in customers.listOrders', async () => {
		const me = browser({ cookie });
		const hoodie = await variantId(server, 'classic-hoodie', 'M');
		// The email in the body is ignored when logged in: the cart carries the account's.
		const cartId = await readyCart(server, {
			items: [{ variantId: hoodie, quantity: 1 }],
			email: 'someone-else@example.com',
			headers: { cookie },
		});
		const { cart } = (await me.carts.retrieve(cartId)) as unknown as { cart: { customer_id: string; email: string } };
		expect(cart).toMatchObject({ customer_id: customerId, email: 'ada.lovelace@example.com' });
		const completed = (await me.carts.complete(cartId)) as unknown as { type: string; data: Order };
		expect(completed.type).toBe('order');
		expect(completed.data).toMatchObject({ customer_id: customerId, email: 'ada.lovelace@example.com' });

		const list = (await me.customers.listOrders({ limit: 10, offset: 0 })) as unknown as {
			orders: Order[];
			count: number;
			offset: number;
			limit: number;
		};
		expect(list).toMatchObject({ count: 1, offset: 0, limit: 10 });
		expect(list.orders.map((o) => o.id)).toEqual([completed.data.id]);
		expect(list.orders[0].items).toHaveLength(1);

		const { order } = (await me.orders.retrieve(completed.data.id)) as unknown as { order: Order };
		expect(order.id).toBe(completed.data.id);
		// Auth answers embed the recent orders, as Medusa's do.
		const { customer } = (await me.auth.getSession()) as unknown as { customer: Customer };
		expect(customer.orders?.map((o) => o.id)).toEqual([completed.data.id]);
		expect((await failure(anonymous.customers.listOrders())).status).toBe(401);
	});

	it('auth.getToken issues a bearer token that auth.deleteSession revokes', async () => {
		const { access_token } = (await anonymous.auth.getToken({ email: EMAIL, password: PASSWORD })) as unknown as {
			access_token: string;
		};
		expect(access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const bearer = browser({ authorization: `Bearer ${access_token}` });
		const { customer } = (await bearer.customers.retrieve()) as unknown as { customer: Customer };
		expect(customer.id).toBe(customerId);
		await bearer.auth.deleteSession();
		expect((await failure(bearer.customers.retrieve())).status).toBe(401);
		expect((await failure(anonymous.auth.getToken({ email: EMAIL, password: 'wrong password!' }))).status).toBe(401);
	});

	it('auth.exists never reveals an account', async () => {
		expect(await anonymous.auth.exists('ada.lovelace@example.com')).toMatchObject({ exists: false });
		expect(await anonymous.auth.exists('nobody@example.com')).toMatchObject({ exists: false });
	});

	it('resets the password with the emailed token; every session ends and the change is emailed', async () => {
		const before = smtp.messages.length;
		const requested = (await anonymous.customers.generatePasswordToken({
			email: 'ada.lovelace@example.com',
		})) as unknown as WithResponse<object>;
		expect(requested.response.status).toBe(204);
		await smtp.waitFor(before + 1);
		const mail = smtp.messages[before];
		expect(mail.to).toEqual(['ada.lovelace@example.com']);
		expect(mail.subject).toBe('Reset your FrostBuy password');
		const link = /(http:\/\/\S+\/account\/reset-password\/\?token=([A-Za-z0-9_-]+)&email=(\S+))/.exec(mail.text);
		expect(link, mail.text).not.toBeNull();
		const token = link![2];
		expect(decodeURIComponent(link![3])).toBe('ada.lovelace@example.com');

		const reset = (await anonymous.customers.resetPassword({
			email: 'ada.lovelace@example.com',
			token,
			password: 'a brand new passphrase',
		})) as unknown as { customer: Customer };
		expect(reset.customer.id).toBe(customerId);
		expect((await failure(browser({ cookie }).auth.getSession())).status).toBe(401);
		expect((await failure(anonymous.auth.authenticate({ email: EMAIL, password: PASSWORD }))).status).toBe(401);
		const again = await failure(
			anonymous.customers.resetPassword({
				email: 'ada.lovelace@example.com',
				token,
				password: 'yet another passphrase',
			}),
		);
		expect(again.status).toBe(401);
		expect(again.data).toMatchObject({ type: 'unauthorized', message: 'Invalid or expired password reset token' });

		await smtp.waitFor(before + 2);
		expect(smtp.messages[before + 1].subject).toBe('Your FrostBuy password was changed');

		const login = (await anonymous.auth.authenticate({
			email: EMAIL,
			password: 'a brand new passphrase',
		})) as unknown as WithResponse<{ customer: Customer }>;
		cookie = sessionCookie(login.response);
		expect(login.customer.id).toBe(customerId);
	});

	it('auth.deleteSession logs out: the cookie is cleared and its session ends', async () => {
		const me = browser({ cookie });
		const out = (await me.auth.deleteSession()) as unknown as WithResponse<object>;
		expect(out.response.status).toBe(200);
		expect(([] as string[]).concat(out.response.headers['set-cookie'] ?? []).join()).toMatch(
			/commerce_session=;.*Max-Age=0/,
		);
		expect((await failure(me.auth.getSession())).status).toBe(401);
		expect((await failure(me.customers.retrieve())).status).toBe(401);
	});
});

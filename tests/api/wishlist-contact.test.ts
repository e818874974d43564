import type SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asCustomer, openTestDatabase, registerCustomer, type TestCustomer } from '../helpers/account-session.ts';
import { variantId } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// Our Store API extensions for the wishlist (logged-in customers only) and the contact form (honeypot, rate limit).

let server: TestServer;
let db: SQLite.Database;
let alice: TestCustomer;
let bob: TestCustomer;

beforeAll(async () => {
	server = await startServer();
	alice = await registerCustomer(server, 'wish-alice@example.com');
	bob = await registerCustomer(server, 'wish-bob@example.com');
	db = openTestDatabase(server);
});
afterAll(async () => {
	db?.close();
	await server?.stop();
});

interface WishlistEntry {
	variant_id: string;
	product_id: string;
	handle: string;
	title: string;
	variant_title: string;
	thumbnail: string | null;
	added_at: string;
}

const wishlist = (customer: TestCustomer | null) => asCustomer(server, customer, 'GET', '/customers/me/wishlist');
const add = (customer: TestCustomer | null, body: unknown) =>
	asCustomer(server, customer, 'POST', '/customers/me/wishlist', body);
const remove = (customer: TestCustomer | null, id: string) =>
	asCustomer(server, customer, 'DELETE', `/customers/me/wishlist/${id}`, {});

describe('wishlist', () => {
	it('adds, lists and removes variants; adding twice and removing twice change nothing', async () => {
		const hoodie = await variantId(server, 'classic-hoodie', 'L');
		const jacket = await variantId(server, 'stadium-jacket');
		expect((await wishlist(alice)).json).toEqual({ wishlist: [] });

		const first = await add(alice, { variant_id: hoodie });
		expect(first.status).toBe(200);
		const [entry] = first.json.wishlist as WishlistEntry[];
		expect(entry).toMatchObject({
			variant_id: hoodie,
			handle: 'classic-hoodie',
			title: 'Frostburg Classic Hoodie',
			variant_title: 'L',
		});
		expect(entry.product_id).toMatch(/^prod_/);
		expect(entry.thumbnail).toEqual(expect.any(String));
		expect(Number.isNaN(Date.parse(entry.added_at))).toBe(false);

		const again = await add(alice, { variant_id: hoodie });
		expect(again.status).toBe(200);
		expect(again.json.wishlist).toEqual([entry]);

		await new Promise((resolve) => setTimeout(resolve, 5));
		const both = await add(alice, { variant_id: jacket });
		expect((both.json.wishlist as WishlistEntry[]).map((e) => e.variant_id)).toEqual([jacket, hoodie]);
		expect((await wishlist(alice)).json).toEqual(both.json);

		const removed = await remove(alice, hoodie);
		expect(removed.status).toBe(200);
		expect((removed.json.wishlist as WishlistEntry[]).map((e) => e.variant_id)).toEqual([jacket]);
		const removedAgain = await remove(alice, hoodie);
		expect(removedAgain.status).toBe(200);
		expect(removedAgain.json).toEqual(removed.json);
	});

	it('answers 404 for an unknown or inactive variant and 400 without one', async () => {
		const unknown = await add(alice, { variant_id: 'variant_01UNKNOWN000000000000000' });
		expect(unknown.status).toBe(404);
		expect(unknown.json).toMatchObject({ type: 'not_found' });
		expect((await add(alice, {})).status).toBe(400);
		expect((await add(alice, { variant_id: 42 })).status).toBe(400);

		const hidden = await variantId(server, 'classic-hoodie', 'S');
		db.prepare('update product_variant set active = 0 where id = ?').run(hidden);
		try {
			expect((await add(alice, { variant_id: hidden })).status).toBe(404);
		} finally {
			db.prepare('update product_variant set active = 1 where id = ?').run(hidden);
		}
		expect(((await wishlist(alice)).json.wishlist as WishlistEntry[]).map((e) => e.variant_id)).not.toContain(hidden);
	});

	it("keeps each customer's wishlist to themselves and refuses anonymous callers", async () => {
		const xl = await variantId(server, 'classic-hoodie', 'XL');
		await add(alice, { variant_id: xl });
		const aliceList = (await wishlist(alice)).json;
		expect((await wishlist(bob)).json).toEqual({ wishlist: [] });
		// Bob removing Alice's variant touches only his own (empty) list.
		expect((await remove(bob, xl)).json).toEqual({ wishlist: [] });
		expect((await wishlist(alice)).json).toEqual(aliceList);

		for (const response of [await wishlist(null), await add(null, { variant_id: xl }), await remove(null, xl)]) {
			expect(response.status).toBe(401);
			expect(response.json).toMatchObject({ type: 'unauthorized' });
		}
	});
});

const MESSAGE = {
	name: 'Sam Bobcat',
	email: 'Sam@Example.com',
	subject: 'Hoodie sizes',
	message: 'Does the classic hoodie run large?',
	website: '',
};
const contactCount = () => (db.prepare('select count(*) as n from contact_message').get() as { n: number }).n;
// Each test speaks from its own client address (the server honours X-Forwarded-For), so the limit of one test does
// not spill into another.
const contact = (from: string, body: unknown, customer: TestCustomer | null = null) =>
	asCustomer(server, customer, 'POST', '/contact', body, { 'x-forwarded-for': from });

describe('POST /store/contact', () => {
	it('stores a message, with the customer when logged in', async () => {
		const anonymous = await contact('203.0.113.1', MESSAGE);
		expect(anonymous.status).toBe(200);
		expect(anonymous.json).toEqual({ received: true });
		const signedIn = await contact('203.0.113.1', { ...MESSAGE, subject: 'Order question' }, alice);
		expect(signedIn.json).toEqual({ received: true });

		const rows = db.prepare('select * from contact_message order by created_at, id').all() as Record<string, unknown>[];
		expect(rows.slice(-2)).toEqual([
			expect.objectContaining({
				name: 'Sam Bobcat',
				email: 'sam@example.com',
				subject: 'Hoodie sizes',
				message: MESSAGE.message,
				customer_id: null,
				read_at: null,
			}),
			expect.objectContaining({ subject: 'Order question', customer_id: alice.id }),
		]);
	});

	it('answers a filled honeypot like a success and stores nothing', async () => {
		const before = contactCount();
		const response = await contact('203.0.113.2', { ...MESSAGE, website: 'https://spam.example' });
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ received: true });
		// Even an otherwise invalid bot submission gets the same answer.
		expect((await contact('203.0.113.2', { website: 'x' })).json).toEqual({ received: true });
		expect(contactCount()).toBe(before);
	});

	it('validates every field with a 400 naming it, storing nothing', async () => {
		const before = contactCount();
		const cases: [Record<string, unknown>, RegExp][] = [
			[{ ...MESSAGE, email: 'not-an-email' }, /email/],
			[{ ...MESSAGE, message: 'too short' }, /message must be at least 10 characters/],
			[{ ...MESSAGE, message: 'x'.repeat(5001) }, /message must be at most 5000 characters/],
			[{ ...MESSAGE, name: 'n'.repeat(101) }, /name must be at most 100 characters/],
			[{ ...MESSAGE, subject: 's'.repeat(151) }, /subject must be at most 150 characters/],
			[{ ...MESSAGE, subject: 'Hello\r\nBcc: everyone@example.com' }, /subject must be a single line/],
			[{ email: 'sam@example.com' }, /name is required/],
		];
		for (const [index, [body, message]] of cases.entries()) {
			// One address per case: the validation is the subject here, not the limit.
			const response = await contact(`198.51.100.${index + 1}`, body);
			expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
			expect(response.json.type).toBe('invalid_data');
			expect(response.json.message).toMatch(message);
		}
		expect(contactCount()).toBe(before);
	});

	it('rate limits each client address: 5 messages per 10 minutes, then 429 with Retry-After', async () => {
		const before = contactCount();
		for (let i = 0; i < 5; i++)
			expect((await contact('192.0.2.77', { ...MESSAGE, subject: `Attempt ${i}` })).status).toBe(200);
		const limited = await contact('192.0.2.77', MESSAGE);
		expect(limited.status).toBe(429);
		expect(limited.json).toMatchObject({ type: 'too_many_requests', code: 'rate_limited' });
		const retryAfter = Number(limited.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(600);
		expect(contactCount()).toBe(before + 5);
		// Another address is not affected.
		expect((await contact('192.0.2.78', MESSAGE)).status).toBe(200);
	});
});

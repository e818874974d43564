import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProductFile } from '../../plugins/commerce/src/content/parse-product-file.ts';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import { isUniqueViolation } from '../../plugins/commerce/src/db/errors.ts';
import {
	deleteCart,
	findCartOwner,
	findPurchasableVariant,
	insertCart,
	insertLine,
	listUnpricedLineIds,
	saveAddress,
} from '../../plugins/commerce/src/db/repositories/cart-repository.ts';
import {
	findContactMessage,
	insertContactMessage,
	listContactMessages,
	setMessageReadAt,
} from '../../plugins/commerce/src/db/repositories/contact-repository.ts';
import {
	findCredentialsByEmail,
	findCustomerByEmail,
	insertCustomer,
	listCustomersWithOrderCounts,
	updateCustomer,
} from '../../plugins/commerce/src/db/repositories/customer-repository.ts';
import {
	findDiscountByCode,
	insertDiscount,
	listDiscountsWithUsage,
	replaceDiscountRules,
} from '../../plugins/commerce/src/db/repositories/discount-repository.ts';
import { claimKey, findKey, storeResponse } from '../../plugins/commerce/src/db/repositories/idempotency-repository.ts';
import { findProductPage } from '../../plugins/commerce/src/db/repositories/product-repository.ts';
import {
	deleteExpiredSessions,
	extendCookieSession,
	findSessionWithCustomer,
	insertSession,
} from '../../plugins/commerce/src/db/repositories/session-repository.ts';
import { syncCatalog } from '../../plugins/commerce/src/services/catalog-sync.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

// Repositories map rows to domain objects once: 0/1 flags become booleans, restrictions become lists or null, the
// password hash stays out of `Customer`, and joins that can miss come back as null, not as half-filled objects.

let testDb: TestDatabase;
let db: CommerceDb;
const at = '2026-12-01T10:00:00.000Z';
let mugVariant = '';
let mugProduct = '';

beforeAll(async () => {
	testDb = await createTestDatabase('repos');
	db = testDb.db;
	const mug = parseProductFile(
		'content/products/test-mug.md',
		'---\ntitle: Test Mug\ncategory: Drinkware\nimages:\n  - src: /images/mug.svg\n    alt: Mug\nvariants:\n  - sku: TEST-MUG\n    prices: { usd: 12.00 }\n    stock: 7\n---\nA mug.\n',
	);
	await syncCatalog(db, [mug]);
	const row = await db.selectFrom('product_variant').select(['id', 'product_id']).executeTakeFirstOrThrow();
	mugVariant = row.id;
	mugProduct = row.product_id;
});
afterAll(async () => {
	await testDb.destroy();
});

describe('customer repository', () => {
	it('maps flags to booleans, lower-cases emails and keeps the password hash out of Customer', async () => {
		const created = await insertCustomer(
			db,
			{ email: ' Ann@Example.COM ', firstName: 'Ann', hasAccount: true, passwordHash: 'scrypt$hash' },
			at,
		);
		expect(created).toEqual({
			id: expect.stringMatching(/^cus_/),
			email: 'ann@example.com',
			firstName: 'Ann',
			lastName: null,
			phone: null,
			hasAccount: true,
			role: 'customer',
			billingAddressId: null,
			createdAt: at,
			updatedAt: at,
		});
		expect(await findCustomerByEmail(db, 'ANN@example.com')).toEqual(created);
		expect(await findCustomerByEmail(db, 'ANN@example.com')).not.toHaveProperty('passwordHash');
		expect(await findCredentialsByEmail(db, 'ann@example.com')).toEqual({
			customer: created,
			passwordHash: 'scrypt$hash',
		});

		await updateCustomer(db, created.id, { role: 'staff', lastName: 'Lee' }, '2026-12-02T00:00:00.000Z');
		expect(await findCustomerByEmail(db, 'ann@example.com')).toMatchObject({
			role: 'staff',
			lastName: 'Lee',
			firstName: 'Ann',
			updatedAt: '2026-12-02T00:00:00.000Z',
		});
	});

	it('finds customers by email or name literally (no LIKE wildcards) with their order counts', async () => {
		await insertCustomer(db, { email: 'percent%@example.com', firstName: 'Per', lastName: 'Cent' }, at);
		const byWildcard = await listCustomersWithOrderCounts(db, { q: '%', limit: 10, offset: 0 });
		expect(byWildcard.customers.map((c) => c.email)).toEqual(['percent%@example.com']);
		const byName = await listCustomersWithOrderCounts(db, { q: 'per cent', limit: 10, offset: 0 });
		expect(byName).toMatchObject({ count: 1, customers: [{ email: 'percent%@example.com', orderCount: 0 }] });
		expect(byName.customers[0].hasAccount).toBe(false);
	});
});

describe('session repository', () => {
	it('returns the owner only when they have an account, and slides cookie sessions only', async () => {
		const member = await insertCustomer(db, { email: 'member@example.com', hasAccount: true, passwordHash: 'x' }, at);
		const guest = await insertCustomer(db, { email: 'guest@example.com' }, at);
		const expiresAt = '2030-01-01T00:00:00.000Z';
		await insertSession(db, { id: 'sess_member', customerId: member.id, expiresAt, kind: 'cookie' }, at);
		await insertSession(db, { id: 'sess_bearer', customerId: member.id, expiresAt, kind: 'bearer' }, at);
		await insertSession(db, { id: 'sess_guest', customerId: guest.id, expiresAt, kind: 'cookie' }, at);

		const found = await findSessionWithCustomer(db, 'sess_member');
		expect(found).toEqual({
			session: { id: 'sess_member', customerId: member.id, expiresAt, kind: 'cookie' },
			customer: member,
		});
		expect((await findSessionWithCustomer(db, 'sess_guest'))?.customer).toBeNull();
		expect(await findSessionWithCustomer(db, 'sess_missing')).toBeUndefined();

		await extendCookieSession(db, 'sess_member', '2031-01-01T00:00:00.000Z');
		await extendCookieSession(db, 'sess_bearer', '2031-01-01T00:00:00.000Z');
		expect((await findSessionWithCustomer(db, 'sess_member'))?.session.expiresAt).toBe('2031-01-01T00:00:00.000Z');
		expect((await findSessionWithCustomer(db, 'sess_bearer'))?.session.expiresAt).toBe(expiresAt);

		await deleteExpiredSessions(db, '2030-06-01T00:00:00.000Z');
		expect(await findSessionWithCustomer(db, 'sess_bearer')).toBeUndefined();
		expect(await findSessionWithCustomer(db, 'sess_member')).toBeDefined();
	});
});

describe('discount repository', () => {
	const rules = {
		code: 'mug10',
		description: null,
		type: 'percentage' as const,
		value: 10,
		currencyCode: null,
		minSubtotal: null,
		maxDiscountAmount: null,
		startsAt: null,
		endsAt: null,
		usageLimit: 5,
		perCustomerLimit: null,
		isDisabled: false,
		productIds: [] as string[],
		categoryIds: [] as string[],
	};

	it('stores codes upper-case and maps no restriction to null lists and flags to booleans', async () => {
		const id = await insertDiscount(db, rules, 2, at);
		expect(await findDiscountByCode(db, 'Mug10')).toEqual({
			id,
			code: 'MUG10',
			description: null,
			type: 'percentage',
			value: 10,
			currencyCode: null,
			minSubtotal: null,
			maxDiscountAmount: null,
			startsAt: null,
			endsAt: null,
			usageLimit: 5,
			usageCount: 2,
			perCustomerLimit: null,
			isDisabled: false,
			productIds: null,
			categoryIds: null,
			createdAt: at,
			updatedAt: at,
		});
	});

	it('maps a restriction to its lists (an empty list when only the other kind is named) and keeps usage on edit', async () => {
		const found = await findDiscountByCode(db, 'MUG10');
		expect(found).toBeDefined();
		const edited = await replaceDiscountRules(
			db,
			found!.id,
			{ ...rules, value: 15, isDisabled: true, productIds: [mugProduct] },
			'2026-12-03T00:00:00.000Z',
		);
		expect(edited).toBe(true);
		expect(await findDiscountByCode(db, 'MUG10')).toMatchObject({
			value: 15,
			isDisabled: true,
			usageCount: 2,
			productIds: [mugProduct],
			categoryIds: [],
		});
		expect(await replaceDiscountRules(db, 'disc_missing', rules, at)).toBe(false);
		const listed = await listDiscountsWithUsage(db);
		expect(listed.find((d) => d.code === 'MUG10')).toMatchObject({ usedBy: 0 });
	});

	it('reports a duplicate code as a unique violation that services can recognise', async () => {
		const error = await insertDiscount(db, rules, 0, at).catch((e: unknown) => e);
		expect(isUniqueViolation(error)).toBe(true);
		expect(isUniqueViolation(new Error('something else'))).toBe(false);
	});
});

describe('cart repository', () => {
	it('prices a variant in one currency and computes the stock available now', async () => {
		expect(await findPurchasableVariant(db, mugVariant, 'usd')).toEqual({
			id: mugVariant,
			title: expect.any(String),
			productTitle: 'Test Mug',
			unitPrice: 1200,
			available: 7,
		});
		expect((await findPurchasableVariant(db, mugVariant, 'eur'))?.unitPrice).toBeNull();
		expect(await findPurchasableVariant(db, 'variant_missing', 'usd')).toBeUndefined();
	});

	it('knows owners, unpriced lines, and deletes a cart with its own addresses', async () => {
		const addressId = await saveAddress(db, null, { country_code: 'us' }, at);
		const cart = {
			id: 'cart_repo_test',
			email: null,
			customer_id: null,
			region_id: 'reg_us',
			currency_code: 'usd',
			shipping_address_id: addressId,
			billing_address_id: null,
			client_ip: null,
			user_agent: null,
			metadata: null,
			completed_at: null,
			created_at: at,
			updated_at: at,
		};
		await insertCart(db, cart, at);
		const line = await insertLine(db, cart.id, mugVariant, 2, null, at);
		expect(await findCartOwner(db, cart.id)).toEqual({ customerId: null });
		expect(await findCartOwner(db, 'cart_missing')).toBeUndefined();
		expect(await listUnpricedLineIds(db, cart.id, 'usd')).toEqual([]);
		expect(await listUnpricedLineIds(db, cart.id, 'eur')).toEqual([line]);

		await deleteCart(db, cart);
		expect(await findCartOwner(db, cart.id)).toBeUndefined();
		expect(await db.selectFrom('address').select('id').where('id', '=', addressId).executeTakeFirst()).toBeUndefined();
		expect(await db.selectFrom('line_item').select('id').where('id', '=', line).executeTakeFirst()).toBeUndefined();
	});
});

describe('idempotency repository', () => {
	it('lets exactly one claim of a (key, scope) win and reports the stored answer', async () => {
		const claim = { key: 'k1', scope: 'POST /carts', requestHash: 'h1', at, expiresAt: '2030-01-01T00:00:00.000Z' };
		expect(await claimKey(db, claim)).toBe(true);
		expect(await claimKey(db, { ...claim, requestHash: 'h2' })).toBe(false);
		expect(await claimKey(db, { ...claim, scope: 'POST /carts/other' })).toBe(true);
		expect(await findKey(db, 'k1', 'POST /carts')).toEqual({ requestHash: 'h1', response: null });
		await storeResponse(db, 'k1', 'POST /carts', 201, '{"ok":true}');
		expect(await findKey(db, 'k1', 'POST /carts')).toEqual({
			requestHash: 'h1',
			response: { status: 201, body: '{"ok":true}' },
		});
	});
});

describe('contact repository', () => {
	it('maps messages to camelCase and toggles read', async () => {
		await insertContactMessage(db, {
			id: 'msg_1',
			name: 'Pat',
			email: 'pat@example.com',
			subject: 'Sizes',
			message: 'Do the hoodies run large?',
			customerId: null,
			createdAt: at,
		});
		expect(await findContactMessage(db, 'msg_1')).toEqual({
			id: 'msg_1',
			name: 'Pat',
			email: 'pat@example.com',
			subject: 'Sizes',
			message: 'Do the hoodies run large?',
			customerId: null,
			readAt: null,
			createdAt: at,
		});
		expect(await setMessageReadAt(db, 'msg_1', at)).toBe(true);
		expect(await setMessageReadAt(db, 'msg_missing', at)).toBe(false);
		expect(await listContactMessages(db, { unreadOnly: true, limit: 10, offset: 0 })).toEqual({
			messages: [],
			count: 0,
		});
		expect((await listContactMessages(db, { unreadOnly: false, limit: 10, offset: 0 })).messages[0].readAt).toBe(at);
	});
});

describe('product repository search (the SQL reference of ?q=)', () => {
	it('matches the subtitle, collection title and tags as well as the title, literally and ignoring case', async () => {
		const search = await createTestDatabase('repos-search');
		try {
			const file = (handle: string, head: string) =>
				parseProductFile(
					`content/products/${handle}.md`,
					`---\ntitle: ${handle}\ncategory: Gear\n${head}images:\n  - src: /images/x.svg\n    alt: X\nvariants:\n  - sku: ${handle.toUpperCase()}\n    prices: { usd: 5.00 }\n    stock: 1\n---\nPlain words.\n`,
				);
			await syncCatalog(search.db, [
				file('shell', 'subtitle: Windproof 100% nylon\n'),
				file('scarf', 'collection: Alpine Nights\n'),
				file('gloves', 'tags: [Mittens]\n'),
				file('socks', ''),
			]);
			const order = { field: 'rank', direction: 'asc', currency: 'usd' } as const;
			const page = { limit: 10, offset: 0 };
			const handles = async (q: string) => {
				const { ids, count } = await findProductPage(search.db, { q }, order, page);
				const rows = ids.length
					? await search.db.selectFrom('product').select(['id', 'handle']).where('id', 'in', ids).execute()
					: [];
				expect(count).toBe(ids.length);
				return ids.map((id) => rows.find((r) => r.id === id)?.handle);
			};
			expect(await handles('WINDPROOF')).toEqual(['shell']);
			expect(await handles('0% ny')).toEqual(['shell']);
			expect(await handles('alpine night')).toEqual(['scarf']);
			expect(await handles('mitten')).toEqual(['gloves']);
			expect(await handles('plain')).toHaveLength(4);
			expect(await handles('_')).toEqual([]);
		} finally {
			await search.destroy();
		}
	});
});

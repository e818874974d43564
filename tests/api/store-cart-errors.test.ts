import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

// Every bad input gets a 4xx with Medusa's error body { type, message, code? } and leaves the cart as it was.

let server: TestServer;
let variantId: string;
let cartId: string;
let before: string;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
	const response = await fetch(`${server.url}/store${path}`, {
		method,
		headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : null };
}

/** The cart as JSON minus the timestamps a refused request must not change either. */
async function snapshot(): Promise<string> {
	const { json } = await call('GET', `/carts/${cartId}`);
	return JSON.stringify(json.cart);
}

beforeAll(async () => {
	server = await startServer();
	const { json } = await call('GET', '/products?handle=classic-hoodie');
	variantId = json.products[0].variants.find((v: { title: string }) => v.title === 'M').id;
});
afterAll(() => server?.stop());

beforeEach(async () => {
	const created = await call('POST', '/carts', {});
	cartId = created.json.cart.id;
	await call('POST', `/carts/${cartId}/line-items`, { variant_id: variantId, quantity: 1 });
	before = await snapshot();
});

function expectError(
	result: { status: number; json: { type: string; message: string; code?: string } },
	status: number,
	type: string,
	code?: string,
) {
	expect(result.status).toBe(status);
	expect(typeof result.json.message).toBe('string');
	expect(result.json.message.length).toBeGreaterThan(5);
	expect(result.json.type).toBe(type);
	if (code) expect(result.json.code).toBe(code);
	expect(Object.keys(result.json).every((k) => ['type', 'message', 'code'].includes(k))).toBe(true);
}

describe('bad input leaves the cart unchanged', () => {
	it.each([
		['a negative quantity', { variant_id: 'VARIANT', quantity: -1 }],
		['a zero quantity on add', { variant_id: 'VARIANT', quantity: 0 }],
		['a fractional quantity', { variant_id: 'VARIANT', quantity: 1.5 }],
		['a huge quantity', { variant_id: 'VARIANT', quantity: 1_000_000 }],
		['a quantity as text', { variant_id: 'VARIANT', quantity: 'two' }],
		['a missing variant_id', { quantity: 1 }],
		['a variant_id of the wrong type', { variant_id: 42, quantity: 1 }],
		['oversized metadata', { variant_id: 'VARIANT', quantity: 1, metadata: { note: 'x'.repeat(5000) } }],
	])('refuses %s with 400 invalid_data', async (_label, body) => {
		const payload = JSON.parse(JSON.stringify(body).replace('VARIANT', variantId));
		expectError(await call('POST', `/carts/${cartId}/line-items`, payload), 400, 'invalid_data');
		expect(await snapshot()).toBe(before);
	});

	it('refuses malformed JSON, a non-object body and an oversized body', async () => {
		expectError(
			await call('POST', `/carts/${cartId}/line-items`, '{"variant_id": '),
			400,
			'invalid_data',
			'invalid_json',
		);
		expectError(await call('POST', `/carts/${cartId}/line-items`, '[1,2]'), 400, 'invalid_data', 'invalid_json');
		const huge = await call(
			'POST',
			`/carts/${cartId}/line-items`,
			JSON.stringify({ variant_id: variantId, quantity: 1, pad: 'x'.repeat(70 * 1024) }),
		);
		expectError(huge, 413, 'invalid_data', 'payload_too_large');
		expect(await snapshot()).toBe(before);
	});

	it('answers unknown ids with 404 and the contract message', async () => {
		expectError(await call('GET', '/carts/cart_nope'), 404, 'not_found');
		expect((await call('GET', '/carts/cart_nope')).json.message).toBe('Cart with cart_nope was not found');
		expectError(
			await call('POST', `/carts/${cartId}/line-items`, { variant_id: 'variant_nope', quantity: 1 }),
			404,
			'not_found',
		);
		expectError(await call('POST', `/carts/${cartId}/line-items/item_nope`, { quantity: 2 }), 404, 'not_found');
		expectError(await call('DELETE', `/carts/${cartId}/line-items/item_nope`, {}), 404, 'not_found');
		expectError(await call('POST', `/carts/${cartId}/shipping-methods`, { option_id: 'so_nope' }), 400, 'invalid_data');
		expectError(await call('POST', '/carts', { region_id: 'reg_nope' }), 400, 'invalid_data');
		expect(await snapshot()).toBe(before);
	});

	it('tolerates odd characters in path segments', async () => {
		for (const path of [
			`/carts/${encodeURIComponent('cart_<script>')}`,
			'/carts/%20',
			`/carts/${cartId}/discounts/${encodeURIComponent('A/B?C')}`,
			'/carts/ca%2Frt',
		]) {
			const result = await call(
				path.includes('discounts') ? 'DELETE' : 'GET',
				path,
				path.includes('discounts') ? {} : undefined,
			);
			expect(result.status, path).toBeGreaterThanOrEqual(400);
			expect(result.status, path).toBeLessThan(500);
			expect(result.json.type, path).toBe('not_found');
		}
		const broken = await call('GET', `/carts/${cartId}%E0%A4%A`);
		expect(broken.status).toBe(400);
		expect(broken.json).toMatchObject({ type: 'invalid_data', code: 'invalid_path' });
		expect(await snapshot()).toBe(before);
	});

	it.each([
		['an unknown code', 'NOSUCHCODE', 404, 'not_found', undefined],
		['an expired code', 'WINTER2025', 400, 'not_allowed', 'discount_expired'],
		['a used-up code', 'LAUNCH50', 400, 'not_allowed', 'discount_used_up'],
		['a code under its minimum', 'WELCOME5', 400, 'not_allowed', 'discount_min_subtotal'],
	])('refuses %s', async (_label, code, status, type, errorCode) => {
		// One hoodie is $39.99: WELCOME5's minimum needs a cheap cart of its own, which must stay unchanged just the same.
		let target = cartId;
		let unchanged = before;
		if (code === 'WELCOME5') {
			target = (await call('POST', '/carts', {})).json.cart.id;
			const sticker = (await call('GET', '/products?handle=sticker-pack')).json.products[0].variants[0].id;
			const added = await call('POST', `/carts/${target}/line-items`, { variant_id: sticker, quantity: 1 });
			expect(added.status).toBe(200);
			unchanged = JSON.stringify((await call('GET', `/carts/${target}`)).json.cart);
		}
		expectError(await call('POST', `/carts/${target}`, { discounts: [{ code }] }), status, type, errorCode);
		expect(JSON.stringify((await call('GET', `/carts/${target}`)).json.cart)).toBe(unchanged);
		expect((await call('GET', `/carts/${target}`)).json.cart.discounts).toEqual([]);
		expect(await snapshot()).toBe(before);
	});

	it('refuses more than the stock with insufficient_inventory, on add and on update', async () => {
		const { json } = await call('GET', `/variants/${variantId}`);
		const stock = json.variant.inventory_quantity as number;
		expectError(
			await call('POST', `/carts/${cartId}/line-items`, { variant_id: variantId, quantity: stock }),
			400,
			'not_allowed',
			'insufficient_inventory',
		);
		const line = JSON.parse(before).items[0].id;
		expectError(
			await call('POST', `/carts/${cartId}/line-items/${line}`, { quantity: stock + 1 }),
			400,
			'not_allowed',
			'insufficient_inventory',
		);
		expect(await snapshot()).toBe(before);
	});
});

describe('the server is the only price and ownership authority', () => {
	it('ignores unit_price, customer_id, context and unknown keys in bodies', async () => {
		const created = await call('POST', '/carts', {
			customer_id: 'cus_victim',
			context: { ip: '1.2.3.4' },
			unit_price: 1,
			foo: 'bar',
		});
		expect(created.status).toBe(200);
		expect(created.json.cart.customer_id).toBeNull();
		const id = created.json.cart.id;
		const added = await call('POST', `/carts/${id}/line-items`, {
			variant_id: variantId,
			quantity: 1,
			unit_price: 1,
			price: 1,
			metadata: { unit_price: 1 },
		});
		expect(added.json.cart.items[0].unit_price).toBe(3999);
		const updated = await call('POST', `/carts/${id}`, {
			customer_id: 'cus_victim',
			email: 'shopper@example.com',
			total: 0,
		});
		expect(updated.json.cart).toMatchObject({ customer_id: null, email: 'shopper@example.com', subtotal: 3999 });
	});
});

describe('Idempotency-Key', () => {
	it('replays the stored response for the same key, route and cart', async () => {
		const headers = { 'Idempotency-Key': `key-${cartId}` };
		const first = await call('POST', `/carts/${cartId}/line-items`, { variant_id: variantId, quantity: 1 }, headers);
		expect(first.status).toBe(200);
		expect(first.headers.get('idempotent-replayed')).toBeNull();
		const retry = await call('POST', `/carts/${cartId}/line-items`, { variant_id: variantId, quantity: 1 }, headers);
		expect(retry.headers.get('idempotent-replayed')).toBe('true');
		expect(retry.text).toBe(first.text);
		// The retry did not add a second unit.
		expect(JSON.parse(await snapshot()).items[0].quantity).toBe(2);
	});

	it('refuses the same key with a different body with 422', async () => {
		const headers = { 'Idempotency-Key': `reuse-${cartId}` };
		await call('POST', `/carts/${cartId}/line-items`, { variant_id: variantId, quantity: 1 }, headers);
		const reused = await call('POST', `/carts/${cartId}/line-items`, { variant_id: variantId, quantity: 2 }, headers);
		expect(reused.status).toBe(422);
		expect(reused.json.code).toBe('idempotency_key_reused');
	});

	it('scopes keys to the cart: the same key on another cart runs normally', async () => {
		const other = (await call('POST', '/carts', {})).json.cart.id;
		const headers = { 'Idempotency-Key': 'shared-key' };
		await call('POST', `/carts/${cartId}/line-items`, { variant_id: variantId, quantity: 1 }, headers);
		const second = await call('POST', `/carts/${other}/line-items`, { variant_id: variantId, quantity: 1 }, headers);
		expect(second.headers.get('idempotent-replayed')).toBeNull();
		expect(second.json.cart.id).toBe(other);
	});
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStoreClient, StoreApiError } from '../../plugins/commerce/src/client/store-client.ts';

interface Call {
	url: string;
	method: string;
	headers: Record<string, string>;
	body: unknown;
}

/** Replaces fetch with one answering `status`/`body` and recording each call. */
function stubFetch(status: number, body: unknown): Call[] {
	const calls: Call[] = [];
	vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
		calls.push({
			url,
			method: init.method ?? 'GET',
			headers: init.headers as Record<string, string>,
			body: init.body === undefined ? undefined : JSON.parse(init.body as string),
		});
		return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
			status,
			headers: { 'content-type': 'application/json' },
		});
	});
	return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('createStoreClient', () => {
	it('sends Medusa paths, JSON bodies on POST and DELETE, and unwraps the cart', async () => {
		const calls = stubFetch(200, { cart: { id: 'cart_1' } });
		const client = createStoreClient('/shop/store/');
		await expect(client.addLineItem('cart_1', 'variant_1', 2)).resolves.toEqual({ id: 'cart_1' });
		await client.deleteLineItem('cart_1', 'item_1');
		await client.deleteDiscount('cart_1', 'A B');
		await client.getCart('cart_1');
		expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
			'POST /shop/store/carts/cart_1/line-items',
			'DELETE /shop/store/carts/cart_1/line-items/item_1',
			'DELETE /shop/store/carts/cart_1/discounts/A%20B',
			'GET /shop/store/carts/cart_1',
		]);
		expect(calls[0].body).toEqual({ variant_id: 'variant_1', quantity: 2 });
		expect(calls[0].headers['content-type']).toBe('application/json');
		// Medusa clients send `{}` on DELETE; GET has no body.
		expect(calls[1].body).toEqual({});
		expect(calls[3].body).toBeUndefined();
	});

	it('builds qs-compatible product queries and skips empty values', async () => {
		const calls = stubFetch(200, { products: [], count: 0, offset: 0, limit: 12 });
		await createStoreClient().listProducts({
			q: 'mug',
			category_id: ['pcat_1', 'pcat_2'],
			price_min: 1000,
			order: undefined,
			limit: 12,
			offset: 0,
		});
		const url = new URL(calls[0].url, 'http://x');
		expect(url.pathname).toBe('/store/products');
		expect(url.searchParams.get('q')).toBe('mug');
		expect(url.searchParams.getAll('category_id[]')).toEqual(['pcat_1', 'pcat_2']);
		expect(url.searchParams.get('price_min')).toBe('1000');
		expect(url.searchParams.has('order')).toBe(false);
		expect(url.searchParams.get('offset')).toBe('0');
	});

	it('finds a product by handle (list + first) and returns null when there is none', async () => {
		stubFetch(200, { products: [], count: 0, offset: 0, limit: 100 });
		await expect(createStoreClient().getProductByHandle('nope')).resolves.toBeNull();
	});

	it('throws StoreApiError with the API error body', async () => {
		stubFetch(400, { type: 'not_allowed', code: 'insufficient_inventory', message: 'Only 3 left.' });
		const error = await createStoreClient()
			.addLineItem('cart_1', 'variant_1', 9)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StoreApiError);
		expect(error).toMatchObject({
			status: 400,
			type: 'not_allowed',
			code: 'insufficient_inventory',
			message: 'Only 3 left.',
		});
	});

	it('maps non-JSON errors and network failures to StoreApiError', async () => {
		stubFetch(502, 'Bad gateway');
		await expect(createStoreClient().getCart('c')).rejects.toMatchObject({ status: 502, type: 'unknown_error' });
		vi.stubGlobal('fetch', async () => {
			throw new TypeError('Failed to fetch');
		});
		await expect(createStoreClient().getCart('c')).rejects.toMatchObject({ status: 0, type: 'network_error' });
	});
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type CartStoreModule = typeof import('../../plugins/commerce/src/client/cart-store.ts') &
	typeof import('../../plugins/commerce/src/client/cart-actions.ts');

interface FakeCart {
	id: string;
	items: {
		id: string;
		variant_id: string;
		quantity: number;
		title: string;
		unit_price: number;
		subtotal: number;
		discount_total: number;
		total: number;
	}[];
	discounts: { code: string }[];
	shipping_methods: { shipping_option_id: string; price: number }[];
	completed_at: string | null;
	region_id: string;
	subtotal: number;
	discount_total: number;
	shipping_total: number;
	tax_total: number;
	total: number;
}

/** A tiny in-memory Store API: enough cart behaviour to drive the store, with a request log. */
function fakeApi() {
	const carts = new Map<string, FakeCart>();
	const log: string[] = [];
	let next = 1;
	const json = (status: number, body: unknown) =>
		new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
	const totals = (cart: FakeCart) => {
		for (const item of cart.items) item.subtotal = item.total = item.unit_price * item.quantity;
		cart.subtotal = cart.total = cart.items.reduce((sum, item) => sum + item.subtotal, 0);
		return json(200, { cart });
	};
	const fetch = async (url: string, init: RequestInit = {}) => {
		const method = init.method ?? 'GET';
		const body = init.body ? JSON.parse(init.body as string) : undefined;
		log.push(`${method} ${url}`);
		const parts = url
			.replace(/^\/store\//, '')
			.split('/')
			.map(decodeURIComponent);
		if (parts[0] !== 'carts') return json(404, { type: 'not_found', message: 'no route' });
		if (parts.length === 1 && method === 'POST') {
			const cart: FakeCart = {
				id: `cart_${next++}`,
				items: [],
				discounts: [],
				shipping_methods: [],
				completed_at: null,
				region_id: 'reg_us',
				subtotal: 0,
				discount_total: 0,
				shipping_total: 0,
				tax_total: 0,
				total: 0,
			};
			carts.set(cart.id, cart);
			return totals(cart);
		}
		const cart = carts.get(parts[1]);
		if (!cart) return json(404, { type: 'not_found', message: `Cart with ${parts[1]} was not found` });
		if (parts.length === 2 && method === 'GET') return totals(cart);
		if (parts.length === 2 && method === 'POST') {
			if (body.discounts?.some((d: { code: string }) => d.code === 'BAD'))
				return json(404, { type: 'not_found', message: 'Discount with code BAD was not found' });
			if (body.discounts) cart.discounts = body.discounts;
			return totals(cart);
		}
		if (parts[2] === 'line-items' && parts.length === 3) {
			if (body.quantity > 5)
				return json(400, { type: 'not_allowed', code: 'insufficient_inventory', message: 'Only 5 left in stock.' });
			const existing = cart.items.find((item) => item.variant_id === body.variant_id);
			if (existing) existing.quantity += body.quantity;
			else
				cart.items.push({
					id: `item_${next++}`,
					variant_id: body.variant_id,
					quantity: body.quantity,
					title: 'Tee',
					unit_price: 1000,
					subtotal: 0,
					discount_total: 0,
					total: 0,
				});
			return totals(cart);
		}
		if (parts[2] === 'line-items') {
			if (method === 'DELETE' || body.quantity === 0) cart.items = cart.items.filter((item) => item.id !== parts[3]);
			else cart.items.find((item) => item.id === parts[3])!.quantity = body.quantity;
			return totals(cart);
		}
		return json(404, { type: 'not_found', message: 'no route' });
	};
	return { carts, log, fetch };
}

class MemoryStorage {
	private data = new Map<string, string>();
	getItem(key: string) {
		return this.data.get(key) ?? null;
	}
	setItem(key: string, value: string) {
		this.data.set(key, String(value));
	}
	removeItem(key: string) {
		this.data.delete(key);
	}
}

let api: ReturnType<typeof fakeApi>;
let storage: MemoryStorage;
let storageListeners: ((event: { key: string | null }) => void)[];

/** A fresh module instance per test: the store is page state (one instance per page load). */
async function loadStore(): Promise<CartStoreModule> {
	vi.resetModules();
	// The actions (quantities, codes, shipping) live apart from the store the product page loads; same page state.
	const store = await import('../../plugins/commerce/src/client/cart-store.ts');
	const actions = await import('../../plugins/commerce/src/client/cart-actions.ts');
	return { ...store, ...actions };
}

beforeEach(() => {
	api = fakeApi();
	storage = new MemoryStorage();
	storageListeners = [];
	vi.stubGlobal('fetch', api.fetch);
	vi.stubGlobal('localStorage', storage);
	vi.stubGlobal('window', globalThis);
	vi.stubGlobal('addEventListener', (type: string, listener: (event: { key: string | null }) => void) => {
		if (type === 'storage') storageListeners.push(listener);
	});
});
afterEach(() => vi.unstubAllGlobals());

describe('cart store', () => {
	it('creates the cart lazily on the first add and remembers its id', async () => {
		const store = await loadStore();
		await store.loadCart();
		expect(store.cartStore.get()).toMatchObject({ cart: null, loaded: true, busy: false });
		expect(api.log).toEqual([]);

		const result = await store.addItem('variant_1', 2);
		expect(result.ok).toBe(true);
		const id = storage.getItem(store.CART_ID_KEY);
		expect(id).toMatch(/^cart_/);
		expect(store.itemCount(store.cartStore.get().cart)).toBe(2);
		expect(api.log).toEqual(['POST /store/carts', `POST /store/carts/${id}/line-items`]);
	});

	it('retrieves the stored cart on load, and forgets unknown or completed carts', async () => {
		let store = await loadStore();
		await store.addItem('variant_1', 1);
		const id = storage.getItem(store.CART_ID_KEY)!;

		store = await loadStore();
		await store.loadCart();
		expect(store.cartStore.get().cart?.id).toBe(id);

		api.carts.get(id)!.completed_at = '2026-01-02T00:00:00Z';
		store = await loadStore();
		await store.loadCart();
		expect(store.cartStore.get().cart).toBeNull();
		expect(storage.getItem(store.CART_ID_KEY)).toBeNull();

		storage.setItem(store.CART_ID_KEY, 'cart_gone');
		store = await loadStore();
		await store.loadCart();
		expect(store.cartStore.get()).toMatchObject({ cart: null, loaded: true });
		expect(storage.getItem(store.CART_ID_KEY)).toBeNull();
	});

	it('returns API errors as values for inline display', async () => {
		const store = await loadStore();
		const tooMany = await store.addItem('variant_1', 9);
		expect(tooMany).toMatchObject({
			ok: false,
			error: { status: 400, code: 'insufficient_inventory', message: 'Only 5 left in stock.' },
		});
		await store.addItem('variant_1', 1);
		const bad = await store.applyCode('BAD');
		expect(bad).toMatchObject({ ok: false, error: { status: 404, message: 'Discount with code BAD was not found' } });
		// A failed change leaves the cart as it was.
		expect(store.itemCount(store.cartStore.get().cart)).toBe(1);
		expect(store.cartStore.get().busy).toBe(false);
	});

	it('runs changes one at a time, each on the cart the previous one returned', async () => {
		const store = await loadStore();
		const busy: boolean[] = [];
		store.cartStore.subscribe((state) => busy.push(state.busy));
		const results = await Promise.all([
			store.addItem('variant_1', 1),
			store.addItem('variant_1', 2),
			store.addItem('variant_2', 1),
		]);
		expect(results.every((r) => r.ok)).toBe(true);
		// One cart, not three: the second add waited for the first to create it.
		expect(api.carts.size).toBe(1);
		expect(store.itemCount(store.cartStore.get().cart)).toBe(4);
		expect(busy.at(-1)).toBe(false);

		const line = store.cartStore.get().cart!.items[0];
		await store.updateItem(line.id, 3);
		expect(store.cartStore.get().cart!.items[0].quantity).toBe(3);
		await store.removeItem(line.id);
		expect(store.cartStore.get().cart!.items).toHaveLength(1);
	});

	it('keeps a new code first and the applied ones after it (Medusa keeps the first non-free-shipping code)', async () => {
		const store = await loadStore();
		await store.addItem('variant_1', 1);
		await store.applyCode('FREESHIP');
		await store.applyCode('FROSTBURG10');
		const id = store.cartStore.get().cart!.id;
		expect(api.carts.get(id)!.discounts).toEqual([{ code: 'FROSTBURG10' }, { code: 'FREESHIP' }]);
	});

	it('refetches when another tab changes the cart', async () => {
		const store = await loadStore();
		await store.addItem('variant_1', 1);
		const id = store.cartStore.get().cart!.id;
		api.carts.get(id)!.items[0].quantity = 4; // the other tab's change, straight in the "server"
		for (const listener of storageListeners) listener({ key: 'commerce_cart_stamp' });
		await store.refresh();
		expect(store.itemCount(store.cartStore.get().cart)).toBe(4);
	});

	it('tells the caller there is no cart to change instead of creating one for a removal', async () => {
		const store = await loadStore();
		const result = await store.removeItem('item_1');
		expect(result).toMatchObject({ ok: false, error: { status: 404 } });
		expect(api.carts.size).toBe(0);
	});
});

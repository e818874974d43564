import type { TestServer } from './server.ts';

/** Raw Store API calls for checkout tests (medusa-js is used where compatibility is the point). */
export async function store(
	server: TestServer,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
) {
	const response = await fetch(`${server.url}/store${path}`, {
		method,
		headers: { 'content-type': 'application/json', ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Medusa shapes
	return { status: response.status, headers: response.headers, json: (text ? JSON.parse(text) : null) as any };
}

/** A card expiry that stays in the future whenever the tests run. */
export const EXP_YEAR = new Date().getFullYear() + 3;

export const ADDRESS = {
	first_name: 'Sam',
	last_name: 'Bobcat',
	address_1: '101 Braddock Rd',
	city: 'Frostburg',
	postal_code: '21532',
	country_code: 'us',
	phone: '301-555-0100',
};

/** A variant id by product handle and variant title (first variant when no title). */
export async function variantId(server: TestServer, handle: string, title?: string): Promise<string> {
	const { json } = await store(server, 'GET', `/products?handle=${handle}`);
	const variants = json.products[0].variants as { id: string; title: string }[];
	return (title ? variants.find((v) => v.title === title) : variants[0])!.id;
}

/**
 * A cart ready to complete: items, email, address, the first available shipping option, and a selected test payment
 * session (optionally with card data and a discount code).
 */
export async function readyCart(
	server: TestServer,
	opts: {
		items: { variantId: string; quantity: number }[];
		email?: string;
		code?: string;
		card?: string;
		headers?: Record<string, string>;
	},
): Promise<string> {
	// `headers`: e.g. a customer's session cookie, so the cart belongs to that customer.
	const h = opts.headers ?? {};
	const created = await store(
		server,
		'POST',
		'/carts',
		{ items: opts.items.map((i) => ({ variant_id: i.variantId, quantity: i.quantity })) },
		h,
	);
	if (created.status !== 200) throw new Error(`cart: ${JSON.stringify(created.json)}`);
	const id = created.json.cart.id as string;
	const update = await store(
		server,
		'POST',
		`/carts/${id}`,
		{
			email: opts.email ?? 'guest@example.com',
			shipping_address: ADDRESS,
			...(opts.code ? { discounts: [{ code: opts.code }] } : {}),
		},
		h,
	);
	if (update.status !== 200) throw new Error(`update: ${JSON.stringify(update.json)}`);
	const options = await store(server, 'GET', `/shipping-options/${id}`, undefined, h);
	await store(server, 'POST', `/carts/${id}/shipping-methods`, { option_id: options.json.shipping_options[0].id }, h);
	await store(server, 'POST', `/carts/${id}/payment-sessions`, {}, h);
	await store(server, 'POST', `/carts/${id}/payment-session`, { provider_id: 'test' }, h);
	if (opts.card) {
		const card = await store(
			server,
			'POST',
			`/carts/${id}/payment-sessions/test`,
			{ data: { card_number: opts.card, exp_month: 12, exp_year: EXP_YEAR, cvc: '123' } },
			h,
		);
		if (card.status !== 200) throw new Error(`card: ${JSON.stringify(card.json)}`);
	}
	return id;
}

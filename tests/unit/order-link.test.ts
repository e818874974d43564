import { describe, expect, it } from 'vitest';
import { parseOptions, resolveForSite } from '../../plugins/commerce/src/options.ts';
import { resetLink } from '../../plugins/commerce/src/services/customers/account-emails.ts';
import { orderPageUrl } from '../../plugins/commerce/src/services/orders/order-link.ts';

function resolved(input: unknown, base?: string) {
	const parsed = parseOptions(input);
	if (!parsed.ok) throw new Error(parsed.message);
	return resolveForSite(parsed.options, base).paths;
}

describe('orderPageUrl', () => {
	const base = { id: 'order_1', displayId: 1042, email: 'sam+x@example.com' };

	it('links a customer order to the account and a guest order to the prefilled lookup', () => {
		const paths = resolved({});
		expect(orderPageUrl({ ...base, customerId: 'cus_1' }, 'https://shop.example', paths)).toBe(
			'https://shop.example/account/orders/order_1/',
		);
		expect(orderPageUrl({ ...base, customerId: null }, 'https://shop.example', paths)).toBe(
			'https://shop.example/order/lookup/?order=1042&email=sam%2Bx%40example.com',
		);
	});

	it('follows moved pages and Astro base into every email link', () => {
		const paths = resolved({ pages: { account: '/konto', orderLookup: '/bestellung/suche' } }, '/shop');
		expect(orderPageUrl({ ...base, customerId: 'cus_1' }, 'https://shop.example', paths)).toBe(
			'https://shop.example/shop/konto/orders/order_1/',
		);
		expect(orderPageUrl({ ...base, customerId: null }, 'https://shop.example', paths)).toMatch(
			/^https:\/\/shop\.example\/shop\/bestellung\/suche\/\?order=1042/,
		);
		expect(resetLink('http://localhost:4321', paths, 'tok', 'a@b.c')).toBe(
			'http://localhost:4321/shop/konto/reset-password/?token=tok&email=a%40b.c',
		);
	});

	it('keeps the default path of a page the site turned off (its own page lives there)', () => {
		const paths = resolved({ pages: { account: false, cart: { path: '/basket', inject: false } } }, '/');
		expect(paths.orders).toBe('/account/orders/');
		expect(paths.cart).toBe('/basket/');
		expect(paths.store).toBe('/store');
	});
});

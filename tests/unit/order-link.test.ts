import { describe, expect, it } from 'vitest';
import { orderPageUrl } from '../../plugins/commerce/src/services/orders/order-link.ts';

describe('orderPageUrl', () => {
	it('links a customer order to the account and a guest order to the prefilled lookup', () => {
		const base = { id: 'order_1', displayId: 1042, email: 'sam+x@example.com' };
		expect(orderPageUrl({ ...base, customerId: 'cus_1' }, 'https://shop.example')).toBe(
			'https://shop.example/account/orders/order_1/',
		);
		expect(orderPageUrl({ ...base, customerId: null }, 'https://shop.example')).toBe(
			'https://shop.example/order/lookup/?order=1042&email=sam%2Bx%40example.com',
		);
	});
});

import Medusa from '@medusajs/medusa-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

// The browse-and-cart flow a Medusa storefront runs, driven by @medusajs/medusa-js itself against the built store.
// Expected totals are worked out by hand here (not with the pricing core) so the two can disagree.

// medusa-js resolves responses to `any` without @medusajs/medusa (a peer we do not install); name what we read.
interface Line {
	id: string;
	variant_id: string;
	quantity: number;
	unit_price: number;
	subtotal: number;
	discount_total: number;
	adjustments: { amount: number }[];
}
interface Cart {
	id: string;
	region_id: string;
	region: { currency_code: string };
	items: Line[];
	discounts: { code: string }[];
	shipping_methods: { shipping_option_id: string }[];
	subtotal: number;
	discount_total: number;
	tax_total: number;
	shipping_total: number;
	total: number;
}
interface Variant {
	id: string;
	title: string;
	calculated_price: number | null;
}
interface Region {
	id: string;
	currency_code: string;
	tax_rate: number;
	countries: { iso_2: string }[];
}
interface ShippingOption {
	id: string;
	amount: number;
}

const cartOf = async (call: Promise<unknown>) => ((await call) as { cart: Cart }).cart;
const optionsOf = async (call: Promise<unknown>) =>
	((await call) as { shipping_options: ShippingOption[] }).shipping_options;

let server: TestServer;
let medusa: Medusa;

beforeAll(async () => {
	server = await startServer();
	// maxRetries > 0 makes medusa-js send an Idempotency-Key on every POST, as real storefronts do.
	medusa = new Medusa({ baseUrl: server.url, maxRetries: 2 });
});
afterAll(() => server?.stop());

async function variantOf(handle: string, regionId: string, title?: string) {
	const { products } = (await medusa.products.list({ handle, region_id: regionId })) as unknown as {
		products: { variants: Variant[] }[];
	};
	expect(products).toHaveLength(1);
	const variant = title ? products[0].variants.find((v) => v.title === title) : products[0].variants[0];
	if (!variant) throw new Error(`no variant ${title ?? ''} of ${handle}`);
	return variant;
}

async function errorOf(
	call: Promise<unknown>,
): Promise<{ status: number; data: { type: string; message: string; code?: string } }> {
	try {
		await call;
	} catch (error) {
		const response = (
			error as { response?: { status: number; data: { type: string; message: string; code?: string } } }
		).response;
		if (response) return response;
		throw error;
	}
	throw new Error('expected the call to fail');
}

describe('medusa-js: regions, cart, line items, discounts, shipping', () => {
	it('runs a guest cart flow in the US region with correct totals', async () => {
		const { regions } = (await medusa.regions.list()) as unknown as { regions: Region[] };
		const us = regions.find((r) => r.countries.some((c) => c.iso_2 === 'us'));
		expect(us?.currency_code).toBe('usd');
		expect(us?.tax_rate).toBe(6);

		let cart = await cartOf(medusa.carts.create({ region_id: us!.id }));
		expect(cart.region_id).toBe(us!.id);
		expect(cart.items).toEqual([]);
		expect(cart.total).toBe(0);

		const hoodie = await variantOf('classic-hoodie', us!.id, 'M');
		expect(hoodie.calculated_price).toBe(3999);
		cart = await cartOf(medusa.carts.lineItems.create(cart.id, { variant_id: hoodie.id, quantity: 1 }));
		// The same variant again merges into one line.
		cart = await cartOf(medusa.carts.lineItems.create(cart.id, { variant_id: hoodie.id, quantity: 1 }));
		expect(cart.items).toHaveLength(1);
		expect(cart.items[0]).toMatchObject({
			quantity: 2,
			unit_price: 3999,
			subtotal: 7998,
			title: 'Frostburg Classic Hoodie',
			description: 'M',
		});
		// 6 % of 79.98 = 4.7988 → 4.80
		expect(cart).toMatchObject({ subtotal: 7998, discount_total: 0, tax_total: 480, shipping_total: 0, total: 8478 });

		const mug = await variantOf('snowflake-mug', us!.id);
		cart = await cartOf(medusa.carts.lineItems.create(cart.id, { variant_id: mug.id, quantity: 1 }));
		const mugLine = cart.items.find((i) => i.variant_id === mug.id)!;
		cart = await cartOf(medusa.carts.lineItems.update(cart.id, mugLine.id, { quantity: 3 }));
		expect(cart.items.find((i) => i.id === mugLine.id)?.quantity).toBe(3);
		// 7998 + 3 × 1499 = 12495; tax per line: 479.88 → 480, 269.82 → 270
		expect(cart).toMatchObject({ subtotal: 12495, tax_total: 750, total: 13245 });

		cart = await cartOf(medusa.carts.update(cart.id, { discounts: [{ code: 'frostburg10' }] }));
		expect(cart.discounts.map((d) => d.code)).toEqual(['FROSTBURG10']);
		// 10 % of 12495 = 1249.5 → 1250, split by line subtotal: 7998/12495 × 1250 = 800.1 → 800, mug 450
		expect(cart.discount_total).toBe(1250);
		const adjustments = cart.items.flatMap((i) => i.adjustments.map((a) => a.amount));
		expect(adjustments.reduce((a, b) => a + b, 0)).toBe(1250);
		expect(cart.items.find((i) => i.id === mugLine.id)?.adjustments[0].amount).toBe(450);
		// Tax after discount: (7998 − 800) × 6 % = 431.88 → 432; (4497 − 450) × 6 % = 242.82 → 243
		expect(cart).toMatchObject({ tax_total: 675, total: 12495 - 1250 + 675 });

		const shipping_options = await optionsOf(medusa.shippingOptions.listCartOptions(cart.id));
		// Goods after discount are 112.45 ≥ 35: free shipping and express, never the paid standard rate.
		expect(shipping_options.map((o) => o.id).sort()).toEqual(['so_us_express', 'so_us_free']);
		cart = await cartOf(medusa.carts.addShippingMethod(cart.id, { option_id: 'so_us_express' }));
		// Express 14.99 + 6 % = 0.8994 → 0.90
		expect(cart).toMatchObject({ shipping_total: 1499, tax_total: 675 + 90, total: 12495 - 1250 + 675 + 1499 + 90 });

		cart = await cartOf(medusa.carts.deleteDiscount(cart.id, 'FROSTBURG10'));
		expect(cart.discounts).toEqual([]);
		expect(cart.discount_total).toBe(0);

		cart = await cartOf(medusa.carts.lineItems.delete(cart.id, mugLine.id));
		expect(cart.items.map((i) => i.variant_id)).toEqual([hoodie.id]);
		const again = await cartOf(medusa.carts.retrieve(cart.id));
		expect(again.total).toBe(cart.total);
	});

	it('drops free shipping when the goods fall under the threshold, and offers the standard rate', async () => {
		const tee = await variantOf('bobcat-paw-tee', 'reg_us', 'M');
		let cart = await cartOf(
			medusa.carts.create({ region_id: 'reg_us', items: [{ variant_id: tee.id, quantity: 2 }] } as never),
		);
		expect(cart.subtotal).toBe(4998);
		cart = await cartOf(medusa.carts.addShippingMethod(cart.id, { option_id: 'so_us_free' }));
		expect(cart.shipping_methods[0].shipping_option_id).toBe('so_us_free');
		cart = await cartOf(medusa.carts.lineItems.update(cart.id, cart.items[0].id, { quantity: 1 }));
		// 24.99 < 35: the free option no longer applies, so the cart loses it instead of shipping for free.
		expect(cart.shipping_methods).toEqual([]);
		const shipping_options = await optionsOf(medusa.shippingOptions.listCartOptions(cart.id));
		expect(shipping_options.map((o) => o.id).sort()).toEqual(['so_us_express', 'so_us_standard']);
		expect(shipping_options.find((o) => o.id === 'so_us_standard')?.amount).toBe(599);
	});

	it('re-prices the cart in euros when the region changes', async () => {
		const mug = await variantOf('snowflake-mug', 'reg_eu');
		const eurPrice = mug.calculated_price!;
		let cart = await cartOf(medusa.carts.create({ region_id: 'reg_us' }));
		cart = await cartOf(medusa.carts.lineItems.create(cart.id, { variant_id: mug.id, quantity: 2 }));
		cart = await cartOf(medusa.carts.addShippingMethod(cart.id, { option_id: 'so_us_standard' }));
		expect(cart.items[0].unit_price).toBe(1499);
		cart = await cartOf(medusa.carts.update(cart.id, { region_id: 'reg_eu' }));
		expect(cart.region.currency_code).toBe('eur');
		expect(cart.items[0].unit_price).toBe(eurPrice);
		expect(cart.shipping_methods).toEqual([]);
		expect(cart.tax_total).toBe(Math.round((eurPrice * 2 * 20) / 100));
		const error = await errorOf(medusa.carts.update(cart.id, { shipping_address: { country_code: 'us' } } as never));
		expect(error.status).toBe(400);
		expect(error.data.message).toContain('not in region');
	});

	it('applies WELCOME5 only from $25 and APPAREL20 only to apparel with its cap', async () => {
		const mug = await variantOf('snowflake-mug', 'reg_us');
		let cart = await cartOf(medusa.carts.create({ region_id: 'reg_us' }));
		cart = await cartOf(medusa.carts.lineItems.create(cart.id, { variant_id: mug.id, quantity: 1 }));
		const under = await errorOf(medusa.carts.update(cart.id, { discounts: [{ code: 'WELCOME5' }] }));
		expect(under.status).toBe(400);
		expect(under.data).toMatchObject({ type: 'not_allowed', code: 'discount_min_subtotal' });
		cart = await cartOf(medusa.carts.lineItems.update(cart.id, cart.items[0].id, { quantity: 2 }));
		cart = await cartOf(medusa.carts.update(cart.id, { discounts: [{ code: 'WELCOME5' }] }));
		expect(cart.discount_total).toBe(500);
		// A code that takes nothing off (no apparel yet) is refused with its reason; the working code stays.
		const nothing = await errorOf(medusa.carts.update(cart.id, { discounts: [{ code: 'APPAREL20' }] }));
		expect(nothing.status).toBe(400);
		expect(nothing.data).toMatchObject({ type: 'not_allowed', code: 'discount_not_applicable' });
		expect(nothing.data.message).toBe(
			'The code APPAREL20 does not apply to any item in your cart, so it was not added. WELCOME5 is still applied.',
		);
		const kept = await cartOf(medusa.carts.retrieve(cart.id));
		expect(kept.discounts.map((d) => d.code)).toEqual(['WELCOME5']);
		expect(kept.discount_total).toBe(500);

		const jacket = await variantOf('stadium-jacket', 'reg_us');
		cart = await cartOf(medusa.carts.lineItems.create(cart.id, { variant_id: jacket.id, quantity: 2 }));
		cart = await cartOf(medusa.carts.update(cart.id, { discounts: [{ code: 'APPAREL20' }] }));
		// 20 % of the jackets (2 × 54.99 = 109.98 → 21.996) is capped at 15.00; the mugs get nothing.
		expect(cart.discounts.map((d) => d.code)).toEqual(['APPAREL20']);
		expect(cart.discount_total).toBe(1500);
		expect(cart.items.find((i) => i.variant_id === mug.id)?.discount_total).toBe(0);
	});
});

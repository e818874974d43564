import { describe, expect, it } from 'vitest';
import { couponState, endAfterDay, lastDay } from '../../plugins/commerce/src/admin/components/coupon-view.ts';
import {
	eventDetails,
	eventLabel,
	fulfillmentLabel,
	orderLabel,
	paymentLabel,
} from '../../plugins/commerce/src/admin/components/order-labels.ts';
import { formatAddressLines } from '../../plugins/commerce/src/core/address-format.ts';
import { lineName, variantText } from '../../plugins/commerce/src/core/line-name.ts';
import { formatMoney } from '../../plugins/commerce/src/core/money.ts';
import { productJsonLd } from '../../src/lib/structured-data.ts';

const street = { first_name: 'Ada', last_name: 'Byron', address_1: '101 Braddock Road' };

describe('formatAddressLines (per-country postal format)', () => {
	it('writes a US address as "City, ST ZIP"', () => {
		expect(
			formatAddressLines({ ...street, city: 'Frostburg', province: 'MD', postal_code: '21532', country_code: 'us' }),
		).toEqual(['Ada Byron', '101 Braddock Road', 'Frostburg, MD 21532', 'United States']);
	});

	it('puts the postal code before the city in continental Europe', () => {
		expect(formatAddressLines({ ...street, city: 'Berlin', postal_code: '10117', country_code: 'de' })).toEqual([
			'Ada Byron',
			'101 Braddock Road',
			'10117 Berlin',
			'Germany',
		]);
	});

	it('gives Irish city, county and Eircode lines of their own', () => {
		expect(
			formatAddressLines({
				...street,
				city: 'Dublin 2',
				province: 'Co. Dublin',
				postal_code: 'D02 X285',
				country_code: 'ie',
			}),
		).toEqual(['Ada Byron', '101 Braddock Road', 'Dublin 2', 'Co. Dublin', 'D02 X285', 'Ireland']);
	});

	it('leaves out what is missing and upper-cases an unknown country code', () => {
		expect(formatAddressLines({ city: 'Oslo', country_code: 'no' })).toEqual(['Oslo', 'NO']);
	});
});

describe('admin order labels', () => {
	const usd = (minor: number) => formatMoney(minor, 'usd');

	it('never shows raw Medusa states', () => {
		expect(paymentLabel('partially_refunded')).toBe('Partially refunded');
		expect(paymentLabel('requires_action')).toBe('Awaiting customer confirmation');
		expect(fulfillmentLabel('not_fulfilled')).toBe('Not packed');
		expect(orderLabel('requires_action', 'not_fulfilled')).toBe('Awaiting payment confirmation');
	});

	it('lets the order status follow shipping and delivery', () => {
		expect(orderLabel('pending', 'not_fulfilled')).toBe('Open');
		expect(orderLabel('pending', 'shipped')).toBe('Shipped');
		expect(orderLabel('completed', 'shipped')).toBe('Delivered');
		expect(orderLabel('canceled', 'canceled')).toBe('Canceled');
	});

	it('writes timeline amounts as money and keys as words', () => {
		expect(eventLabel('payment_refunded')).toBe('Refund issued');
		expect(eventDetails({ amount: 500, refundable: 1299 }, usd)).toBe('Amount: $5.00, Still refundable: $12.99');
		expect(eventDetails({ reason: null, voided: true, refunded: 0 }, usd)).toBe('Payment voided: yes, Refunded: $0.00');
		expect(eventDetails({ carrier: 'UPS', trackingNumber: '1Z9' }, usd)).toBe('Carrier: UPS, Tracking: 1Z9');
		expect(eventDetails({ paymentStatus: 'awaiting', someNewKey: 'x' }, usd)).toBe(
			'Payment: Authorized, Some new key: x',
		);
	});
});

describe('productJsonLd', () => {
	const site = new URL('https://shop.example/');
	const base = { handle: 'hoodie', title: 'Hoodie', description: 'Warm', category: 'Apparel', images: ['/h.svg'] };

	it('gives a single variant a Product with one offer and absolute URLs', () => {
		const data = productJsonLd(
			{ ...base, variants: [{ sku: 'H-1', options: {}, prices: { usd: 3999, eur: 3699 }, stock: 0 }] },
			site,
		);
		expect(data).toMatchObject({
			'@type': 'Product',
			sku: 'H-1',
			url: 'https://shop.example/products/hoodie/',
			image: ['https://shop.example/h.svg'],
			offers: { price: '39.99', priceCurrency: 'USD', availability: 'https://schema.org/OutOfStock' },
		});
	});

	it('gives several variants a ProductGroup with one offer each; a variant without a price has none', () => {
		const data = productJsonLd(
			{
				...base,
				variants: [
					{ sku: 'H-S', options: { Size: 'S', Fit: 'Slim' }, prices: { usd: 3999 }, stock: 2 },
					{ sku: 'H-M', options: { Size: 'M', Fit: 'Slim' }, prices: { eur: 3699 }, stock: 2 },
				],
			},
			site,
		) as { '@type': string; variesBy: string[]; hasVariant: Record<string, unknown>[] };
		expect(data['@type']).toBe('ProductGroup');
		expect(data.variesBy).toEqual(['https://schema.org/size']);
		expect(data.hasVariant[0]).toMatchObject({ sku: 'H-S', size: 'S', offers: { sku: 'H-S', price: '39.99' } });
		expect(data.hasVariant[0]).not.toHaveProperty('Fit');
		expect(data.hasVariant[1]?.offers).toBeUndefined();
	});
});

describe('coupon dates and state (one UTC rule: the last day the code works)', () => {
	it('shows the exclusive end as the last day, and turns a last day back into the end', () => {
		expect(lastDay('2025-03-01T00:00:00.000Z')).toBe('2025-02-28');
		expect(endAfterDay('2025-02-28')).toBe('2025-03-01T00:00:00.000Z');
		expect(lastDay(endAfterDay('2024-02-29'))).toBe('2024-02-29');
	});

	it('tells active, scheduled, expired, used up and disabled apart', () => {
		const now = new Date('2026-06-01T12:00:00Z');
		const base = { isDisabled: false, startsAt: null, endsAt: null, usageLimit: null, usageCount: 0 };
		expect(couponState(base, now)).toBe('active');
		expect(couponState({ ...base, startsAt: '2026-07-01T00:00:00.000Z' }, now)).toBe('scheduled');
		expect(couponState({ ...base, endsAt: '2026-06-01T00:00:00.000Z' }, now)).toBe('expired');
		expect(couponState({ ...base, usageLimit: 3, usageCount: 3 }, now)).toBe('used up');
		expect(couponState({ ...base, isDisabled: true, usageLimit: 3, usageCount: 3 }, now)).toBe('disabled');
	});
});

describe('line names', () => {
	it('does not say a single-variant product name twice', () => {
		expect(lineName('Snowflake Ceramic Mug', 'Snowflake Ceramic Mug')).toBe('Snowflake Ceramic Mug');
		expect(variantText('Snowflake Ceramic Mug', 'Snowflake Ceramic Mug')).toBe('');
		expect(lineName('Frostburg Classic Hoodie', 'M')).toBe('Frostburg Classic Hoodie (M)');
		expect(lineName('Sticker Pack', null)).toBe('Sticker Pack');
	});
});

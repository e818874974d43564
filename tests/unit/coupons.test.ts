import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { couponFromFlags } from '../../plugins/commerce/src/cli/coupon-flags.ts';
import { main } from '../../plugins/commerce/src/cli/main.ts';
import { type DiscountInput, discountInput } from '../../plugins/commerce/src/core/discount-input.ts';
import type { CommerceDb } from '../../plugins/commerce/src/db/client.ts';
import {
	consumeDiscountUsage,
	findDiscountByCode,
} from '../../plugins/commerce/src/db/repositories/discount-repository.ts';
import { createDiscount, seedDiscounts } from '../../plugins/commerce/src/services/discounts.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

/** Discount rules as every edge validates them before the service sees them. */
const rules = (input: DiscountInput) => discountInput.parse(input);

let testDb: TestDatabase;
let file: string;
let db: CommerceDb;

beforeEach(async () => {
	testDb = await createTestDatabase('coupons');
	file = testDb.target;
	db = testDb.db;
});
afterEach(async () => {
	await testDb.destroy();
	vi.restoreAllMocks();
});

describe('usage counter', () => {
	it('never lets concurrent consumers pass the usage limit', async () => {
		const id = await createDiscount(db, rules({ code: 'THREE', type: 'percentage', value: 10, usageLimit: 3 }));
		const results = await Promise.all(
			Array.from({ length: 20 }, () => consumeDiscountUsage(db, id, new Date().toISOString())),
		);
		expect(results.filter(Boolean)).toHaveLength(3);
		expect((await findDiscountByCode(db, 'three'))?.usageCount).toBe(3);
	});

	it('counts without limit when there is none', async () => {
		const id = await createDiscount(db, rules({ code: 'OPEN', type: 'free_shipping' }));
		for (let i = 0; i < 5; i++) expect(await consumeDiscountUsage(db, id, new Date().toISOString())).toBe(true);
		expect((await findDiscountByCode(db, 'OPEN'))?.usageCount).toBe(5);
	});

	it('refuses a seed whose usage count is already above its limit', async () => {
		expect(() => rules({ code: 'OVER', type: 'percentage', value: 5, usageLimit: 1, usageCount: 2 })).toThrow(
			/cannot exceed usageLimit/,
		);
	});
});

describe('seedDiscounts', () => {
	it('creates missing codes only and never overwrites an existing one', async () => {
		expect(await seedDiscounts(db, [rules({ code: 'FROSTBURG10', type: 'percentage', value: 10 })])).toEqual([
			'FROSTBURG10',
		]);
		expect(await seedDiscounts(db, [rules({ code: 'frostburg10', type: 'percentage', value: 50 })])).toEqual([]);
		expect((await findDiscountByCode(db, 'FROSTBURG10'))?.value).toBe(10);
	});
});

describe('commerce coupon:create', () => {
	it('converts decimal amounts exactly and stores the coupon', async () => {
		vi.spyOn(console, 'log').mockImplementation(() => {});
		const code = await main([
			'coupon:create',
			'--db',
			file,
			'--code',
			'campus5',
			'--type',
			'fixed',
			'--value',
			'5.10',
			'--currency',
			'usd',
			'--min-subtotal',
			'30',
			'--usage-limit',
			'100',
			'--per-customer-limit',
			'1',
		]);
		expect(code).toBe(0);
		expect(await findDiscountByCode(db, 'CAMPUS5')).toMatchObject({
			type: 'fixed',
			value: 510,
			currencyCode: 'usd',
			minSubtotal: 3000,
			usageLimit: 100,
			perCustomerLimit: 1,
		});
	});

	it('explains what is wrong and exits non-zero', async () => {
		const errors: string[] = [];
		vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
		expect(await main(['coupon:create', '--db', file, '--code', 'X5', '--type', 'percentage', '--value', '150'])).toBe(
			1,
		);
		expect(await main(['coupon:create', '--db', file, '--type', 'fixed'])).toBe(2);
		expect(
			await main([
				'coupon:create',
				'--db',
				file,
				'--code',
				'NOCAT',
				'--type',
				'percentage',
				'--value',
				'5',
				'--category-handles',
				'nope',
			]),
		).toBe(1);
		expect(errors.join('\n')).toContain('a percentage must be above 0 and at most 100');
		expect(errors.join('\n')).toContain('Give at least --code and --type');
		expect(errors.join('\n')).toContain('Unknown category handle(s): nope');
	});

	it('parses flags without touching the database', () => {
		expect(couponFromFlags({ code: 'A1B', type: 'fixed', value: '5.001', currency: 'usd' })).toEqual({
			ok: false,
			message: '--value: 5.001 has more decimals than USD allows (2)',
		});
		expect(couponFromFlags({ code: 'A1B', type: 'percentage', value: '10', 'min-subtotal': '25' })).toEqual({
			ok: false,
			message: '--min-subtotal needs --currency to know what 25 is.',
		});
		expect(couponFromFlags({ code: 'A1B', type: 'bogus' })).toMatchObject({ ok: false });
		expect(
			couponFromFlags({
				code: 'A1B',
				type: 'percentage',
				value: '12.5',
				'usage-limit': '3',
				'category-handles': 'apparel, drinkware',
			}),
		).toMatchObject({
			ok: true,
			value: { value: 12.5, usageLimit: 3, categoryHandles: ['apparel', 'drinkware'] },
		});
	});
});

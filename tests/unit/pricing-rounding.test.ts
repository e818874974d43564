import { describe, expect, it } from 'vitest';
import { prorateLargestRemainder, roundMinor } from '../../plugins/commerce/src/core/pricing/index.ts';

describe('roundMinor', () => {
	it.each([
		[0, 0],
		[1, 1],
		[1.4, 1],
		[1.5, 2],
		[2.5, 3], // half away from zero, not banker's rounding
		[2.4999, 2],
		[2.5001, 3],
		[-1.5, -2],
		[-2.5, -3],
		[-1.4, -1],
		[-0.4, 0],
		[0.5, 1],
		[-0.5, -1],
		[123456789.5, 123456790],
	])('%d → %d', (value, expected) => {
		expect(roundMinor(value)).toBe(expected);
	});

	it('treats float noise around x.5 as x.5', () => {
		expect(1.005 * 100).toBeLessThan(100.5); // 100.49999999999999 in binary floating point
		expect(roundMinor(1.005 * 100)).toBe(101);
		expect(roundMinor(-1.005 * 100)).toBe(-101);
		expect(roundMinor(1.4999999999)).toBe(2);
		expect(roundMinor(0.1 * 3 * 5)).toBe(2); // 1.5000000000000002
		expect(roundMinor((1999 * 8.875) / 100)).toBe(177); // 177.41125
		expect(roundMinor((1000 * 8.875) / 100)).toBe(89); // 88.75
	});

	it('does not round up values clearly below x.5', () => {
		expect(roundMinor(1.499998)).toBe(1);
		expect(roundMinor(1.4999)).toBe(1);
		expect(roundMinor(-1.499998)).toBe(-1);
	});

	it('never returns negative zero', () => {
		expect(Object.is(roundMinor(-0.2), 0)).toBe(true);
		expect(Object.is(roundMinor(-0), 0)).toBe(true);
	});

	it('throws for non-finite values', () => {
		expect(() => roundMinor(Number.NaN)).toThrow(RangeError);
		expect(() => roundMinor(Number.POSITIVE_INFINITY)).toThrow(RangeError);
	});
});

describe('prorateLargestRemainder', () => {
	const sum = (values: number[]): number => values.reduce((acc, value) => acc + value, 0);

	it('splits exactly when the division is exact', () => {
		expect(prorateLargestRemainder(100, [1, 1, 2])).toEqual([25, 25, 50]);
		expect(prorateLargestRemainder(0, [5, 7])).toEqual([0, 0]);
		expect(prorateLargestRemainder(42, [10])).toEqual([42]);
	});

	it('gives the leftover units to the largest remainders', () => {
		// exact shares 10 × 0.3, 0.3, 0.4 → 3, 3, 4
		expect(prorateLargestRemainder(10, [3, 3, 4])).toEqual([3, 3, 4]);
		// exact shares 1000 × 1/6, 2/6, 3/6 = 166.67, 333.33, 500 → the .67 gets the extra unit
		expect(prorateLargestRemainder(1000, [1, 2, 3])).toEqual([167, 333, 500]);
		// exact shares 5 × 0.15, 0.35, 0.5 = 0.75, 1.75, 2.5 → floors 0, 1, 2 and 2 units left: .75 and .75 win over .5
		expect(prorateLargestRemainder(5, [15, 35, 50])).toEqual([1, 2, 2]);
	});

	it('breaks remainder ties by lower index', () => {
		expect(prorateLargestRemainder(1, [1, 1, 1])).toEqual([1, 0, 0]);
		expect(prorateLargestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
		expect(prorateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
		// remainders 6/14, 1/14, 6/14, 1/14: indexes 0 and 2 tie, index 0 wins
		expect(prorateLargestRemainder(3, [2, 5, 2, 5])).toEqual([1, 1, 0, 1]);
	});

	it('splits evenly over all-zero weights', () => {
		expect(prorateLargestRemainder(10, [0, 0, 0])).toEqual([4, 3, 3]);
		expect(prorateLargestRemainder(0, [0, 0])).toEqual([0, 0]);
	});

	it('gives nothing to zero weights when others are positive', () => {
		expect(prorateLargestRemainder(7, [0, 3, 0, 4])).toEqual([0, 3, 0, 4]);
		expect(prorateLargestRemainder(5, [0, 1, 1])).toEqual([0, 3, 2]);
	});

	it('never gives a share above its weight when amount <= Σ weights', () => {
		const weights = [1, 2, 3, 4, 999, 1];
		for (let amount = 0; amount <= sum(weights); amount += 1) {
			const shares = prorateLargestRemainder(amount, weights);
			expect(sum(shares)).toBe(amount);
			for (const [index, share] of shares.entries()) expect(share).toBeLessThanOrEqual(weights[index] as number);
		}
	});

	it('stays exact when amount × weight passes 2^53', () => {
		const shares = prorateLargestRemainder(399_600_001, [49_950_000, 49_950_000, 299_700_001]);
		expect(sum(shares)).toBe(399_600_001);
		expect(shares).toEqual([49_950_000, 49_950_000, 299_700_001]);
		const uneven = prorateLargestRemainder(123_456_789, [99_999_999, 33_333_333, 7]);
		expect(sum(uneven)).toBe(123_456_789);
	});

	it('handles empty weights', () => {
		expect(prorateLargestRemainder(0, [])).toEqual([]);
		expect(() => prorateLargestRemainder(1, [])).toThrow(RangeError);
	});

	it('rejects negative or fractional inputs', () => {
		expect(() => prorateLargestRemainder(-1, [1])).toThrow(RangeError);
		expect(() => prorateLargestRemainder(1.5, [1])).toThrow(RangeError);
		expect(() => prorateLargestRemainder(1, [1, -1])).toThrow(/weight 1/);
		expect(() => prorateLargestRemainder(1, [0.5])).toThrow(RangeError);
	});
});

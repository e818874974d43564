import { describe, expect, it } from 'vitest';
import {
	INTEGER_RANGES,
	inRange,
	pageOffset,
	queryInt,
	safeInt,
} from '../../plugins/commerce/src/core/safe-integers.ts';

describe('safe integers', () => {
	it('keeps every range inside safe integers and a PostgreSQL bigint', () => {
		for (const [name, range] of Object.entries(INTEGER_RANGES)) {
			expect(Number.isSafeInteger(range.min), name).toBe(true);
			expect(Number.isSafeInteger(range.max), name).toBe(true);
			expect(range.min).toBeLessThan(range.max);
		}
	});

	it('refuses 1e308, 2^53, fractions and strings in JSON', () => {
		const delta = safeInt(INTEGER_RANGES.stockDelta, 'delta');
		for (const value of [1e308, -1e308, 2 ** 53, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '5'])
			expect(delta.safeParse(value).success, String(value)).toBe(false);
		expect(delta.parse(-3)).toBe(-3);
		expect(safeInt(INTEGER_RANGES.minorUnits).safeParse(INTEGER_RANGES.minorUnits.max + 1).success).toBe(false);
	});

	it('reads query integers and page offsets only inside their range', () => {
		const offset = queryInt(INTEGER_RANGES.offset, 'offset');
		expect(offset.safeParse('99999999999999999999999').success).toBe(false);
		expect(offset.parse('40')).toBe(40);
		expect(pageOffset(null)).toBe(0);
		expect(pageOffset('')).toBe(0);
		expect(pageOffset('25')).toBe(25);
		for (const bad of ['99999999999999999999999', '1e3', '-1', '2.5', 'x']) expect(pageOffset(bad), bad).toBeNull();
		expect(inRange(2 ** 53, { min: 0, max: Number.MAX_SAFE_INTEGER })).toBe(false);
	});
});

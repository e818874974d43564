import { describe, expect, it } from 'vitest';
import { currencyDecimals, formatMoney, toDecimalString, toMinorUnits } from '../../plugins/commerce/src/core/money.ts';

describe('toMinorUnits', () => {
	it.each([
		[14.99, 'usd', 1499],
		[0.29, 'usd', 29], // 0.29 * 100 is 28.999999999999996 in floating point
		[1.005, 'kwd', 1005],
		[19.9, 'usd', 1990],
		[10, 'usd', 1000],
		['39.99', 'eur', 3999],
		['5.50', 'usd', 550],
		['12.500', 'usd', 1250],
		[500, 'jpy', 500],
		[0, 'usd', 0],
		[123456.78, 'usd', 12345678],
	])('%s %s → %i', (value, currency, expected) => {
		expect(toMinorUnits(value, currency)).toEqual({ ok: true, amount: expected });
	});

	it.each([
		[14.999, 'usd', 'more decimals than USD allows (2)'],
		[5.5, 'jpy', 'more decimals than JPY allows (0)'],
		[-1, 'usd', 'not a price'],
		['abc', 'usd', 'not a price'],
		['1e3', 'usd', 'not a price'],
		[Number.NaN, 'usd', 'not a price'],
		[1e300, 'usd', 'not a price'],
		['90071992547409.93', 'usd', 'too large'],
	])('refuses %s %s', (value, currency, reason) => {
		const result = toMinorUnits(value, currency);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toContain(reason);
	});
});

describe('currencyDecimals and formatMoney', () => {
	it('knows zero- and three-decimal currencies', () => {
		expect(currencyDecimals('USD')).toBe(2);
		expect(currencyDecimals('jpy')).toBe(0);
		expect(currencyDecimals('kwd')).toBe(3);
	});

	it('formats minor units for people', () => {
		expect(formatMoney(3999, 'usd')).toBe('$39.99');
		expect(formatMoney(500, 'jpy')).toBe('¥500');
		expect(formatMoney(3699, 'eur', 'de-DE')).toBe('36,99\u00a0€');
	});
});

describe('toDecimalString (CSV money)', () => {
	it.each([
		[3999, 'usd', '39.99'],
		[5, 'usd', '0.05'],
		[0, 'eur', '0.00'],
		[-1250, 'usd', '-12.50'],
		[500, 'jpy', '500'],
	])('%i %s → %s', (amount, currency, expected) => {
		expect(toDecimalString(amount, currency)).toBe(expected);
	});
});

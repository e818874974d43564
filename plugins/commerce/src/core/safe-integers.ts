import { z } from 'zod';
import { MAX_LINE_QUANTITY } from './cart-limits.ts';
import { MAX_STOCK_LEVEL } from './inventory/stock.ts';

/**
 * Every integer the APIs and admin forms accept, with its explicit range. `z.number().int()` alone lets `1e308` or
 * `2^53` through (both are "integers" to JavaScript), which SQLite then stores as REAL and PostgreSQL refuses: so no
 * schema accepts an integer without one of these ranges. All bounds stay far below `Number.MAX_SAFE_INTEGER` and inside
 * a PostgreSQL `bigint`; counts and stock stay inside `integer` (2^31 − 1). Pure, so islands and options may import it.
 */
export const INTEGER_RANGES = {
	/** Units of one variant on one cart or order line (the database CHECK says the same). */
	quantity: { min: 1, max: MAX_LINE_QUANTITY },
	/** A variant's stocked units, a low-stock threshold. */
	stockLevel: { min: 0, max: MAX_STOCK_LEVEL },
	/** An admin stock adjustment: added (positive) or removed (negative) units. */
	stockDelta: { min: -MAX_STOCK_LEVEL, max: MAX_STOCK_LEVEL },
	/** An amount of money in minor units (cents): up to 1,000,000,000.00 of any currency. */
	minorUnits: { min: 0, max: 100_000_000_000 },
	/** How often something may be used or was used (coupon usage limits). */
	usageCount: { min: 0, max: 1_000_000_000 },
	/** `offset` of any list: far beyond every real list, far below what SQLite stores as an integer. */
	offset: { min: 0, max: 1_000_000 },
	/** An order's display number. */
	displayId: { min: 1, max: 2_147_483_647 },
	/** Epoch milliseconds (analytics timestamps): up to the year 2286. */
	epochMs: { min: 0, max: 9_999_999_999_999 },
} as const;

export type IntegerRange = { readonly min: number; readonly max: number };

/** True when `value` is a whole number inside `range`. */
export const inRange = (value: number, range: IntegerRange): boolean =>
	Number.isSafeInteger(value) && value >= range.min && value <= range.max;

/** A JSON integer inside `range`; the messages name the field (`label`) and the bounds. */
export function safeInt(range: IntegerRange, label = 'value'): z.ZodNumber {
	return z
		.number({ invalid_type_error: `${label} must be a number` })
		.int(`${label} must be a whole number`)
		.min(range.min, `${label} must be at least ${range.min}`)
		.max(range.max, `${label} must be at most ${range.max}`);
}

/** An integer sent as a query-string value (`?offset=20`), inside `range` (and never above `max` when given). */
export function queryInt(range: IntegerRange, label = 'value', max = range.max): z.ZodNumber {
	return z.coerce
		.number({ invalid_type_error: `${label} must be a number` })
		.int(`${label} must be a whole number`)
		.min(range.min, `${label} must be at least ${range.min}`)
		.max(Math.min(max, range.max), `${label} must be at most ${Math.min(max, range.max)}`);
}

/**
 * A page's `?offset=` for the admin pages (which read the query by hand): 0 when absent or empty, the number when it
 * is a whole number in range, `null` otherwise (the page answers 400 instead of sending SQLite a 1e23).
 */
export function pageOffset(text: string | null): number | null {
	if (text === null || text.trim() === '') return 0;
	if (!/^\d+$/.test(text.trim())) return null;
	const value = Number(text.trim());
	return inRange(value, INTEGER_RANGES.offset) ? value : null;
}

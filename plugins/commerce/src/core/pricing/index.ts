/** Pure pricing core: rounding, discounts, shipping rules and cart totals. No I/O. */

export * from './rounding.ts';
export type * from './types.ts';
export * from './discounts.ts';
export * from './shipping.ts';
export * from './totals.ts';

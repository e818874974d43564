/** Pure pricing core: rounding, discounts, shipping rules and cart totals. No I/O. */

export * from './discounts.ts';
export * from './gift-cards.ts';
export * from './rounding.ts';
export * from './shipping.ts';
export * from './totals.ts';
export type * from './types.ts';

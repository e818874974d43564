import { formatMoney } from '../money.ts';

/** Money in shopper-facing messages: the one formatter of core/money.ts, so JPY or KWD come out right too. */
export const formatAmount = (amount: number, currency: string): string => formatMoney(amount, currency);

/** Calendar day of an instant in UTC, `2026-01-31`. */
export function formatDay(date: Date): string {
	return date.toISOString().slice(0, 10);
}

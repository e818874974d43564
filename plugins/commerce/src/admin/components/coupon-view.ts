import type { Discount } from '../../db/repositories/discount-repository.ts';

/**
 * How the admin shows a coupon's dates and state (issue 13). One time-zone rule for coupons: dates are UTC days,
 * `ends_at` is stored as the exclusive instant the code stops working, and every screen (admin list and form, the
 * shopper's "its last day was …" message) shows the **last day the code works**. A merchant who types 2025-02-28 as the
 * last day gets `ends_at` = 2025-03-01T00:00Z.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The last day a code with this exclusive end works, as `YYYY-MM-DD` (UTC). */
export const lastDay = (endsAt: string): string => new Date(Date.parse(endsAt) - 1).toISOString().slice(0, 10);

/** The exclusive end instant of a code whose last day is `day` (`YYYY-MM-DD`, UTC). */
export const endAfterDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS).toISOString();

export type CouponState = 'active' | 'scheduled' | 'expired' | 'used up' | 'disabled';

/** The coupon's true state now: disabled, not started yet, past its last day, fully redeemed, or active. */
export function couponState(
	d: Pick<Discount, 'isDisabled' | 'startsAt' | 'endsAt' | 'usageLimit' | 'usageCount'>,
	now = new Date(),
): CouponState {
	if (d.isDisabled) return 'disabled';
	if (d.endsAt && Date.parse(d.endsAt) <= now.getTime()) return 'expired';
	if (d.usageLimit !== null && d.usageCount >= d.usageLimit) return 'used up';
	if (d.startsAt && Date.parse(d.startsAt) > now.getTime()) return 'scheduled';
	return 'active';
}

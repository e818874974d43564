/** Shipping option rules of the pricing core. */

/**
 * Whether a shipping option with subtotal bounds is offered for goods worth `goodsTotal`
 * (subtotal − discountTotal, what the shopper pays for goods, before tax). Both bounds are inclusive;
 * null or missing means unbounded. "Free shipping over $35" is an option with `minSubtotal: 3500`.
 */
export function shippingOptionAvailable(
	option: { minSubtotal?: number | null; maxSubtotal?: number | null },
	goodsTotal: number,
): boolean {
	if (option.minSubtotal != null && goodsTotal < option.minSubtotal) return false;
	if (option.maxSubtotal != null && goodsTotal > option.maxSubtotal) return false;
	return true;
}

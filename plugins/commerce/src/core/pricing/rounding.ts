/**
 * The single rounding policy of the pricing core, and the proration that keeps split amounts summing exactly.
 * Every fractional minor-unit amount (percent discounts, tax) goes through `roundMinor`, so a total is never
 * rounded one way in one place and another way elsewhere.
 */

/** Float products such as 1.005 * 100 = 100.49999999999999 are snapped to 6 decimals before rounding. */
const NOISE_SCALE = 1e6;

/**
 * Rounds a minor-unit amount to an integer, half away from zero (2.5 → 3, -2.5 → -3).
 * Float noise is removed first: a value within 1e-6 of x.5 counts as x.5, anything further is left alone.
 * @throws RangeError when `value` is not finite.
 */
export function roundMinor(value: number): number {
	if (!Number.isFinite(value)) throw new RangeError(`roundMinor: ${String(value)} is not a finite number`);
	const abs = Math.abs(value);
	const scaled = abs * NOISE_SCALE;
	// Beyond 2^53 the scaling itself would add noise; such values are far past any real price anyway.
	const cleaned = scaled < Number.MAX_SAFE_INTEGER ? Math.round(scaled) / NOISE_SCALE : abs;
	const rounded = Math.floor(cleaned + 0.5);
	// `|| 0` turns -0 into 0 so results compare and serialise cleanly.
	return (value < 0 ? -rounded : rounded) || 0;
}

function isNonNegativeInteger(value: number): boolean {
	return Number.isSafeInteger(value) && value >= 0;
}

/**
 * Splits a non-negative integer `amount` over `weights` proportionally (largest remainder method).
 * The shares are integers summing exactly to `amount`; the units left after flooring go to the largest
 * fractional remainders, ties to the lower index. All-zero weights split evenly as if every weight were 1.
 * A share exceeds its weight only when `amount` > Σ weights, so callers cap `amount` first.
 * @throws RangeError for a negative or fractional amount or weight, or for amount > 0 with no weights.
 */
export function prorateLargestRemainder(amount: number, weights: number[]): number[] {
	if (!isNonNegativeInteger(amount)) {
		throw new RangeError(`prorateLargestRemainder: amount must be a non-negative integer, got ${String(amount)}`);
	}
	weights.forEach((weight, index) => {
		if (!isNonNegativeInteger(weight)) {
			throw new RangeError(
				`prorateLargestRemainder: weight ${index} must be a non-negative integer, got ${String(weight)}`,
			);
		}
	});
	if (weights.length === 0) {
		if (amount > 0) throw new RangeError(`prorateLargestRemainder: cannot split ${amount} over no weights`);
		return [];
	}
	const sum = weights.reduce((total, weight) => total + weight, 0);
	const effective = sum === 0 ? weights.map(() => 1) : weights;
	// BigInt keeps amount * weight exact: cart subtotals times line subtotals can pass 2^53.
	const total = BigInt(sum === 0 ? weights.length : sum);
	const big = BigInt(amount);
	const shares: number[] = [];
	const remainders: bigint[] = [];
	for (const weight of effective) {
		const product = big * BigInt(weight);
		shares.push(Number(product / total));
		remainders.push(product % total);
	}
	let left = amount - shares.reduce((acc, share) => acc + share, 0);
	const order = effective
		.map((_, index) => index)
		.sort((a, b) => {
			const ra = remainders[a] as bigint;
			const rb = remainders[b] as bigint;
			if (ra !== rb) return ra > rb ? -1 : 1;
			return a - b;
		});
	// `left` is always smaller than the number of weights, so one pass is enough.
	for (const index of order) {
		if (left === 0) break;
		shares[index] = (shares[index] as number) + 1;
		left -= 1;
	}
	return shares;
}

/**
 * Money is an integer amount of a currency's minor unit (cents for USD) everywhere: content, DB, API, domain.
 * This module is the only place that knows how many decimals a currency has and how decimals become integers.
 */

/** ISO 4217 currencies whose minor unit is not 1/100. Everything else has two decimals. */
const DECIMALS_EXCEPTIONS: Record<string, number> = {
	bif: 0,
	clp: 0,
	djf: 0,
	gnf: 0,
	isk: 0,
	jpy: 0,
	kmf: 0,
	krw: 0,
	pyg: 0,
	rwf: 0,
	ugx: 0,
	vnd: 0,
	vuv: 0,
	xaf: 0,
	xof: 0,
	xpf: 0,
	bhd: 3,
	iqd: 3,
	jod: 3,
	kwd: 3,
	lyd: 3,
	omr: 3,
	tnd: 3,
};

/** Number of decimals of a currency's minor unit (`usd` → 2, `jpy` → 0, `kwd` → 3). */
export function currencyDecimals(currencyCode: string): number {
	return DECIMALS_EXCEPTIONS[currencyCode.toLowerCase()] ?? 2;
}

export type MinorUnitsResult = { ok: true; amount: number } | { ok: false; reason: string };

/**
 * Converts a price as a merchant writes it (`14.99` or `'14.99'`) to integer minor units (`1499`) without
 * floating-point arithmetic: the decimal text is split into its digits, so `0.29` never becomes `28`.
 * More decimals than the currency has is an error rather than a silent rounding.
 */
export function toMinorUnits(value: number | string, currencyCode: string): MinorUnitsResult {
	const decimals = currencyDecimals(currencyCode);
	const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
	const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
	if (!match) {
		return { ok: false, reason: `"${String(value)}" is not a price: write a non-negative decimal such as 14.99` };
	}
	const [, whole, fraction = ''] = match;
	const significantFraction = fraction.replace(/0+$/, '');
	if (significantFraction.length > decimals) {
		return {
			ok: false,
			reason: `${text} has more decimals than ${currencyCode.toUpperCase()} allows (${decimals})`,
		};
	}
	const amount = Number(whole) * 10 ** decimals + Number(significantFraction.padEnd(decimals, '0') || '0');
	if (!Number.isSafeInteger(amount)) return { ok: false, reason: `${text} is too large` };
	return { ok: true, amount };
}

function numberToPlainString(value: number): string {
	if (!Number.isFinite(value) || value < 0) return String(value);
	// toString() switches to exponent notation for very small or large numbers; prices never need that.
	const text = value.toString();
	return text.includes('e') ? value.toFixed(20).replace(/\.?0+$/, '') : text;
}

// Building an Intl.NumberFormat costs far more than formatting with one (it was ~4 % of a checkout's CPU: the
// confirmation email formats every line), so each (locale, currency) is built once.
const formats = new Map<string, Intl.NumberFormat>();

/** Formats minor units for people: `formatMoney(3999, 'usd')` → `"$39.99"`. */
export function formatMoney(amount: number, currencyCode: string, locale = 'en-US'): string {
	const decimals = currencyDecimals(currencyCode);
	const key = `${locale} ${currencyCode}`;
	let format = formats.get(key);
	if (!format) {
		// Few currencies × locales in practice; the bound keeps odd input from growing the map.
		if (formats.size > 64) formats.clear();
		format = new Intl.NumberFormat(locale, {
			style: 'currency',
			currency: currencyCode.toUpperCase(),
			minimumFractionDigits: decimals,
			maximumFractionDigits: decimals,
		});
		formats.set(key, format);
	}
	return format.format(amount / 10 ** decimals);
}

/**
 * Minor units as a plain decimal string in the currency's own precision (3999 usd → "39.99", 500 jpy → "500"): what
 * spreadsheets and accounting tools read in a CSV column next to the currency code.
 */
export function toDecimalString(amount: number, currencyCode: string): string {
	const decimals = currencyDecimals(currencyCode);
	const sign = amount < 0 ? '-' : '';
	const digits = String(Math.abs(Math.round(amount))).padStart(decimals + 1, '0');
	return decimals === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

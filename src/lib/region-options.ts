import { regions } from './regions.mjs';

const symbol = (currency: string) =>
	new Intl.NumberFormat('en-US', {
		style: 'currency',
		currency: currency.toUpperCase(),
		currencyDisplay: 'narrowSymbol',
	})
		.formatToParts(0)
		.find((part) => part.type === 'currency')?.value ?? '';

/**
 * The region switcher's options, computed once per build: building an `Intl.NumberFormat` per region on every page
 * was ~4 % of prerendering a 1,000-product site (system_design.md §5).
 */
export const regionOptions: readonly { value: string; currency: string; label: string }[] = regions.map((region) => ({
	value: `reg_${region.handle}`,
	currency: region.currency,
	label: `${region.name} (${region.currency.toUpperCase()} ${symbol(region.currency)})`,
}));

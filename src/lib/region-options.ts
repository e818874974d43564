import { regions } from './regions.mjs';

/** The currency's narrow symbol ("$", "€") as Intl writes it for en-US. */
function currencySymbol(currency: string): string {
	return (
		new Intl.NumberFormat('en-US', {
			style: 'currency',
			currency: currency.toUpperCase(),
			currencyDisplay: 'narrowSymbol',
		})
			.formatToParts(0)
			.find((part) => part.type === 'currency')?.value ?? ''
	);
}

/**
 * The region switcher's options ("United States (USD $)"), worked out once per build: the switcher is on every page,
 * and a number format per region per page cost 2 s of a 10,000-product build.
 */
export const regionOptions = regions.map((region) => ({
	value: `reg_${region.handle}`,
	currency: region.currency,
	label: `${region.name} (${region.currency.toUpperCase()} ${currencySymbol(region.currency)})`,
}));

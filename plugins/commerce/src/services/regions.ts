import type { RegionOptions, ResolvedOptions, ShippingOptionOptions } from '../options.ts';

/** Region ids derive from their handles so they stay stable across restarts and deploys. */
export const regionId = (region: Pick<RegionOptions, 'handle'>) => `reg_${region.handle}`;
export const shippingOptionId = (
	region: Pick<RegionOptions, 'handle'>,
	option: Pick<ShippingOptionOptions, 'handle'>,
) => `so_${region.handle}_${option.handle}`;

export function findRegion(options: ResolvedOptions, id: string): RegionOptions | undefined {
	return options.regions.find((r) => regionId(r) === id);
}

/** The region for a shopper who has not chosen one: the first configured. */
export function defaultRegion(options: ResolvedOptions): RegionOptions {
	return options.regions[0];
}

export function regionForCurrency(options: ResolvedOptions, currency: string): RegionOptions | undefined {
	return options.regions.find((r) => r.currency === currency.toLowerCase());
}

export function regionForCountry(options: ResolvedOptions, country: string): RegionOptions | undefined {
	return options.regions.find((r) => r.countries.includes(country.toLowerCase()));
}

import type { RegionOptions } from '../../options.ts';
import { regionId } from '../../services/regions.ts';
import type { Presentation } from './presentation.ts';

const EPOCH = '2026-01-01T00:00:00.000Z';

const COUNTRY_NAMES: Record<string, [string, string, number]> = {
	us: ['United States', 'usa', 840],
	ca: ['Canada', 'can', 124],
	gb: ['United Kingdom', 'gbr', 826],
	de: ['Germany', 'deu', 276],
	fr: ['France', 'fra', 250],
	nl: ['Netherlands', 'nld', 528],
	ie: ['Ireland', 'irl', 372],
	it: ['Italy', 'ita', 380],
	es: ['Spain', 'esp', 724],
	at: ['Austria', 'aut', 40],
	be: ['Belgium', 'bel', 56],
	pt: ['Portugal', 'prt', 620],
	fi: ['Finland', 'fin', 246],
	se: ['Sweden', 'swe', 752],
	dk: ['Denmark', 'dnk', 208],
	pl: ['Poland', 'pol', 616],
	lu: ['Luxembourg', 'lux', 442],
	gr: ['Greece', 'grc', 300],
};

const CURRENCIES: Record<string, { symbol: string; name: string }> = {
	usd: { symbol: '$', name: 'US Dollar' },
	eur: { symbol: '€', name: 'Euro' },
	gbp: { symbol: '£', name: 'British Pound' },
	cad: { symbol: 'CA$', name: 'Canadian Dollar' },
};

/** A country's id, unique across regions as Medusa's serial ids are: derived from its two letters (aa = 1000). */
const countryId = (iso2: string) => 1000 + (iso2.charCodeAt(0) - 97) * 26 + (iso2.charCodeAt(1) - 97);

/** The Medusa v1 `Region` object for a configured region (contract §2), listing the providers it really offers. */
export function toMedusaRegion(region: RegionOptions, p: Presentation) {
	const id = regionId(region);
	const currency = CURRENCIES[region.currency] ?? {
		symbol: region.currency.toUpperCase(),
		name: region.currency.toUpperCase(),
	};
	return {
		id,
		object: 'region',
		name: region.name,
		currency_code: region.currency,
		currency: { code: region.currency, symbol: currency.symbol, symbol_native: currency.symbol, name: currency.name },
		tax_rate: region.taxRate,
		tax_code: null,
		gift_cards_taxable: false,
		automatic_taxes: true,
		includes_tax: false,
		tax_provider_id: null,
		countries: region.countries.map((iso2) => {
			const [name, iso3, num] = COUNTRY_NAMES[iso2] ?? [iso2.toUpperCase(), iso2, 0];
			return {
				id: countryId(iso2),
				iso_2: iso2,
				iso_3: iso3,
				num_code: num,
				name: name.toUpperCase(),
				display_name: name,
				region_id: id,
			};
		}),
		payment_providers: p.providersOf(region).map((id) => ({ id, is_installed: true })),
		fulfillment_providers: [{ id: 'manual', is_installed: true }],
		metadata: null,
		created_at: EPOCH,
		updated_at: EPOCH,
		deleted_at: null,
	};
}

export type MedusaRegion = ReturnType<typeof toMedusaRegion>;

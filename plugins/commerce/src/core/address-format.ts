/**
 * Postal address lines per country, as the post office of that country writes them (issue 13): the US puts the
 * state and ZIP after the city ("Frostburg, MD 21532"), most of continental Europe the postal code before the city
 * ("10115 Berlin"), Ireland and the UK the city and the postcode on lines of their own. One function for the
 * storefront, the admin and the emails, so an address reads the same everywhere.
 */

export interface FormattableAddress {
	first_name?: string | null;
	last_name?: string | null;
	company?: string | null;
	address_1?: string | null;
	address_2?: string | null;
	city?: string | null;
	province?: string | null;
	postal_code?: string | null;
	country_code?: string | null;
}

type CityLines = (city: string, province: string, postal: string) => string[];

const join = (separator: string, ...parts: string[]) => parts.filter(Boolean).join(separator);

/** "City, ST 12345" (US, Canada, Australia write state and code after the city). */
const cityStatePostal: CityLines = (city, province, postal) => [join(', ', city, join(' ', province, postal))];
/** "12345 City" (continental Europe), the region on its own line when given. */
const postalCity: CityLines = (city, province, postal) => [join(' ', postal, city), province];
/** City, then county and postcode on lines of their own (Ireland, the UK). */
const cityThenPostal: CityLines = (city, province, postal) => [city, province, postal];

const FORMATS: Record<string, CityLines> = {
	us: cityStatePostal,
	ca: cityStatePostal,
	au: cityStatePostal,
	ie: cityThenPostal,
	gb: cityThenPostal,
};

/** English country names of the codes the demo ships to; other codes show upper-case. */
const COUNTRY_NAMES: Record<string, string> = {
	us: 'United States',
	de: 'Germany',
	fr: 'France',
	nl: 'Netherlands',
	ie: 'Ireland',
	it: 'Italy',
	es: 'Spain',
	at: 'Austria',
	be: 'Belgium',
	gb: 'United Kingdom',
	ca: 'Canada',
	au: 'Australia',
};

/** The address as display lines: name, company, street lines, the city line(s) of its country, the country. */
export function formatAddressLines(address: FormattableAddress): string[] {
	const value = (text: string | null | undefined) => (text ?? '').trim();
	const country = value(address.country_code).toLowerCase();
	const cityLines = (FORMATS[country] ?? postalCity)(
		value(address.city),
		value(address.province),
		value(address.postal_code),
	);
	return [
		join(' ', value(address.first_name), value(address.last_name)),
		value(address.company),
		value(address.address_1),
		value(address.address_2),
		...cityLines,
		country ? (COUNTRY_NAMES[country] ?? country.toUpperCase()) : '',
	].filter(Boolean);
}

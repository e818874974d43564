/**
 * The variant part of a line's name, or '' when it adds nothing: a single-variant product's variant is titled like the
 * product, and "Snowflake Ceramic Mug · Snowflake Ceramic Mug" says the name twice (issue 13). One rule for the cart,
 * checkout, emails and the admin.
 */
export function variantText(title: string, variantTitle: string | null | undefined): string {
	const variant = (variantTitle ?? '').trim();
	return variant && variant.toLowerCase() !== title.trim().toLowerCase() ? variant : '';
}

/** "Hoodie (M)", or just "Mug" when the variant adds nothing. */
export function lineName(title: string, variantTitle: string | null | undefined): string {
	const variant = variantText(title, variantTitle);
	return variant ? `${title} (${variant})` : title;
}

// The demo's regions: read by astro.config.mjs (the `regions` option of commerce()) and by the header's region
// switcher, so the switcher always offers exactly the regions the Store API knows. Amounts are minor units (cents).

/** @type {NonNullable<import('@frostbuy/commerce').CommerceOptions['regions']>} */
export const regions = [
	{
		handle: 'us',
		name: 'United States',
		currency: 'usd',
		taxRate: 6, // Maryland sales tax
		taxName: 'Sales tax',
		countries: ['us'],
		shippingOptions: [
			{ handle: 'standard', name: 'Standard (3-5 business days)', amount: 599, maxSubtotal: 3499 },
			{ handle: 'free', name: 'Free standard shipping on orders over $35', amount: 0, minSubtotal: 3500 },
			{ handle: 'express', name: 'Express (1-2 business days)', amount: 1499 },
		],
	},
	{
		handle: 'eu',
		name: 'European Union',
		currency: 'eur',
		taxRate: 20,
		taxName: 'VAT',
		countries: ['de', 'fr', 'nl', 'ie', 'it', 'es', 'at', 'be'],
		shippingOptions: [
			{ handle: 'standard', name: 'Standard (5-8 business days)', amount: 999, maxSubtotal: 5999 },
			{ handle: 'free', name: 'Free shipping on orders over €60', amount: 0, minSubtotal: 6000 },
			{ handle: 'express', name: 'Express (2-3 business days)', amount: 2499 },
		],
	},
];

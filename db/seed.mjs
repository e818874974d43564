// Demo data created on first start (`seed` option of commerce()). Amounts are minor units (cents).
// Existing codes are never overwritten: once created, coupons belong to the database.

/** @type {import('@frostbuy/commerce').CommerceOptions['seed']} */
export const seed = {
	discounts: [
		{ code: 'FROSTBURG10', type: 'percentage', value: 10, description: '10 % off everything' },
		{
			code: 'WELCOME5',
			type: 'fixed',
			value: 500,
			currency: 'usd',
			minSubtotal: 2500,
			perCustomerLimit: 1,
			description: '$5 off orders of $25 or more, once per customer',
		},
		{ code: 'FREESHIP', type: 'free_shipping', value: 0, description: 'Free standard or express shipping' },
		{
			code: 'APPAREL20',
			type: 'percentage',
			value: 20,
			currency: 'usd',
			maxDiscountAmount: 1500,
			categoryHandles: ['apparel'],
			description: '20 % off apparel, at most $15',
		},
		// For tests and demos of the error paths:
		{
			code: 'WINTER2025',
			type: 'percentage',
			value: 25,
			endsAt: '2025-03-01T00:00:00Z',
			description: 'An expired campaign',
		},
		{
			code: 'LAUNCH50',
			type: 'percentage',
			value: 50,
			usageLimit: 3,
			usageCount: 3,
			description: 'A used-up launch code',
		},
	],
};

import { z } from 'zod';
import { INTEGER_RANGES } from '../../core/safe-integers.ts';

// Request bodies of the cart routes. Unknown keys are stripped, never trusted: `customer_id`, `unit_price`,
// `context` and friends are accepted (clients send them) and ignored (contract §5).

const text = (max: number) => z.string().trim().max(max);
const quantity = (min: number) =>
	z
		.number({ invalid_type_error: 'quantity must be a number' })
		.int('quantity must be an integer number')
		.min(min, `quantity must be at least ${min}`)
		.max(INTEGER_RANGES.quantity.max, `quantity must be at most ${INTEGER_RANGES.quantity.max}`);

/**
 * What a gift-card line may say about its recipient (the card's email goes there instead of to the purchaser). Checked
 * on every line so a typo fails when the shopper adds it, not silently at delivery.
 */
const giftRecipient = z.object({
	recipient_email: z.string().trim().email('recipient_email must be an email address').max(254).optional(),
	recipient_name: z.string().trim().max(100, 'recipient_name must be at most 100 characters').optional(),
	message: z.string().trim().max(500, 'message must be at most 500 characters').optional(),
});

/** Line-item metadata is stored verbatim, so it is size-limited and never used for pricing. */
const metadata = z
	.record(z.unknown())
	.refine((value) => JSON.stringify(value).length <= 2048, 'metadata must be at most 2 KB of JSON')
	.superRefine((value, ctx) => {
		const checked = giftRecipient.safeParse(value);
		if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ ...issue, path: issue.path });
	})
	.optional();

const countryCode = z
	.string()
	.regex(/^[A-Za-z]{2}$/, 'country_code must be a two-letter ISO code such as us')
	.transform((c) => c.toLowerCase());

export const addressInput = z.object({
	company: text(200).nullish(),
	first_name: text(100).nullish(),
	last_name: text(100).nullish(),
	address_1: text(200).nullish(),
	address_2: text(200).nullish(),
	city: text(100).nullish(),
	country_code: countryCode.nullish(),
	province: text(100).nullish(),
	postal_code: text(20).nullish(),
	phone: text(40).nullish(),
});

export const createCartBody = z.object({
	region_id: z.string().max(100).optional(),
	country_code: countryCode.optional(),
	items: z
		.array(z.object({ variant_id: z.string().min(1).max(100), quantity: quantity(1) }))
		.max(100)
		.optional(),
});

export const updateCartBody = z.object({
	email: z.string().trim().toLowerCase().email('email must be an email address').max(254).optional(),
	region_id: z.string().max(100).optional(),
	country_code: countryCode.optional(),
	shipping_address: addressInput.optional(),
	billing_address: addressInput.optional(),
	discounts: z
		.array(z.object({ code: z.string().trim().min(1).max(64) }))
		.max(10)
		.optional(),
	/** Replaces the cart's gift cards (Medusa semantics); `[]` removes them all. */
	gift_cards: z
		.array(z.object({ code: z.string().trim().min(1).max(64) }))
		.max(10)
		.optional(),
});

export const addLineItemBody = z.object({
	variant_id: z.string({ required_error: 'variant_id is required' }).min(1).max(100),
	quantity: quantity(1),
	metadata,
});

export const updateLineItemBody = z.object({ quantity: quantity(0), metadata });

export const addShippingMethodBody = z.object({
	option_id: z.string({ required_error: 'option_id is required' }).min(1).max(100),
});

/** `GET /shipping-options?region_id=`: every region's options, or one region's. */
export const shippingOptionsQuery = z.object({ region_id: z.string().max(100).optional() });

/** Drops nullish address fields the client did not mean to clear (undefined) but keeps explicit nulls. */
export function addressFields(input: z.output<typeof addressInput> | undefined) {
	if (!input) return undefined;
	return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Record<string, string | null>;
}

import { z } from 'zod';

// Request bodies of the customer's order, claim and wishlist routes (our extensions). Unknown keys are stripped.

/** `POST /customers/me/orders/:id/cancel`: `{}` or `{ reason }`. */
export const cancelOrderBody = z.object({
	reason: z
		.string({ invalid_type_error: 'reason must be a string' })
		.trim()
		.max(500, 'reason must be at most 500 characters')
		.optional(),
});

/** `POST /customers/me/orders/claim/confirm`: the token from the emailed link. */
export const confirmClaimBody = z.object({
	token: z
		.string({ required_error: 'token is required', invalid_type_error: 'token must be a string' })
		.trim()
		.min(1, 'token is required')
		.max(200, 'token is not valid'),
});

/** `POST /customers/me/wishlist`. */
export const wishlistBody = z.object({
	variant_id: z
		.string({ required_error: 'variant_id is required', invalid_type_error: 'variant_id must be a string' })
		.trim()
		.min(1, 'variant_id is required')
		.max(100, 'variant_id is not valid'),
});

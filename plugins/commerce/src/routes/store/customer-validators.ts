import { z } from 'zod';
import { INTEGER_RANGES, queryInt } from '../../core/safe-integers.ts';
import { stringList } from '../../http/request.ts';
import { addressInput } from './cart-validators.ts';

// Bodies of the auth and customer routes (contract §3.7, §3.8). Unknown keys are stripped (e.g. `metadata`).
// Password policy (length) is checked by the auth module so every path (register, change, reset) applies one rule.

const email = z
	.string({ required_error: 'email is required' })
	.trim()
	.toLowerCase()
	.email('email must be an email address')
	.max(254);
const name = (field: string) =>
	z
		.string({ required_error: `${field} is required` })
		.trim()
		.min(1, `${field} is required`)
		.max(100);
// Long enough for any policy, short enough that a single request cannot make the hash expensive.
const password = z
	.string({ required_error: 'password is required' })
	.max(1024, 'password must be at most 1024 characters');
const cartId = z.string().max(100).optional();

/**
 * Login and token bodies. The email is not format-checked: every failure, malformed email included, gets the one
 * generic answer.
 */
export const credentialsBody = z.object({
	email: z.string({ required_error: 'email is required' }).trim().toLowerCase().max(254),
	password,
	/** Our extension: the browser's guest cart, merged into the customer's cart on login. */
	cart_id: cartId,
});

export const registerBody = z.object({
	email,
	password,
	first_name: name('first_name'),
	last_name: name('last_name'),
	phone: z.string().trim().max(40).nullish(),
	cart_id: cartId,
});

const requiredAddressField = (field: string, max: number) =>
	z
		.string({ required_error: `address.${field} is required` })
		.trim()
		.min(1, `address.${field} is required`)
		.max(max);

/** Medusa's `AddressCreatePayload`: these six are required. */
export const addressCreateBody = z.object({
	address: addressInput.extend({
		first_name: requiredAddressField('first_name', 100),
		last_name: requiredAddressField('last_name', 100),
		address_1: requiredAddressField('address_1', 200),
		city: requiredAddressField('city', 100),
		postal_code: requiredAddressField('postal_code', 20),
		country_code: z
			.string({ required_error: 'address.country_code is required' })
			.regex(/^[A-Za-z]{2}$/, 'country_code must be a two-letter ISO code such as us')
			.transform((c) => c.toLowerCase()),
	}),
});

/** Medusa's `AddressPayload` for updates: every field optional, sent flat; `{ address: {…} }` is accepted too. */
export const addressUpdateBody = z.preprocess(
	(body) =>
		body && typeof body === 'object' && 'address' in body && body.address && typeof body.address === 'object'
			? body.address
			: body,
	addressInput,
);

export const updateCustomerBody = z.object({
	first_name: name('first_name').optional(),
	last_name: name('last_name').optional(),
	phone: z.string().trim().max(40).nullish(),
	email: email.optional(),
	password: password.optional(),
	/** Our requirement on top of the contract: the current password, to change `email` or `password`. */
	old_password: z.string().max(1024).optional(),
	billing_address: z.union([addressInput, z.string().min(1).max(100)]).optional(),
});

export const passwordTokenBody = z.object({ email });

export const passwordResetBody = z.object({
	email,
	token: z.string({ required_error: 'token is required' }).min(1).max(200),
	password,
});

/** `customers.listOrders(q)`: paging and status filters; other Medusa filters are accepted and ignored. */
export const listOrdersQuery = z.object({
	limit: queryInt({ min: 1, max: 100 }, 'limit').default(10),
	offset: queryInt(INTEGER_RANGES.offset, 'offset').default(0),
	status: stringList.optional(),
	payment_status: stringList.optional(),
	fulfillment_status: stringList.optional(),
});

/** `DELETE /customers/me`: the current password confirms the erasure. */
export const deleteAccountBody = z.object({
	password: z.string().min(1, 'Enter your current password to delete your account.').max(1000),
});

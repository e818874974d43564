import { z } from 'zod';

// The contact form (`POST /contact`, our extension). Unknown keys are stripped; `website` is the honeypot, checked
// before the fields so a bot never learns which of its fields were wrong.

const oneLine = (field: string, max: number) =>
	z
		.string({ required_error: `${field} is required`, invalid_type_error: `${field} must be a string` })
		.trim()
		.min(1, `${field} is required`)
		.max(max, `${field} must be at most ${max} characters`)
		.refine((value) => !/[\r\n]/.test(value), `${field} must be a single line`);

export const contactBody = z.object({
	name: oneLine('name', 100),
	email: z
		.string({ required_error: 'email is required', invalid_type_error: 'email must be a string' })
		.trim()
		.toLowerCase()
		.max(254, 'email must be at most 254 characters')
		.email('email must be an email address'),
	subject: oneLine('subject', 150),
	message: z
		.string({ required_error: 'message is required', invalid_type_error: 'message must be a string' })
		.trim()
		.min(10, 'message must be at least 10 characters')
		.max(5000, 'message must be at most 5000 characters'),
});

/** True when the hidden `website` field was filled in: only bots see it. */
export const isHoneypotFilled = (body: Record<string, unknown>) => {
	const value = body.website;
	if (value === undefined || value === null) return false;
	return typeof value === 'string' ? value.trim() !== '' : true;
};

/**
 * The body `POST /contact` declares: a filled honeypot comes out as `{ spam: true }` whatever else was sent (the route
 * answers as if it worked); otherwise the fields are validated and a refusal names them.
 */
export const contactRequest = z.record(z.unknown()).transform((raw, ctx) => {
	if (isHoneypotFilled(raw)) return { spam: true as const };
	const result = contactBody.safeParse(raw);
	if (result.success) return { spam: false as const, input: result.data };
	for (const issue of result.error.issues) ctx.addIssue(issue);
	return z.NEVER;
});

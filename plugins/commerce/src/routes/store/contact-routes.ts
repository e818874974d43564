import { optionalCustomer } from '../../auth/index.ts';
import { rateLimited } from '../../core/errors.ts';
import { defineRoute, type Route } from '../../http/router.ts';
import { saveContactMessage } from '../../services/contact-messages.ts';
import { createRateLimiter } from '../../services/rate-limit.ts';
import { contactRequest } from './contact-validators.ts';

// 5 messages per 10 minutes per client address: a person rarely sends two; a script is stopped early. Every attempt
// counts, including invalid ones and the honeypot's.
const contactLimiter = createRateLimiter({ name: 'contact', limit: 5, windowMs: 10 * 60 * 1000 });

/** The contact form (our extension): stored for the admin area, with a honeypot field and a rate limit. */
export const contactRoutes: Route[] = [
	defineRoute({
		method: 'POST',
		path: '/contact',
		idempotent: false,
		body: contactRequest,
		// The limit is the `before` step: it counts every attempt, including invalid ones and the honeypot's.
		before: async (ctx) => {
			const limited = await contactLimiter.hit(ctx.clientAddress ?? 'unknown');
			if (!limited.allowed) {
				throw rateLimited(
					`Too many messages from your connection. Try again in ${limited.retryAfterSeconds} seconds.`,
					limited.retryAfterSeconds,
				);
			}
		},
		handler: async (ctx) => {
			// A bot filled the field people never see: it gets the normal answer, and nothing is stored.
			if (ctx.body.spam) return { received: true };
			const auth = await optionalCustomer(ctx);
			await saveContactMessage(ctx.runtime.db, ctx.body.input, auth?.customer.id ?? null);
			return { received: true };
		},
	}),
];

import { optionalCustomer } from '../../auth/index.ts';
import { parseInput } from '../../http/request.ts';
import type { Route } from '../../http/router.ts';
import { tooManyRequests } from '../../http/store-error.ts';
import { saveContactMessage } from '../../services/contact-messages.ts';
import { createRateLimiter } from '../../services/rate-limit.ts';
import { contactBody, isHoneypotFilled } from './contact-validators.ts';

// 5 messages per 10 minutes per client address: a person rarely sends two; a script is stopped early. Every attempt
// counts, including invalid ones and the honeypot's.
const contactLimiter = createRateLimiter({ limit: 5, windowMs: 10 * 60 * 1000 });

/** The contact form (our extension): stored for the admin area, with a honeypot field and a rate limit. */
export const contactRoutes: Route[] = [
	{
		method: 'POST',
		path: '/contact',
		idempotent: false,
		handler: async (ctx) => {
			const limited = contactLimiter.hit(ctx.clientAddress ?? 'unknown');
			if (!limited.allowed) {
				throw tooManyRequests(
					`Too many messages from your connection. Try again in ${limited.retryAfterSeconds} seconds.`,
					limited.retryAfterSeconds,
				);
			}
			const raw = await ctx.body();
			// A bot filled the field people never see: it gets the normal answer, and nothing is stored.
			if (isHoneypotFilled(raw)) return { received: true };
			const input = parseInput(contactBody, raw);
			const auth = await optionalCustomer(ctx);
			await saveContactMessage(ctx.runtime.db, input, auth?.customer.id ?? null);
			return { received: true };
		},
	},
];

import { z } from 'zod';
import { rateLimited } from '../../core/errors.ts';
import { defineRoute, type Route } from '../../http/router.ts';
import { confirmStockAlert, requestStockAlert } from '../../services/inventory/stock-alerts.ts';
import { createRateLimiter } from '../../services/rate-limit.ts';
import { accountDeps } from './customer-responses.ts';
import { linkPage as page } from './link-page.ts';

// Back-in-stock alerts (our extension): "email me when it's back" for a sold-out variant, no account needed, confirmed
// by a link in an email (double opt-in). 10 requests per 10 minutes per client address: each one sends an email.
const alertLimiter = createRateLimiter({ name: 'stock-alert', limit: 10, windowMs: 10 * 60 * 1000 });

const alertBody = z.object({
	variant_id: z.string().min(1).max(100),
	email: z.string().trim().toLowerCase().max(254).email('email must be an email address'),
});

const confirmQuery = z.object({ token: z.string().min(10).max(200) }).strict();

export const stockAlertRoutes: Route[] = [
	defineRoute({
		method: 'POST',
		path: '/stock-alerts',
		idempotent: false,
		body: alertBody,
		before: async (ctx) => {
			const limited = await alertLimiter.hit(ctx.clientAddress ?? 'unknown');
			if (!limited.allowed)
				throw rateLimited(
					`Too many alert requests from your connection. Try again in ${limited.retryAfterSeconds} seconds.`,
					limited.retryAfterSeconds,
				);
		},
		handler: async (ctx) => {
			const { status } = await requestStockAlert(accountDeps(ctx), {
				variantId: ctx.body.variant_id,
				email: ctx.body.email,
				origin: ctx.url.origin,
			});
			return { stock_alert: { variant_id: ctx.body.variant_id, email: ctx.body.email, status } };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/stock-alerts/confirm',
		idempotent: false,
		query: confirmQuery,
		// Opened from the email in a browser: answers a small page, not JSON.
		handler: async (ctx) => {
			try {
				await confirmStockAlert(ctx.runtime.db, ctx.query.token);
				return page('Alert confirmed', 'We will email you once when it is back in stock.');
			} catch (error) {
				return page('Link not valid', (error as Error).message, 404);
			}
		},
	}),
];

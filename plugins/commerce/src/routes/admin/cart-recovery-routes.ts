import { recoveryRate } from '../../core/cart-recovery/tokens.ts';
import type { CartRecovery } from '../../db/repositories/cart-recovery-repository.ts';
import {
	cartRecoveryOverview,
	cartRecoverySettings,
	queueCartReminders,
} from '../../services/cart-recovery/cart-recovery.ts';
import { type AdminRoute, areaRoute } from './area-route.ts';
import { pageQuery } from './validators.ts';

// Abandoned-cart recovery in the admin (dashboard area): the counts, the reminders with the order each cart became,
// and "look now" (the server's schedule does the same every 15 minutes).

const toAdminReminder = (r: CartRecovery) => ({
	cart_id: r.cartId,
	email: r.email,
	status: r.status,
	skip_reason: r.skipReason,
	queued_at: r.queuedAt,
	sent_at: r.sentAt,
	restored_at: r.restoredAt,
	recovered: r.order !== null,
	order: r.order && {
		id: r.order.id,
		display_id: r.order.displayId,
		total: r.order.total,
		currency_code: r.order.currencyCode,
	},
});

export const cartRecoveryRoutes: AdminRoute[] = [
	areaRoute('dashboard', {
		method: 'GET',
		path: '/abandoned-carts',
		query: pageQuery,
		handler: async (ctx) => {
			const { stats, reminders } = await cartRecoveryOverview(ctx.runtime.db, ctx.query);
			return {
				stats: { ...stats, recovery_rate: recoveryRate(stats.sent, stats.recovered) },
				abandoned_carts: reminders.map(toAdminReminder),
				...ctx.query,
			};
		},
	}),
	areaRoute('dashboard', {
		method: 'POST',
		path: '/abandoned-carts/run',
		handler: async (ctx) => {
			const queued = await queueCartReminders(ctx.runtime.db, cartRecoverySettings(ctx.runtime.options));
			if (queued) ctx.runtime.outbox.wake();
			return { queued };
		},
	}),
];

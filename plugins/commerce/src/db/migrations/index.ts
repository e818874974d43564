import type { Migration } from 'kysely';
import * as catalogAndInventory from './2026-11-22-0001-catalog-and-inventory.ts';
import * as cartsDiscountsIdempotency from './2026-11-22-0002-carts-discounts-idempotency.ts';
import * as ordersPaymentsWebhooks from './2026-11-22-0003-orders-payments-webhooks.ts';
import * as customersAuth from './2026-11-22-0004-customers-auth.ts';
import * as analytics from './2026-11-22-0006-analytics.ts';
import * as outbox from './2026-12-01-0007-outbox.ts';
import * as orderVersion from './2026-12-01-0008-order-version.ts';
import * as operations from './2026-12-01-0016-operations.ts';
import * as postgresTypes from './2026-12-01-0020-postgres-types.ts';
import * as rateLimit from './2026-12-01-0021-rate-limit.ts';
import * as catalogRevision from './2026-12-01-0025-catalog-revision.ts';
import * as analyticsRollups from './2026-12-01-0028-analytics-rollups.ts';
import * as giftCards from './2026-12-01-0031-gift-cards.ts';
import * as passwordReauth from './2026-12-01-0032-password-reauth.ts';
import * as webhooks from './2026-12-01-0035-webhooks.ts';
import * as stockAlerts from './2026-12-01-0036-stock-alerts.ts';
import * as sharedLimiterTable from './2026-12-01-0040-shared-limiter-table.ts';
import * as cartRecovery from './2026-12-01-0042-cart-recovery.ts';
import * as giftCardProducts from './2026-12-01-0043-gift-card-products.ts';
import * as contactReplies from './2026-12-01-0045-contact-replies.ts';
import * as orderLineMetadata from './2026-12-02-0048-order-line-metadata.ts';

/**
 * Every migration, keyed by a name that sorts by date. Listed in code rather than read from a folder so they survive
 * bundling into `dist/server` (file paths do not).
 */
export const migrations: Record<string, Migration> = {
	'2026-11-22-0001-catalog-and-inventory': catalogAndInventory,
	'2026-11-22-0002-carts-discounts-idempotency': cartsDiscountsIdempotency,
	'2026-11-22-0003-orders-payments-webhooks': ordersPaymentsWebhooks,
	'2026-11-22-0004-customers-auth': customersAuth,
	'2026-11-22-0006-analytics': analytics,
	'2026-12-01-0007-outbox': outbox,
	'2026-12-01-0008-order-version': orderVersion,
	'2026-12-01-0016-operations': operations,
	'2026-12-01-0020-postgres-types': postgresTypes,
	'2026-12-01-0021-rate-limit': rateLimit,
	'2026-12-01-0025-catalog-revision': catalogRevision,
	'2026-12-01-0028-analytics-rollups': analyticsRollups,
	'2026-12-01-0031-gift-cards': giftCards,
	'2026-12-01-0032-password-reauth': passwordReauth,
	'2026-12-01-0035-webhooks': webhooks,
	'2026-12-01-0036-stock-alerts': stockAlerts,
	'2026-12-01-0040-shared-limiter-table': sharedLimiterTable,
	'2026-12-01-0042-cart-recovery': cartRecovery,
	'2026-12-01-0043-gift-card-products': giftCardProducts,
	'2026-12-01-0045-contact-replies': contactReplies,
	'2026-12-02-0048-order-line-metadata': orderLineMetadata,
};

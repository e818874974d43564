import { passwordAttempts, resolveAuth, signIn, signOut } from '../../auth/index.ts';
import { isAdminRole } from '../../auth/rbac.ts';
import { addDays, todayIn } from '../../core/analytics/days.ts';
import { discountInput } from '../../core/discount-input.ts';
import { forbidden, notFound, unauthorized } from '../../core/errors.ts';
import { createRouter } from '../../http/router.ts';
import {
	adjustInventory,
	createDiscount,
	disableDiscount,
	getCustomer,
	getDefaultThreshold,
	getDiscount,
	getOrder,
	inventoryLedger,
	listCustomers,
	listDiscounts,
	listInventory,
	listMessages,
	listOrders,
	markMessageRead,
	orderAction,
	ordersCsv,
	setDefaultThreshold,
	setVariantThreshold,
	updateDiscount,
} from '../../services/admin/index.ts';
import { adjustInput, inventoryQuery } from '../../services/admin/inventory.ts';
import { orderFilter } from '../../services/admin/orders.ts';
import { dashboardKpis } from '../../services/analytics/dashboard-kpis.ts';
import { authenticate } from '../../services/customers/account-service.ts';
import { eraseCustomer, exportCustomerData } from '../../services/customers/privacy.ts';
import { disableGiftCard, giftCardDetail, issueGiftCard, listIssuedGiftCards } from '../../services/gift-cards.ts';
import { stockAlertsOfVariant } from '../../services/inventory/stock-alerts.ts';
import { orderDeps } from '../../services/orders/order-deps.ts';
import { LOGIN_FAILED } from '../store/auth-routes.ts';
import { type AdminRoute, actorOf, areaRoute, noStore, sessionRoute } from './area-route.ts';
import { cartRecoveryRoutes } from './cart-recovery-routes.ts';
import {
	toAdminCustomer,
	toAdminDiscount,
	toAdminGiftCard,
	toAdminLedgerEntry,
	toAdminMessage,
	toAdminOrder,
	toAdminOrderSummary,
} from './responses.ts';
import { stockImportRoutes } from './stock-import-routes.ts';
import * as v from './validators.ts';
import { webhookRoutes } from './webhook-routes.ts';

const noAdminAccess = () =>
	forbidden('This account has no access to the admin. Ask an administrator for a staff or admin role.');

const todayUtc = () => new Date().toISOString().slice(0, 10);

/**
 * Discounts (Medusa's word, in code and API) are what the admin's pages call coupons. The API answers under
 * `/discounts` (`{ discount }`, `{ discounts }`); `/coupons` (`{ coupon }`, `{ coupons }`) is kept for existing
 * clients. Same rules, same objects.
 */
function discountRoutes(base: '/discounts' | '/coupons', one: string, many: string): AdminRoute[] {
	return [
		areaRoute('discounts', {
			method: 'GET',
			path: base,
			handler: async (ctx) => ({ [many]: (await listDiscounts(ctx.runtime.db)).map(toAdminDiscount) }),
		}),
		areaRoute('discounts', {
			method: 'POST',
			path: base,
			body: discountInput,
			handler: async (ctx) => {
				const id = await createDiscount(ctx.runtime.db, ctx.body);
				return { [one]: toAdminDiscount((await getDiscount(ctx.runtime.db, id))!) };
			},
		}),
		areaRoute('discounts', {
			method: 'POST',
			path: `${base}/:id`,
			body: discountInput,
			handler: async (ctx) => ({
				[one]: toAdminDiscount(await updateDiscount(ctx.runtime.db, ctx.params.id, ctx.body)),
			}),
		}),
		areaRoute('discounts', {
			method: 'POST',
			path: `${base}/:id/disable`,
			handler: async (ctx) => ({ [one]: toAdminDiscount(await disableDiscount(ctx.runtime.db, ctx.params.id)) }),
		}),
	];
}

/** Gift cards (admin only, with the discounts): issue, list with balances, one card with its usage, disable. */
const giftCardRoutes: AdminRoute[] = [
	areaRoute('discounts', {
		method: 'GET',
		path: '/gift-cards',
		query: v.pageQuery,
		handler: async (ctx) => {
			const { cards, count } = await listIssuedGiftCards(ctx.runtime.db, ctx.query);
			return { gift_cards: cards.map((c) => toAdminGiftCard(c)), count, ...ctx.query };
		},
	}),
	areaRoute('discounts', {
		method: 'POST',
		path: '/gift-cards',
		body: v.giftCardBody,
		handler: async (ctx) => {
			const card = await issueGiftCard(
				ctx.runtime.db,
				{
					value: ctx.body.value,
					currencyCode: ctx.body.currency_code,
					code: ctx.body.code,
					endsAt: ctx.body.ends_at ?? null,
					note: ctx.body.note ?? null,
				},
				actorOf(ctx.auth),
			);
			return { gift_card: toAdminGiftCard(card, []) };
		},
	}),
	areaRoute('discounts', {
		method: 'GET',
		path: '/gift-cards/:id',
		handler: async (ctx) => {
			const { card, uses } = await giftCardDetail(ctx.runtime.db, ctx.params.id);
			return { gift_card: toAdminGiftCard(card, uses) };
		},
	}),
	areaRoute('discounts', {
		method: 'POST',
		path: '/gift-cards/:id',
		body: v.giftCardDisableBody,
		handler: async (ctx) => {
			const { card, uses } = await disableGiftCard(ctx.runtime.db, ctx.params.id, ctx.body.is_disabled);
			return { gift_card: toAdminGiftCard(card, uses) };
		},
	}),
];

export type { AdminRoute };

/** Every admin API route, relative to `<adminBasePath>/api`. */
export const adminRoutes: AdminRoute[] = [
	sessionRoute({
		method: 'POST',
		path: '/auth',
		sameOrigin: true,
		body: v.loginBody,
		// Staff and admin login: the Store API's credentials check and session cookie; customers are refused (403).
		handler: async (ctx) => {
			await passwordAttempts.assertAllowed(ctx.clientAddress, ctx.body.email);
			const customer = await authenticate(ctx.runtime.db, ctx.body.email, ctx.body.password);
			if (!customer) {
				await passwordAttempts.failed(ctx.clientAddress, ctx.body.email);
				throw unauthorized(LOGIN_FAILED);
			}
			await passwordAttempts.succeeded(ctx.clientAddress, ctx.body.email);
			if (!isAdminRole(customer.role)) throw noAdminAccess();
			await signIn(ctx, customer);
			return { user: { id: customer.id, email: customer.email, role: customer.role } };
		},
	}),
	sessionRoute({
		method: 'GET',
		path: '/auth',
		handler: async (ctx) => {
			const auth = await resolveAuth(ctx);
			if (!auth)
				throw unauthorized('You are not logged in, or your session has expired. Log in to the admin and try again.');
			if (!isAdminRole(auth.customer.role)) throw noAdminAccess();
			return { user: { id: auth.customer.id, email: auth.customer.email, role: auth.customer.role } };
		},
	}),
	sessionRoute({
		method: 'DELETE',
		path: '/auth',
		handler: async (ctx) => {
			await signOut(ctx);
			return {};
		},
	}),
	areaRoute('dashboard', {
		method: 'GET',
		path: '/dashboard',
		query: v.dashboardQuery,
		handler: async (ctx) => {
			const to = ctx.query.to ?? todayIn(ctx.runtime.options.reportingTimeZone);
			return dashboardKpis(ctx.runtime.db, {
				from: ctx.query.from ?? addDays(to, -29),
				to,
				currency: ctx.query.currency,
				lowStockThreshold: await getDefaultThreshold(ctx.runtime.db),
			});
		},
	}),
	areaRoute('orders', {
		method: 'GET',
		path: '/orders',
		query: orderFilter,
		handler: async (ctx) => {
			const page = await listOrders(ctx.runtime.db, ctx.query);
			return { ...page, orders: page.orders.map(toAdminOrderSummary) };
		},
	}),
	areaRoute('orders', {
		method: 'GET',
		path: '/orders.csv',
		query: orderFilter,
		handler: async (ctx) => {
			const { limit: _limit, offset: _offset, ...filter } = ctx.query;
			return new Response(ordersCsv(ctx.runtime.db, filter), {
				headers: {
					'Content-Type': 'text/csv; charset=utf-8',
					'Content-Disposition': `attachment; filename="orders-${todayUtc()}.csv"`,
					...noStore,
				},
			});
		},
	}),
	areaRoute('orders', {
		method: 'GET',
		path: '/orders/:id',
		handler: async (ctx) => {
			const order = await getOrder(ctx.runtime.db, ctx.params.id);
			if (!order) throw notFound(`Order with id ${ctx.params.id} was not found`);
			return { order: toAdminOrder(order) };
		},
	}),
	...v.orderActionBodies.map(({ path, body }) =>
		areaRoute('orders', {
			method: 'POST',
			path: `/orders/:id/${path}`,
			body,
			handler: async (ctx) => ({
				order: toAdminOrder(
					await orderAction(orderDeps(ctx.runtime), ctx.params.id, ctx.body, actorOf(ctx.auth), ctx.shopOrigin),
				),
			}),
		}),
	),
	areaRoute('inventory', {
		method: 'GET',
		path: '/inventory',
		query: inventoryQuery,
		handler: async (ctx) => listInventory(ctx.runtime.db, ctx.query),
	}),
	// Before `/inventory/:variant_id/…`: `import` and `export.csv` are not variant ids.
	...stockImportRoutes,
	areaRoute('inventory', {
		method: 'POST',
		path: '/inventory/default-threshold',
		body: v.defaultThresholdBody,
		handler: async (ctx) => {
			await setDefaultThreshold(ctx.runtime.db, ctx.body.threshold);
			return { threshold: ctx.body.threshold };
		},
	}),
	areaRoute('inventory', {
		method: 'POST',
		path: '/inventory/:variant_id/adjust',
		body: adjustInput,
		handler: async (ctx) => {
			const { stocked, entry } = await adjustInventory(
				ctx.runtime.db,
				ctx.params.variant_id,
				ctx.body,
				actorOf(ctx.auth),
			);
			return { stocked, entry: toAdminLedgerEntry(entry) };
		},
	}),
	areaRoute('inventory', {
		method: 'POST',
		path: '/inventory/:variant_id/threshold',
		body: v.thresholdBody,
		handler: async (ctx) => {
			await setVariantThreshold(ctx.runtime.db, ctx.params.variant_id, ctx.body.threshold);
			return { variant_id: ctx.params.variant_id, threshold: ctx.body.threshold };
		},
	}),
	areaRoute('inventory', {
		method: 'GET',
		path: '/inventory/:variant_id/alerts',
		handler: async (ctx) => ({
			stock_alerts: (await stockAlertsOfVariant(ctx.runtime.db, ctx.params.variant_id)).map((a) => ({
				id: a.id,
				email: a.email,
				status: a.status,
				created_at: a.createdAt,
				confirmed_at: a.confirmedAt,
				notified_at: a.notifiedAt,
			})),
		}),
	}),
	areaRoute('inventory', {
		method: 'GET',
		path: '/inventory/:variant_id/ledger',
		handler: async (ctx) => ({
			ledger: (await inventoryLedger(ctx.runtime.db, ctx.params.variant_id)).map(toAdminLedgerEntry),
		}),
	}),
	...discountRoutes('/discounts', 'discount', 'discounts'),
	...discountRoutes('/coupons', 'coupon', 'coupons'),
	...giftCardRoutes,
	areaRoute('customers', {
		method: 'GET',
		path: '/customers',
		query: v.listQuery,
		handler: async (ctx) => {
			const { customers, count } = await listCustomers(ctx.runtime.db, ctx.query);
			return { customers: customers.map((c) => toAdminCustomer(c, c.orderCount)), count };
		},
	}),
	areaRoute('customers', {
		method: 'GET',
		path: '/customers/:id',
		handler: async (ctx) => {
			const found = await getCustomer(ctx.runtime.db, ctx.params.id);
			if (!found) throw notFound(`Customer with id ${ctx.params.id} was not found`);
			return {
				customer: toAdminCustomer(found.customer, found.orders.length),
				orders: found.orders.map(toAdminOrderSummary),
			};
		},
	}),
	areaRoute('customers', {
		method: 'GET',
		path: '/customers/:id/export',
		// GDPR request handled by the shop: the same document the customer downloads from their account.
		handler: async (ctx) => ({ export: await exportCustomerData(ctx.runtime.db, ctx.params.id) }),
	}),
	areaRoute('customers', {
		method: 'POST',
		path: '/customers/:id/erase',
		handler: async (ctx) => {
			const { db, mailer, options } = ctx.runtime;
			const erased = await eraseCustomer({ db, mailer, options }, ctx.params.id);
			return {
				id: ctx.params.id,
				object: 'customer',
				deleted: true,
				orders_anonymized: erased.ordersAnonymised,
				addresses_erased: erased.addressesErased,
				messages_deleted: erased.messagesDeleted,
				sessions_ended: erased.sessionsEnded,
			};
		},
	}),
	areaRoute('messages', {
		method: 'GET',
		path: '/messages',
		query: v.listQuery,
		handler: async (ctx) => {
			const { messages, ...counts } = await listMessages(ctx.runtime.db, {
				unread: ctx.query.unread === 'true',
				limit: ctx.query.limit,
				offset: ctx.query.offset,
			});
			return { messages: messages.map(toAdminMessage), ...counts };
		},
	}),
	...webhookRoutes,
	...cartRecoveryRoutes,
	areaRoute('messages', {
		method: 'POST',
		path: '/messages/:id/read',
		body: v.readBody,
		handler: async (ctx) => ({
			message: toAdminMessage(await markMessageRead(ctx.runtime.db, ctx.params.id, ctx.body.read)),
		}),
	}),
];

/** The admin API router (`<adminBasePath>/api/*`). */
export const adminRouter = createRouter(adminRoutes, { name: 'admin API', authenticateWrongMethod: true });

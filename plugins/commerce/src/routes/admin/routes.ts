import type { CustomerAuth } from '../../auth/index.ts';
import { passwordAttempts, resolveAuth, signIn, signOut } from '../../auth/index.ts';
import { type AdminArea, isAdminRole, requireRole } from '../../auth/rbac.ts';
import { addDays, todayIn } from '../../core/analytics/days.ts';
import { discountInput } from '../../core/discount-input.ts';
import { forbidden, notFound, unauthorized } from '../../core/errors.ts';
import {
	createRouter,
	defineRoute,
	type HandlerContext,
	type Method,
	type Route,
	type SchemaSource,
} from '../../http/router.ts';
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
import { orderDeps } from '../../services/orders/order-deps.ts';
import { LOGIN_FAILED } from '../store/auth-routes.ts';
import {
	toAdminCustomer,
	toAdminDiscount,
	toAdminLedgerEntry,
	toAdminMessage,
	toAdminOrder,
	toAdminOrderSummary,
} from './responses.ts';
import * as v from './validators.ts';

/**
 * An admin API route. `area` is required: `requireRole(area)` is the route's `before` step, so the role check runs
 * before anything else, input validation included. `session` marks the only routes that answer callers without an
 * admin session (login, logout, whoami), and those check roles themselves.
 */
export type AdminRoute = Route & { area: AdminArea | 'session' };

interface AdminRouteDefinition<Body, Query, Auth> {
	method: Method;
	path: string;
	sameOrigin?: boolean;
	body?: SchemaSource<Body>;
	query?: SchemaSource<Query>;
	handler: (ctx: HandlerContext<Body, Query, Auth>) => Promise<unknown>;
}

/**
 * A route of an admin area; its handler gets the signed-in staff member or admin as `ctx.auth`. Never replayed by
 * Idempotency-Key: a stored answer would skip the role check.
 */
function areaRoute<Body = undefined, Query = undefined>(
	area: AdminArea,
	definition: AdminRouteDefinition<Body, Query, CustomerAuth>,
): AdminRoute {
	return {
		...defineRoute({ ...definition, idempotent: false, before: (ctx) => requireRole(ctx, area) }),
		area,
	};
}

/** A route that answers without an admin session (login, logout, whoami); it checks roles itself. */
function sessionRoute<Body = undefined>(definition: AdminRouteDefinition<Body, undefined, undefined>): AdminRoute {
	return { ...defineRoute({ ...definition, idempotent: false }), area: 'session' };
}

const noStore = { 'Cache-Control': 'no-store' };

const noAdminAccess = () =>
	forbidden('This account has no access to the admin. Ask an administrator for a staff or admin role.');

/** The caller's email for order events and ledger rows. */
const actorOf = (auth: CustomerAuth) => auth.customer.email;

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

/** Every admin API route, relative to `<adminBasePath>/api`. */
export const adminRoutes: AdminRoute[] = [
	sessionRoute({
		method: 'POST',
		path: '/auth',
		sameOrigin: true,
		body: v.loginBody,
		// Staff and admin login: the Store API's credentials check and session cookie; customers are refused (403).
		handler: async (ctx) => {
			passwordAttempts.assertAllowed(ctx.clientAddress, ctx.body.email);
			const customer = await authenticate(ctx.runtime.db, ctx.body.email, ctx.body.password);
			if (!customer) {
				passwordAttempts.failed(ctx.clientAddress, ctx.body.email);
				throw unauthorized(LOGIN_FAILED);
			}
			passwordAttempts.succeeded(ctx.body.email);
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
			const csv = await ordersCsv(ctx.runtime.db, filter);
			return new Response(csv, {
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
		path: '/inventory/:variant_id/ledger',
		handler: async (ctx) => ({
			ledger: (await inventoryLedger(ctx.runtime.db, ctx.params.variant_id)).map(toAdminLedgerEntry),
		}),
	}),
	...discountRoutes('/discounts', 'discount', 'discounts'),
	...discountRoutes('/coupons', 'coupon', 'coupons'),
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
export const adminRouter = createRouter(adminRoutes, { name: 'admin API' });

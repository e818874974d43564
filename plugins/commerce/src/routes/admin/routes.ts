import type { CustomerAuth } from '../../auth/index.ts';
import { passwordAttempts, resolveAuth, signIn, signOut } from '../../auth/index.ts';
import { type AdminArea, isAdminRole, requireRole } from '../../auth/rbac.ts';
import { parseInput } from '../../http/request.ts';
import { createRouter, type HandlerContext, type Route } from '../../http/router.ts';
import { invalidData, notFound, StoreError } from '../../http/store-error.ts';
import {
	type AdminOrderAction,
	adjustInventory,
	createCoupon,
	disableCoupon,
	editCoupon,
	getCustomer,
	getDefaultThreshold,
	getOrder,
	inventoryLedger,
	listCoupons,
	listCustomers,
	listInventory,
	listMessages,
	listOrders,
	markMessageRead,
	orderAction,
	ordersCsv,
	setDefaultThreshold,
	setVariantThreshold,
} from '../../services/admin/index.ts';
import { adjustInput, inventoryQuery } from '../../services/admin/inventory.ts';
import { orderFilter } from '../../services/admin/orders.ts';
import { dashboardKpis } from '../../services/analytics/dashboard-kpis.ts';
import { authenticate } from '../../services/customers/account-service.ts';
import { orderDeps } from '../../services/orders/order-deps.ts';
import { LOGIN_FAILED } from '../store/auth-routes.ts';
import { toAdminLedgerEntry, toAdminOrder, toAdminOrderSummary } from './admin-responses.ts';
import * as v from './validators.ts';

/** A handler that runs only after `requireRole` let the caller in; it gets who that is. */
export type AdminHandler = (ctx: HandlerContext, auth: CustomerAuth) => Promise<unknown>;

/**
 * An admin API route. `area` is required: the router checks it with `requireRole` before the handler (or anything
 * else) runs. `session` marks the only routes that answer callers without an admin session (login, logout, whoami),
 * and those check roles themselves.
 */
export type AdminRoute = Omit<Route, 'handler'> &
	({ area: AdminArea; handler: AdminHandler } | { area: 'session'; handler: Route['handler'] });

const noStore = { 'Cache-Control': 'no-store' };

const forbidden = () =>
	new StoreError(
		'not_allowed',
		'This account has no access to the admin. Ask an administrator for a staff or admin role.',
		'forbidden',
		403,
	);

/** The caller's email for order events and ledger rows. */
const actorOf = (auth: CustomerAuth) => auth.customer.email;

const orderPaths: { path: string; parse: (body: Record<string, unknown>) => AdminOrderAction }[] = [
	{ path: 'capture', parse: (b) => ({ type: 'capture', amount: parseInput(v.captureBody, b).amount }) },
	{
		path: 'mark-processing',
		parse: (b) => {
			parseInput(v.emptyBody, b);
			return { type: 'mark_processing' };
		},
	},
	{
		path: 'ship',
		parse: (b) => {
			const body = parseInput(v.shipBody, b);
			return { type: 'ship', carrier: body.carrier, trackingNumber: body.tracking_number };
		},
	},
	{
		path: 'deliver',
		parse: (b) => {
			parseInput(v.emptyBody, b);
			return { type: 'deliver' };
		},
	},
	{ path: 'cancel', parse: (b) => ({ type: 'cancel', reason: parseInput(v.cancelBody, b).reason }) },
	{
		path: 'refund',
		parse: (b) => {
			const body = parseInput(v.refundBody, b);
			return {
				type: 'refund',
				amount: body.amount,
				restockLines: body.restock_lines?.map((l) => ({ lineId: l.line_id, quantity: l.quantity })),
			};
		},
	},
];

const todayUtc = () => new Date().toISOString().slice(0, 10);
const daysAgoUtc = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** Every admin API route, relative to `<adminBasePath>/api`. */
export const adminRoutes: AdminRoute[] = [
	{
		method: 'POST',
		path: '/auth',
		area: 'session',
		idempotent: false,
		sameOrigin: true,
		// Staff and admin login: the Store API's credentials check and session cookie; customers are refused (403).
		handler: async (ctx) => {
			const body = parseInput(v.loginBody, await ctx.body());
			passwordAttempts.assertAllowed(ctx.clientAddress, body.email);
			const customer = await authenticate(ctx.runtime.db, body.email, body.password);
			if (!customer) {
				passwordAttempts.failed(ctx.clientAddress, body.email);
				throw new StoreError('unauthorized', LOGIN_FAILED);
			}
			passwordAttempts.succeeded(body.email);
			if (!isAdminRole(customer.role)) throw forbidden();
			await signIn(ctx, customer);
			return { user: { id: customer.id, email: customer.email, role: customer.role } };
		},
	},
	{
		method: 'GET',
		path: '/auth',
		area: 'session',
		idempotent: false,
		handler: async (ctx) => {
			const auth = await resolveAuth(ctx);
			if (!auth)
				throw new StoreError(
					'unauthorized',
					'You are not logged in, or your session has expired. Log in to the admin and try again.',
				);
			if (!isAdminRole(auth.customer.role)) throw forbidden();
			return { user: { id: auth.customer.id, email: auth.customer.email, role: auth.customer.role } };
		},
	},
	{
		method: 'DELETE',
		path: '/auth',
		area: 'session',
		idempotent: false,
		handler: async (ctx) => {
			await signOut(ctx);
			return {};
		},
	},
	{
		method: 'GET',
		path: '/dashboard',
		area: 'dashboard',
		handler: async (ctx) => {
			const q = parseInput(v.dashboardQuery, ctx.query);
			try {
				return await dashboardKpis(ctx.runtime.db, {
					from: q.from ?? daysAgoUtc(29),
					to: q.to ?? todayUtc(),
					currency: q.currency,
					lowStockThreshold: await getDefaultThreshold(ctx.runtime.db),
				});
			} catch (error) {
				if (error instanceof RangeError) throw invalidData(error.message, 'invalid_range');
				throw error;
			}
		},
	},
	{
		method: 'GET',
		path: '/orders',
		area: 'orders',
		handler: async (ctx) => {
			const page = await listOrders(ctx.runtime.db, parseInput(orderFilter, ctx.query));
			return { ...page, orders: page.orders.map(toAdminOrderSummary) };
		},
	},
	{
		method: 'GET',
		path: '/orders.csv',
		area: 'orders',
		handler: async (ctx) => {
			const { limit: _limit, offset: _offset, ...filter } = parseInput(orderFilter, ctx.query);
			const csv = await ordersCsv(ctx.runtime.db, filter);
			return new Response(csv, {
				headers: {
					'Content-Type': 'text/csv; charset=utf-8',
					'Content-Disposition': `attachment; filename="orders-${todayUtc()}.csv"`,
					...noStore,
				},
			});
		},
	},
	{
		method: 'GET',
		path: '/orders/:id',
		area: 'orders',
		handler: async (ctx) => {
			const order = await getOrder(ctx.runtime.db, ctx.params.id);
			if (!order) throw notFound(`Order with id ${ctx.params.id} was not found`);
			return { order: toAdminOrder(order) };
		},
	},
	...orderPaths.map(
		({ path, parse }): AdminRoute => ({
			method: 'POST',
			path: `/orders/:id/${path}`,
			area: 'orders',
			handler: async (ctx, auth) => ({
				order: toAdminOrder(
					await orderAction(
						orderDeps(ctx.runtime),
						ctx.params.id,
						parse(await ctx.body()),
						actorOf(auth),
						ctx.url.origin,
					),
				),
			}),
		}),
	),
	{
		method: 'GET',
		path: '/inventory',
		area: 'inventory',
		handler: async (ctx) => listInventory(ctx.runtime.db, parseInput(inventoryQuery, ctx.query)),
	},
	{
		method: 'POST',
		path: '/inventory/default-threshold',
		area: 'inventory',
		handler: async (ctx) => {
			const body = parseInput(v.defaultThresholdBody, await ctx.body());
			await setDefaultThreshold(ctx.runtime.db, body.threshold);
			return { threshold: body.threshold };
		},
	},
	{
		method: 'POST',
		path: '/inventory/:variant_id/adjust',
		area: 'inventory',
		handler: async (ctx, auth) => {
			const input = parseInput(adjustInput, await ctx.body());
			const { stocked, entry } = await adjustInventory(ctx.runtime.db, ctx.params.variant_id, input, actorOf(auth));
			return { stocked, entry: toAdminLedgerEntry(entry) };
		},
	},
	{
		method: 'POST',
		path: '/inventory/:variant_id/threshold',
		area: 'inventory',
		handler: async (ctx) => {
			const body = parseInput(v.thresholdBody, await ctx.body());
			await setVariantThreshold(ctx.runtime.db, ctx.params.variant_id, body.threshold);
			return { variant_id: ctx.params.variant_id, threshold: body.threshold };
		},
	},
	{
		method: 'GET',
		path: '/inventory/:variant_id/ledger',
		area: 'inventory',
		handler: async (ctx) => ({
			ledger: (await inventoryLedger(ctx.runtime.db, ctx.params.variant_id)).map(toAdminLedgerEntry),
		}),
	},
	{
		method: 'GET',
		path: '/coupons',
		area: 'coupons',
		handler: async (ctx) => ({ coupons: await listCoupons(ctx.runtime.db) }),
	},
	{
		method: 'POST',
		path: '/coupons',
		area: 'coupons',
		handler: async (ctx) => ({ coupon: await createCoupon(ctx.runtime.db, await ctx.body()) }),
	},
	{
		method: 'POST',
		path: '/coupons/:id',
		area: 'coupons',
		handler: async (ctx) => ({ coupon: await editCoupon(ctx.runtime.db, ctx.params.id, await ctx.body()) }),
	},
	{
		method: 'POST',
		path: '/coupons/:id/disable',
		area: 'coupons',
		handler: async (ctx) => ({ coupon: await disableCoupon(ctx.runtime.db, ctx.params.id) }),
	},
	{
		method: 'GET',
		path: '/customers',
		area: 'customers',
		handler: async (ctx) => {
			const q = parseInput(v.listQuery, ctx.query);
			return listCustomers(ctx.runtime.db, { q: q.q, limit: q.limit, offset: q.offset });
		},
	},
	{
		method: 'GET',
		path: '/customers/:id',
		area: 'customers',
		handler: async (ctx) => {
			const found = await getCustomer(ctx.runtime.db, ctx.params.id);
			if (!found) throw notFound(`Customer with id ${ctx.params.id} was not found`);
			return found;
		},
	},
	{
		method: 'GET',
		path: '/messages',
		area: 'messages',
		handler: async (ctx) => {
			const q = parseInput(v.listQuery, ctx.query);
			return listMessages(ctx.runtime.db, { unread: q.unread === 'true', limit: q.limit, offset: q.offset });
		},
	},
	{
		method: 'POST',
		path: '/messages/:id/read',
		area: 'messages',
		handler: async (ctx) => ({
			message: await markMessageRead(ctx.runtime.db, ctx.params.id, parseInput(v.readBody, await ctx.body()).read),
		}),
	},
];

/** Puts `requireRole(area)` in front of every handler that belongs to an area: nothing runs before it. */
function guard(route: AdminRoute): Route {
	if (route.area === 'session') return { ...route, idempotent: false };
	const { area, handler } = route;
	// Never replayed by Idempotency-Key: a stored answer would skip the role check.
	return { ...route, idempotent: false, handler: async (ctx) => handler(ctx, await requireRole(ctx, area)) };
}

/** The admin API router (`<adminBasePath>/api/*`). */
export const adminRouter = createRouter(adminRoutes.map(guard), { name: 'admin API' });

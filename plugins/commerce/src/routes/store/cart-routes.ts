import { optionalCustomer } from '../../auth/index.ts';
import { parseInput } from '../../http/request.ts';
import type { Route } from '../../http/router.ts';
import { invalidData } from '../../http/store-error.ts';
import {
	addLineItem,
	addShippingMethod,
	type CartDeps,
	createCart,
	deleteLineItem,
	getCart,
	listCartShippingOptions,
	removeDiscount,
	updateCart,
	updateLineItem,
} from '../../services/cart/cart-service.ts';
import { findRegion } from '../../services/regions.ts';
import {
	addLineItemBody,
	addressFields,
	addShippingMethodBody,
	createCartBody,
	updateCartBody,
	updateLineItemBody,
} from './cart-validators.ts';
import { toMedusaCart, toMedusaShippingOption } from './medusa-cart.ts';

const deps = (ctx: { runtime: CartDeps }): CartDeps => ({ db: ctx.runtime.db, options: ctx.runtime.options });

/** Carts, line items, discounts and shipping (contract §3.3, §3.5). Every answer is the full, freshly priced cart. */
export const cartRoutes: Route[] = [
	{
		method: 'POST',
		path: '/carts',
		handler: async (ctx) => {
			const body = parseInput(createCartBody, await ctx.body());
			// Logged in: the cart belongs to the customer and carries the account's email (contract §3.3).
			const auth = await optionalCustomer(ctx);
			const view = await createCart(
				deps(ctx),
				{
					regionId: body.region_id,
					countryCode: body.country_code,
					items: body.items?.map((i) => ({ variantId: i.variant_id, quantity: i.quantity })),
					...(auth ? { customerId: auth.customer.id, email: auth.customer.email } : {}),
				},
				{ clientIp: ctx.clientAddress, userAgent: ctx.request.headers.get('user-agent') ?? undefined },
			);
			return { cart: toMedusaCart(view) };
		},
	},
	{
		method: 'GET',
		path: '/carts/:id',
		handler: async (ctx) => ({ cart: toMedusaCart(await getCart(deps(ctx), ctx.params.id)) }),
	},
	{
		method: 'POST',
		path: '/carts/:id',
		handler: async (ctx) => {
			const body = parseInput(updateCartBody, await ctx.body());
			// Logged in: the session's customer takes the cart and its email wins over the body's (Medusa semantics).
			const auth = await optionalCustomer(ctx);
			const view = await updateCart(deps(ctx), ctx.params.id, {
				email: auth ? auth.customer.email : body.email,
				customerId: auth?.customer.id,
				regionId: body.region_id,
				countryCode: body.country_code,
				shippingAddress: addressFields(body.shipping_address),
				billingAddress: addressFields(body.billing_address),
				discountCodes: body.discounts?.map((d) => d.code),
			});
			return { cart: toMedusaCart(view) };
		},
	},
	{
		method: 'POST',
		path: '/carts/:id/line-items',
		handler: async (ctx) => {
			const body = parseInput(addLineItemBody, await ctx.body());
			const metadata = body.metadata ? JSON.stringify(body.metadata) : null;
			return {
				cart: toMedusaCart(await addLineItem(deps(ctx), ctx.params.id, body.variant_id, body.quantity, metadata)),
			};
		},
	},
	{
		method: 'POST',
		path: '/carts/:id/line-items/:line_id',
		handler: async (ctx) => {
			const body = parseInput(updateLineItemBody, await ctx.body());
			return { cart: toMedusaCart(await updateLineItem(deps(ctx), ctx.params.id, ctx.params.line_id, body.quantity)) };
		},
	},
	{
		method: 'DELETE',
		path: '/carts/:id/line-items/:line_id',
		handler: async (ctx) => ({
			cart: toMedusaCart(await deleteLineItem(deps(ctx), ctx.params.id, ctx.params.line_id)),
		}),
	},
	{
		method: 'DELETE',
		path: '/carts/:id/discounts/:code',
		handler: async (ctx) => ({ cart: toMedusaCart(await removeDiscount(deps(ctx), ctx.params.id, ctx.params.code)) }),
	},
	{
		method: 'POST',
		path: '/carts/:id/shipping-methods',
		handler: async (ctx) => {
			const body = parseInput(addShippingMethodBody, await ctx.body());
			return { cart: toMedusaCart(await addShippingMethod(deps(ctx), ctx.params.id, body.option_id)) };
		},
	},
	{
		method: 'GET',
		path: '/shipping-options/:cart_id',
		handler: async (ctx) => {
			const { view, options } = await listCartShippingOptions(deps(ctx), ctx.params.cart_id);
			return { shipping_options: options.map((o) => toMedusaShippingOption(view.region, o.option)) };
		},
	},
	{
		method: 'GET',
		path: '/shipping-options',
		handler: async (ctx) => {
			const regionId = typeof ctx.query.region_id === 'string' ? ctx.query.region_id : undefined;
			const regions = regionId ? [findRegion(ctx.runtime.options, regionId)] : ctx.runtime.options.regions;
			if (regions.some((r) => !r)) throw invalidData(`Region with id ${regionId} was not found.`);
			return { shipping_options: regions.flatMap((r) => r!.shippingOptions.map((o) => toMedusaShippingOption(r!, o))) };
		},
	},
];

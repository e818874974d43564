import { optionalCustomer } from '../../auth/index.ts';
import { defineRoute, type Route } from '../../http/router.ts';
import {
	addLineItem,
	addShippingMethod,
	type CartDeps,
	createCart,
	deleteLineItem,
	getCart,
	listCartShippingOptions,
	removeDiscount,
	shippingOptionsOfRegions,
	updateCart,
	updateLineItem,
} from '../../services/cart/cart-service.ts';
import {
	addLineItemBody,
	addressFields,
	addShippingMethodBody,
	createCartBody,
	shippingOptionsQuery,
	updateCartBody,
	updateLineItemBody,
} from './cart-validators.ts';
import { toMedusaCart, toMedusaShippingOption } from './medusa-cart.ts';
import { presentation } from './presentation.ts';

const deps = (ctx: { runtime: CartDeps }): CartDeps => ({ db: ctx.runtime.db, options: ctx.runtime.options });

/** Carts, line items, discounts and shipping (contract §3.3, §3.5). Every answer is the full, freshly priced cart. */
export const cartRoutes: Route[] = [
	defineRoute({
		method: 'POST',
		path: '/carts',
		body: createCartBody,
		handler: async (ctx) => {
			// Logged in: the cart belongs to the customer and carries the account's email (contract §3.3).
			const auth = await optionalCustomer(ctx);
			const view = await createCart(
				deps(ctx),
				{
					regionId: ctx.body.region_id,
					countryCode: ctx.body.country_code,
					items: ctx.body.items?.map((i) => ({ variantId: i.variant_id, quantity: i.quantity })),
					...(auth ? { customerId: auth.customer.id, email: auth.customer.email } : {}),
				},
				{ clientIp: ctx.clientAddress, userAgent: ctx.request.headers.get('user-agent') ?? undefined },
			);
			return { cart: toMedusaCart(view, presentation(ctx)) };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/carts/:id',
		handler: async (ctx) => ({ cart: toMedusaCart(await getCart(deps(ctx), ctx.params.id), presentation(ctx)) }),
	}),
	defineRoute({
		method: 'POST',
		path: '/carts/:id',
		body: updateCartBody,
		handler: async (ctx) => {
			const body = ctx.body;
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
				giftCardCodes: body.gift_cards?.map((g) => g.code),
			});
			return { cart: toMedusaCart(view, presentation(ctx)) };
		},
	}),
	defineRoute({
		method: 'POST',
		path: '/carts/:id/line-items',
		body: addLineItemBody,
		handler: async (ctx) => {
			const metadata = ctx.body.metadata ? JSON.stringify(ctx.body.metadata) : null;
			const view = await addLineItem(deps(ctx), ctx.params.id, ctx.body.variant_id, ctx.body.quantity, metadata);
			return { cart: toMedusaCart(view, presentation(ctx)) };
		},
	}),
	defineRoute({
		method: 'POST',
		path: '/carts/:id/line-items/:line_id',
		body: updateLineItemBody,
		handler: async (ctx) => ({
			cart: toMedusaCart(
				await updateLineItem(deps(ctx), ctx.params.id, ctx.params.line_id, ctx.body.quantity),
				presentation(ctx),
			),
		}),
	}),
	defineRoute({
		method: 'DELETE',
		path: '/carts/:id/line-items/:line_id',
		handler: async (ctx) => ({
			cart: toMedusaCart(await deleteLineItem(deps(ctx), ctx.params.id, ctx.params.line_id), presentation(ctx)),
		}),
	}),
	defineRoute({
		method: 'DELETE',
		path: '/carts/:id/discounts/:code',
		handler: async (ctx) => ({
			cart: toMedusaCart(await removeDiscount(deps(ctx), ctx.params.id, ctx.params.code), presentation(ctx)),
		}),
	}),
	defineRoute({
		method: 'POST',
		path: '/carts/:id/shipping-methods',
		body: addShippingMethodBody,
		handler: async (ctx) => ({
			cart: toMedusaCart(await addShippingMethod(deps(ctx), ctx.params.id, ctx.body.option_id), presentation(ctx)),
		}),
	}),
	defineRoute({
		method: 'GET',
		path: '/shipping-options/:cart_id',
		handler: async (ctx) => {
			const { view, options } = await listCartShippingOptions(deps(ctx), ctx.params.cart_id);
			return { shipping_options: options.map((o) => toMedusaShippingOption(view.region, o.option)) };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/shipping-options',
		query: shippingOptionsQuery,
		handler: async (ctx) => {
			const regions = shippingOptionsOfRegions(ctx.runtime.options, ctx.query.region_id);
			return { shipping_options: regions.flatMap((r) => r.shippingOptions.map((o) => toMedusaShippingOption(r, o))) };
		},
	}),
];

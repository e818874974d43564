import { defineRoute, type Route } from '../../http/router.ts';
import { findShopperGiftCard } from '../../services/gift-cards.ts';
import { toMedusaGiftCard } from './medusa-cart.ts';

/**
 * `GET /gift-cards/:code` (medusa-js `giftCards.retrieve`): the balance of a card whose code the shopper holds. Codes
 * carry 80 random bits, so holding one is the capability; a disabled card answers like an unknown one.
 */
export const giftCardRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/gift-cards/:code',
		handler: async (ctx) => ({
			gift_card: toMedusaGiftCard(await findShopperGiftCard(ctx.runtime.db, ctx.params.code)),
		}),
	}),
];

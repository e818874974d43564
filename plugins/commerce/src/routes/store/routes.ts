import { createRouter } from '../../http/router.ts';
import { accountOrderRoutes } from './account-order-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { guardCartRoutes } from './cart-access.ts';
import { cartRecoveryRoutes } from './cart-recovery-routes.ts';
import { cartRoutes } from './cart-routes.ts';
import { catalogRoutes } from './catalog-routes.ts';
import { checkoutRoutes } from './checkout-routes.ts';
import { contactRoutes } from './contact-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { giftCardRoutes } from './gift-card-routes.ts';
import { healthRoutes } from './health-routes.ts';
import { orderRoutes } from './order-routes.ts';
import { regionRoutes } from './region-routes.ts';
import { stockAlertRoutes } from './stock-alert-routes.ts';
import { wishlistRoutes } from './wishlist-routes.ts';

/**
 * Every Store API route, relative to `storeBasePath`. Each group lives beside its handlers. `guardCartRoutes` makes
 * every route naming a cart (`/carts/:id…`, `:cart_id`) refuse another customer's cart (cart-access.ts).
 */
export const storeRouter = createRouter(
	guardCartRoutes([
		...healthRoutes,
		...regionRoutes,
		...catalogRoutes,
		...cartRoutes,
		...checkoutRoutes,
		...giftCardRoutes,
		...orderRoutes,
		...authRoutes,
		...customerRoutes,
		...accountOrderRoutes,
		...wishlistRoutes,
		...stockAlertRoutes,
		...cartRecoveryRoutes,
		...contactRoutes,
	]),
);

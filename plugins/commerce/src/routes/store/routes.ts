import { createRouter } from '../../http/router.ts';
import { cartRoutes } from './cart-routes.ts';
import { checkoutRoutes } from './checkout-routes.ts';
import { catalogRoutes } from './catalog-routes.ts';
import { healthRoutes } from './health-routes.ts';
import { orderRoutes } from './order-routes.ts';
import { regionRoutes } from './region-routes.ts';

/** Every Store API route, relative to `storeBasePath`. Each group lives beside its handlers. */
export const storeRouter = createRouter([...healthRoutes, ...regionRoutes, ...catalogRoutes, ...cartRoutes, ...checkoutRoutes, ...orderRoutes]);

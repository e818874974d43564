/**
 * Admin use cases, shared by the admin API (`routes/admin/`) and the server-rendered admin pages. Each takes the
 * database (or the order dependencies) first; callers check the role with `requireRole` / `adminPageGuard` before.
 */
export { listOrders, getOrder, orderAction, ordersCsv, csvCell, orderFilter, sendOrderShipped } from './orders.ts';
export type { AdminOrderAction, OrderFilter } from './orders.ts';
export { listInventory, adjustInventory, setVariantThreshold, setDefaultThreshold, getDefaultThreshold, inventoryLedger, DEFAULT_THRESHOLD_SETTING } from './inventory.ts';
export type { InventoryRow } from './inventory.ts';
export { listCoupons, getCoupon, createCoupon, editCoupon, disableCoupon } from './coupons.ts';
export type { CouponRow } from './coupons.ts';
export { listCustomers, getCustomer } from './customers.ts';
export type { AdminCustomer } from './customers.ts';
export { listMessages, markMessageRead } from './messages.ts';
export { createAdminUser } from './admin-users.ts';

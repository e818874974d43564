/**
 * Admin use cases, shared by the admin API (`routes/admin/`) and the server-rendered admin pages. Each takes the
 * database (or the order dependencies) first; callers check the role with `requireRole` / `adminPageGuard` before.
 */

export { createDiscount, disableDiscount, getDiscount, listDiscounts, updateDiscount } from '../discounts.ts';
export { createAdminUser } from './admin-users.ts';
export { getCustomer, listCustomers } from './customers.ts';
export type { AdjustInput, InventoryRow } from './inventory.ts';
export {
	adjustInventory,
	DEFAULT_THRESHOLD_SETTING,
	getDefaultThreshold,
	inventoryLedger,
	listInventory,
	setDefaultThreshold,
	setVariantThreshold,
} from './inventory.ts';
export { listMessages, markMessageRead } from './messages.ts';
export type { AdminOrderAction, OrderFilter } from './orders.ts';
export { csvCell, getOrder, listOrders, orderAction, orderFilter, ordersCsv } from './orders.ts';

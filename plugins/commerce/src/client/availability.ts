import type { StoreVariant } from './types.ts';

/** "Only N left" is shown at or below this many units (the same threshold as the static pages). */
export const LOW_STOCK_THRESHOLD = 5;

export type StockStatus = 'in_stock' | 'low_stock' | 'sold_out';

/** Units a shopper can buy now; Infinity when stock is not tracked or backorders are allowed. */
export function availableQuantity(variant: StoreVariant): number {
	if (variant.purchasable === false) return 0;
	if (variant.manage_inventory === false || variant.allow_backorder) return Number.POSITIVE_INFINITY;
	return Math.max(0, variant.inventory_quantity);
}

/** Badge status and text for a quantity: "In stock", "Only N left" or "Sold out". */
export function stockBadge(quantity: number): { status: StockStatus; label: string } {
	if (quantity <= 0) return { status: 'sold_out', label: 'Sold out' };
	if (quantity <= LOW_STOCK_THRESHOLD) return { status: 'low_stock', label: `Only ${quantity} left` };
	return { status: 'in_stock', label: 'In stock' };
}

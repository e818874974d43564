import type { Kysely } from 'kysely';
import { getSetting } from '../../db/repositories/setting-repository.ts';
import type { Database } from '../../db/types.ts';
import { DEFAULT_LOW_STOCK_THRESHOLD } from '../analytics/dashboard-kpis.ts';

/** The `commerce_setting` key of the shop-wide low-stock threshold. */
export const DEFAULT_THRESHOLD_SETTING = 'inventory.default_low_stock_threshold';

/** The shop-wide low-stock threshold (`commerce_setting`), 5 when never set. */
export async function getDefaultThreshold(db: Kysely<Database>): Promise<number> {
	const value = Number((await getSetting(db, DEFAULT_THRESHOLD_SETTING)) ?? Number.NaN);
	return Number.isInteger(value) && value >= 0 ? value : DEFAULT_LOW_STOCK_THRESHOLD;
}

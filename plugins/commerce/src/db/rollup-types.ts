/** Row types of the analytics rollups (migration 0028). `day` is `YYYY-MM-DD` in the reporting time zone. */

export interface AnalyticsSalesDayTable {
	day: string;
	currency: string;
	/** Orders placed that day, canceled or not. */
	orders: number;
	canceled_orders: number;
	/** Σ max(0, total − refunded) over the orders that count (not canceled). */
	revenue: number;
	/** Σ refunded over every order placed that day. */
	refunded: number;
	/** Units sold less units returned, over the orders that count. */
	units: number;
}

export interface AnalyticsProductDayTable {
	day: string;
	currency: string;
	variant_id: string;
	product_id: string;
	title: string;
	units: number;
	revenue: number;
}

export interface AnalyticsTrafficDayTable {
	day: string;
	/** Raw events that day (with or without a visit id): the start-up check compares it with the event table. */
	events: number;
	visits: number;
	product_view: number;
	add_to_cart: number;
	checkout_start: number;
	purchase: number;
}

export interface AnalyticsVisitDayTable {
	day: string;
	visit_id: string;
	product_view: number;
	add_to_cart: number;
	checkout_start: number;
	purchase: number;
}

export interface AnalyticsCartDayTable {
	day: string;
	carts: number;
	with_items: number;
	completed: number;
}

export interface AnalyticsCartFactTable {
	cart_id: string;
	day: string;
	has_items: number;
	completed: number;
}

export interface AnalyticsRollupStateTable {
	key: string;
	value: string;
}

export interface AnalyticsRollupTables {
	analytics_sales_day: AnalyticsSalesDayTable;
	analytics_product_day: AnalyticsProductDayTable;
	analytics_traffic_day: AnalyticsTrafficDayTable;
	analytics_visit_day: AnalyticsVisitDayTable;
	analytics_cart_day: AnalyticsCartDayTable;
	analytics_cart_fact: AnalyticsCartFactTable;
	analytics_rollup_state: AnalyticsRollupStateTable;
}

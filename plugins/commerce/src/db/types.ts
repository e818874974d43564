import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { StockReason } from '../core/inventory/stock.ts';
import type { AnalyticsRollupTables } from './rollup-types.ts';

// Row types of the database, one interface per table. Booleans are stored as integer 0/1 and timestamps as
// ISO-8601 text so the same Kysely code runs on SQLite and PostgreSQL; repositories convert to domain types. Tables
// whose repositories map to camelCase domain objects (customer, sessions, reset tokens, discounts, contact messages)
// export no row alias here: use the domain type of the repository.

export interface ProductCategoryTable {
	id: string;
	handle: string;
	name: string;
	created_at: string;
	updated_at: string;
}

export interface ProductCollectionTable {
	id: string;
	handle: string;
	title: string;
	created_at: string;
	updated_at: string;
}

export interface ProductTable {
	id: string;
	handle: string;
	title: string;
	subtitle: string | null;
	description: string;
	category_id: string;
	collection_id: string | null;
	thumbnail: string | null;
	active: number;
	featured: number;
	rank: number;
	created_at: string;
	updated_at: string;
	/** 1: a gift card sold as a product (migration 0043); paying for it issues cards. */
	is_giftcard: Generated<number>;
}

export interface ProductImageTable {
	id: string;
	product_id: string;
	url: string;
	alt: string;
	rank: number;
}

export interface ProductTagTable {
	id: string;
	product_id: string;
	value: string;
}

export interface ProductOptionTable {
	id: string;
	product_id: string;
	title: string;
	rank: number;
}

export interface ProductVariantTable {
	id: string;
	product_id: string;
	sku: string;
	title: string;
	rank: number;
	active: number;
	created_at: string;
	updated_at: string;
}

export interface ProductOptionValueTable {
	id: string;
	option_id: string;
	variant_id: string;
	value: string;
}

export interface MoneyAmountTable {
	id: string;
	variant_id: string;
	currency_code: string;
	amount: number;
	created_at: string;
	updated_at: string;
}

export interface InventoryLevelTable {
	variant_id: string;
	stocked_quantity: number;
	reserved_quantity: Generated<number>;
	low_stock_threshold: number | null;
	updated_at: string;
}

/** Why stock changed (`core/inventory/stock.ts`); every change writes one ledger row with one of these. */
export type InventoryReason = StockReason;

export interface InventoryLedgerTable {
	id: string;
	variant_id: string;
	delta: number;
	quantity_after: number;
	reason: InventoryReason;
	reference_id: string | null;
	actor: string;
	note: string | null;
	created_at: string;
}

export interface AddressTable {
	id: string;
	customer_id: string | null;
	company: string | null;
	first_name: string | null;
	last_name: string | null;
	address_1: string | null;
	address_2: string | null;
	city: string | null;
	country_code: string | null;
	province: string | null;
	postal_code: string | null;
	phone: string | null;
	created_at: string;
	updated_at: string;
}

export interface CartTable {
	id: string;
	email: string | null;
	customer_id: string | null;
	region_id: string;
	currency_code: string;
	shipping_address_id: string | null;
	billing_address_id: string | null;
	client_ip: string | null;
	user_agent: string | null;
	metadata: string | null;
	completed_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface LineItemTable {
	id: string;
	cart_id: string;
	variant_id: string;
	quantity: number;
	metadata: string | null;
	created_at: string;
	updated_at: string;
}

export type DiscountRuleType = 'percentage' | 'fixed' | 'free_shipping';

export interface DiscountTable {
	id: string;
	code: string;
	description: string | null;
	type: DiscountRuleType;
	value: number;
	currency_code: string | null;
	min_subtotal: number | null;
	max_discount_amount: number | null;
	starts_at: string | null;
	ends_at: string | null;
	usage_limit: number | null;
	usage_count: Generated<number>;
	per_customer_limit: number | null;
	is_disabled: Generated<number>;
	created_at: string;
	updated_at: string;
}

export interface DiscountConditionTable {
	discount_id: string;
	target_type: 'product' | 'category';
	target_id: string;
}

export interface DiscountUsageTable {
	id: string;
	discount_id: string;
	customer_key: string;
	order_id: string | null;
	created_at: string;
}

export interface CartDiscountTable {
	cart_id: string;
	discount_id: string;
}

export interface ShippingMethodTable {
	id: string;
	cart_id: string;
	shipping_option_id: string;
	created_at: string;
}

export interface IdempotencyKeyTable {
	idempotency_key: string;
	scope: string;
	request_hash: string;
	response_status: number | null;
	response_body: string | null;
	created_at: string;
	expires_at: string;
}

export interface PaymentSessionTable {
	id: string;
	cart_id: string;
	provider_id: string;
	status: 'pending' | 'requires_more' | 'authorized' | 'error' | 'canceled';
	is_selected: number;
	amount: number;
	currency_code: string;
	data: string;
	reference: string | null;
	created_at: string;
	updated_at: string;
}

export interface OrderTable {
	id: string;
	display_id: number;
	cart_id: string;
	customer_id: string | null;
	email: string;
	region_id: string;
	currency_code: string;
	tax_rate: number;
	status: string;
	payment_status: string;
	fulfillment_status: string;
	subtotal: number;
	discount_total: number;
	shipping_total: number;
	shipping_tax_total: number;
	item_tax_total: number;
	tax_total: number;
	total: number;
	/** Taken from gift cards (migration 0031); `total` is what remained to pay. */
	gift_card_total: Generated<number>;
	shipping_option_id: string | null;
	shipping_method_name: string | null;
	shipping_address_id: string | null;
	billing_address_id: string | null;
	carrier: string | null;
	tracking_number: string | null;
	canceled_at: string | null;
	created_at: string;
	updated_at: string;
	/** Bumped by every state change; writes are `WHERE version = <the version the decision was made on>`. */
	version: Generated<number>;
}

export interface OrderLineTable {
	id: string;
	order_id: string;
	variant_id: string;
	product_id: string;
	sku: string;
	title: string;
	variant_title: string;
	thumbnail: string | null;
	unit_price: number;
	quantity: number;
	subtotal: number;
	discount_total: number;
	tax_total: number;
	total: number;
	returned_quantity: Generated<number>;
	/** The cart line's metadata as JSON (migration 0048); null on older orders and after GDPR erasure. */
	metadata: string | null;
}

export interface OrderDiscountTable {
	order_id: string;
	discount_id: string;
	code: string;
}

export interface OrderEventTable {
	id: string;
	order_id: string;
	type: string;
	data: string;
	actor: string;
	created_at: string;
}

export interface PaymentTable {
	id: string;
	order_id: string;
	provider_id: string;
	reference: string | null;
	currency_code: string;
	amount: number;
	amount_authorized: number;
	amount_captured: number;
	amount_refunded: number;
	card_brand: string | null;
	card_last4: string | null;
	data: string;
	captured_at: string | null;
	canceled_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface WebhookEventTable {
	provider_id: string;
	event_id: string;
	type: string;
	processed_at: string;
}

export type OutboxStatus = 'pending' | 'sent' | 'dead';

/** One side effect to deliver after commit (see migration 0007). */
export interface OutboxTable {
	id: string;
	kind: string;
	dedupe_key: string | null;
	/** JSON. */
	payload: string;
	status: OutboxStatus;
	attempts: Generated<number>;
	next_attempt_at: string;
	locked_until: string | null;
	last_error: string | null;
	created_at: string;
	sent_at: string | null;
}

/** A fixed-window rate-limit counter shared by every server (migration 0021); times in epoch milliseconds. */
/** rate-limiter-flexible's PostgreSQL store (migration 0040); written only by the library. */
export interface RateLimiterFlexibleTable {
	key: string;
	points: number;
	expire: number | null;
}

export interface CommerceSettingTable {
	key: string;
	value: string;
}

export type CustomerRole = 'customer' | 'staff' | 'admin';

export interface CustomerTable {
	id: string;
	/** Always lower-case (CHECK constraint). */
	email: string;
	first_name: string | null;
	last_name: string | null;
	phone: string | null;
	/** 0 = guest (no password, cannot log in), 1 = registered. */
	has_account: number;
	/** `scrypt$N$r$p$<salt>$<hash>`; null for guests. Read only by the auth module, never serialized. */
	password_hash: string | null;
	role: Generated<CustomerRole>;
	billing_address_id: string | null;
	created_at: string;
	updated_at: string;
}

export interface GiftCardTable {
	id: string;
	/** Upper-case. */
	code: string;
	value: number;
	/** 0 ≤ balance ≤ value (CHECK); changed only by conditional draws and restores. */
	balance: number;
	currency_code: string;
	is_disabled: number;
	ends_at: string | null;
	note: string | null;
	/** The admin who issued it. */
	created_by: string | null;
	created_at: string;
	updated_at: string;
	/** The order (and its line) that bought it; null for cards the merchant issued (migration 0043). */
	order_id: string | null;
	order_line_id: string | null;
}

export interface CartGiftCardTable {
	cart_id: string;
	gift_card_id: string;
	created_at: string;
}

export interface GiftCardTransactionTable {
	id: string;
	gift_card_id: string;
	order_id: string;
	/** Positive: drawn by the order; negative: given back. */
	amount: number;
	created_at: string;
}

/** The last time a customer proved their password, and from which client address (migration 0032). */
export interface CustomerReauthTable {
	customer_id: string;
	verified_at: string;
	client_address: string | null;
}

export type AuthSessionKind = 'cookie' | 'bearer';

export interface AuthSessionTable {
	/** SHA-256 (hex) of the token the client holds. */
	id: string;
	user_id: string;
	expires_at: string;
	kind: AuthSessionKind;
	created_at: string;
}

export interface PasswordResetTokenTable {
	/** SHA-256 (hex) of the emailed token. */
	token_hash: string;
	customer_id: string;
	expires_at: string;
	used_at: string | null;
	created_at: string;
}

export interface WishlistItemTable {
	customer_id: string;
	variant_id: string;
	created_at: string;
}

export interface ContactMessageTable {
	id: string;
	name: string;
	email: string;
	subject: string;
	message: string;
	customer_id: string | null;
	read_at: string | null;
	created_at: string;
}

/** An admin's answer to a contact message, sent by email; oldest first they make the thread. */
export interface ContactReplyTable {
	id: string;
	message_id: string;
	body: string;
	/** The admin's email. */
	author: string;
	created_at: string;
}

export interface OrderClaimTokenTable {
	/** SHA-256 (hex) of the emailed token. */
	token_hash: string;
	/** The logged-in customer who asked; claimed orders are attached to them. */
	customer_id: string;
	/** The address that must prove itself (the orders' email). */
	email: string;
	/** JSON array of order ids, or null for every guest order placed with `email`. */
	order_ids: string | null;
	expires_at: string;
	used_at: string | null;
	created_at: string;
}

export type AnalyticsEventType =
	| 'page_view'
	| 'product_view'
	| 'add_to_cart'
	| 'view_cart'
	| 'checkout_start'
	| 'purchase';

/** One storefront analytics event. No IP, user agent or email by design (see migration 0006). */
export interface AnalyticsEventTable {
	id: string;
	/** 32 hex digits made by the browser per visit; null for a purchase whose browser sent none. */
	visit_id: string | null;
	type: AnalyticsEventType;
	/** Pathname only, ≤ 200 characters. */
	path: string | null;
	product_id: string | null;
	variant_id: string | null;
	cart_id: string | null;
	order_id: string | null;
	/** Integer minor units of `currency`. */
	value: number | null;
	currency: string | null;
	occurred_at: string;
	received_at: string;
}

/** A process using this database (issue 16): `commerce restore` refuses while a fresh heartbeat exists. */
export interface CommerceInstanceTable {
	id: string;
	role: string;
	hostname: string;
	pid: number;
	started_at: string;
	heartbeat_at: string;
}

/** A named lease (e.g. `backup`): one holder at a time until `expires_at`. */
export interface CommerceLeaseTable {
	name: string;
	holder: string;
	acquired_at: string;
	expires_at: string;
}

/** One backup attempt, by the CLI or the server's schedule. */
export interface BackupRunTable {
	id: string;
	trigger: 'cli' | 'schedule';
	method: string;
	started_at: string;
	finished_at: string;
	status: 'ok' | 'failed';
	/** File name only, never the directory. */
	file_name: string | null;
	/** bigint: PostgreSQL drivers return it as a string. */
	bytes: number | string | null;
	sha256: string | null;
	error: string | null;
}

/** A merchant's webhook endpoint (migration 0035). */
export interface WebhookEndpointTable {
	id: string;
	url: string;
	/** JSON array of event types. */
	events: string;
	description: string | null;
	secret: string;
	previous_secret: string | null;
	previous_secret_expires_at: string | null;
	enabled: Generated<number>;
	disabled_reason: string | null;
	disabled_at: string | null;
	failure_count: Generated<number>;
	failing_since: string | null;
	created_at: string;
	updated_at: string;
}

/** One delivery attempt of a webhook message (migration 0035). */
export interface WebhookDeliveryTable {
	id: string;
	endpoint_id: string;
	message_id: string;
	event_type: string;
	outbox_id: string | null;
	attempt: number;
	status: 'succeeded' | 'failed';
	response_status: number | null;
	latency_ms: number;
	error: string | null;
	payload: string;
	created_at: string;
}

/** A back-in-stock request (migration 0036). */
export interface StockAlertTable {
	id: string;
	variant_id: string;
	email: string;
	status: 'pending' | 'confirmed' | 'notified' | 'canceled';
	token_hash: string;
	origin: string;
	shop_name: string;
	created_at: string;
	confirmed_at: string | null;
	notified_at: string | null;
}

/** An abandoned cart that was (or is about to be) reminded by email (migration 0042); one row per cart. */
export interface CartRecoveryTable {
	cart_id: string;
	email: string;
	status: 'queued' | 'sent' | 'skipped';
	skip_reason: string | null;
	queued_at: string;
	sent_at: string | null;
	restored_at: string | null;
}

/** An address that asked for no more emails of a topic (migration 0042). */
export interface EmailOptOutTable {
	email: string;
	topic: string;
	created_at: string;
}

/** One row (id 1): bumped by triggers on every catalog table change (migration 0025); stock changes do not bump it. */
export interface CatalogRevisionTable {
	id: number;
	revision: number;
}

export interface Database extends AnalyticsRollupTables {
	product_category: ProductCategoryTable;
	product_collection: ProductCollectionTable;
	product: ProductTable;
	product_image: ProductImageTable;
	product_tag: ProductTagTable;
	product_option: ProductOptionTable;
	product_variant: ProductVariantTable;
	product_option_value: ProductOptionValueTable;
	money_amount: MoneyAmountTable;
	inventory_level: InventoryLevelTable;
	inventory_ledger: InventoryLedgerTable;
	address: AddressTable;
	cart: CartTable;
	line_item: LineItemTable;
	discount: DiscountTable;
	discount_condition: DiscountConditionTable;
	discount_usage: DiscountUsageTable;
	cart_discount: CartDiscountTable;
	shipping_method: ShippingMethodTable;
	idempotency_key: IdempotencyKeyTable;
	payment_session: PaymentSessionTable;
	orders: OrderTable;
	order_line: OrderLineTable;
	order_discount: OrderDiscountTable;
	order_event: OrderEventTable;
	payment: PaymentTable;
	webhook_event: WebhookEventTable;
	outbox: OutboxTable;
	commerce_setting: CommerceSettingTable;
	rate_limiter_flexible: RateLimiterFlexibleTable;
	customer: CustomerTable;
	gift_card: GiftCardTable;
	cart_gift_card: CartGiftCardTable;
	gift_card_transaction: GiftCardTransactionTable;
	customer_reauth: CustomerReauthTable;
	auth_session: AuthSessionTable;
	password_reset_token: PasswordResetTokenTable;
	wishlist_item: WishlistItemTable;
	contact_message: ContactMessageTable;
	contact_reply: ContactReplyTable;
	order_claim_token: OrderClaimTokenTable;
	analytics_event: AnalyticsEventTable;
	commerce_instance: CommerceInstanceTable;
	commerce_lease: CommerceLeaseTable;
	backup_run: BackupRunTable;
	webhook_endpoint: WebhookEndpointTable;
	webhook_delivery: WebhookDeliveryTable;
	stock_alert: StockAlertTable;
	cart_recovery: CartRecoveryTable;
	email_opt_out: EmailOptOutTable;
	catalog_revision: CatalogRevisionTable;
}

export type Product = Selectable<ProductTable>;
export type NewProduct = Insertable<ProductTable>;
export type ProductUpdate = Updateable<ProductTable>;
export type ProductVariant = Selectable<ProductVariantTable>;
export type NewProductVariant = Insertable<ProductVariantTable>;
export type InventoryLevel = Selectable<InventoryLevelTable>;
export type InventoryLedgerEntry = Selectable<InventoryLedgerTable>;
export type Cart = Selectable<CartTable>;
export type LineItem = Selectable<LineItemTable>;
export type Address = Selectable<AddressTable>;
export type PaymentSession = Selectable<PaymentSessionTable>;
export type Order = Selectable<OrderTable>;
export type OrderLine = Selectable<OrderLineTable>;
export type Payment = Selectable<PaymentTable>;
export type WishlistItem = Selectable<WishlistItemTable>;
export type OrderClaimToken = Selectable<OrderClaimTokenTable>;
export type AnalyticsEvent = Selectable<AnalyticsEventTable>;
export type NewAnalyticsEvent = Insertable<AnalyticsEventTable>;

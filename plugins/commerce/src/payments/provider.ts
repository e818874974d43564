/**
 * The one interface every payment provider implements (design rule 7). Providers are adapters: they talk to the
 * payment service and translate its answers; they never touch the database, and the checkout service never awaits
 * them inside a database transaction.
 *
 * Amounts are integer minor units. `data` objects are what we store (JSON) and what the Store API may show the
 * browser in `payment_session.data`: never a full card number or CVC, never a secret key.
 */

/** Where a payment stands, in Medusa's payment-session vocabulary. */
export type PaymentSessionStatus = 'pending' | 'requires_more' | 'authorized' | 'error' | 'canceled';

export type ProviderData = Record<string, unknown>;

/** A refusal the shopper can act on (declined card, insufficient funds); shown as the error message. */
export interface PaymentFailure {
	/** Stripe-style code: `card_declined`, `insufficient_funds`, `expired_card`, `incorrect_number`, `processing_error`. */
	code: string;
	message: string;
	declineCode?: string;
}

export interface InitiateInput {
	amount: number;
	currency: string;
	cartId: string;
	email: string | null;
	/** Stable per cart and amount, so a retried initiate never creates a second intent. */
	idempotencyKey: string;
}

export interface SessionResult {
	status: PaymentSessionStatus;
	data: ProviderData;
	failure?: PaymentFailure;
}

export interface AuthorizeInput {
	/** The stored session data (from initiate/update). */
	data: ProviderData;
	/** The cart total the order will have; a provider must refuse when its own amount differs. */
	amount: number;
	currency: string;
	idempotencyKey: string;
}

export interface AuthorizeResult extends SessionResult {
	/** What was authorized (equals `amount` when status is `authorized`). */
	amountAuthorized: number;
	/** True when the provider captured at authorization (automatic capture). */
	captured: boolean;
}

export interface MoneyMovementResult {
	data: ProviderData;
	/** Total captured (or refunded) so far according to the provider, after this call. */
	total: number;
}

/** A verified webhook event in provider-neutral form. */
export interface ProviderWebhookEvent {
	/** The provider's event id (deduplication key). */
	id: string;
	/** `payment_authorized`: a manual-capture payment is ready to capture (the shopper paid; nothing taken yet). */
	type:
		| 'payment_succeeded'
		| 'payment_authorized'
		| 'payment_failed'
		| 'payment_canceled'
		| 'payment_refunded'
		| 'ignored';
	/** The provider's payment reference (e.g. PaymentIntent id) the event is about. */
	paymentReference: string | null;
	/** Cart id from the payment's metadata, when the provider carries it. */
	cartId: string | null;
	amount: number | null;
	amountRefunded: number | null;
	/** The raw provider type, for logs. */
	rawType: string;
}

export class WebhookSignatureError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'WebhookSignatureError';
	}
}

/** A correctly signed event whose body is not the event shape we read (no object, ids that are not strings). */
export class WebhookPayloadError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'WebhookPayloadError';
	}
}

export interface PaymentProvider {
	/** `test` or `stripe`. */
	readonly id: string;
	/** Starts a session for an amount (Stripe: creates a PaymentIntent). */
	initiate(input: InitiateInput): Promise<SessionResult>;
	/**
	 * Updates a session: a new amount after the cart changed, and/or data from the shopper's browser (the test provider
	 * reads card details here and keeps only brand, last 4 and the simulated outcome).
	 */
	update(input: { data: ProviderData; amount: number; currency: string; input?: ProviderData }): Promise<SessionResult>;
	/** Authorizes (and, with automatic capture, captures) exactly `amount`; `requires_more` when the shopper must act. */
	authorize(input: AuthorizeInput): Promise<AuthorizeResult>;
	/** Captures up to the authorized amount; throws when `amount` exceeds what is still capturable. */
	capture(input: { data: ProviderData; amount: number; idempotencyKey: string }): Promise<MoneyMovementResult>;
	/** Refunds up to the captured amount; throws when `amount` exceeds what is still refundable. */
	refund(input: { data: ProviderData; amount: number; idempotencyKey: string }): Promise<MoneyMovementResult>;
	/** Voids an uncaptured authorization or abandons a pending session. */
	cancel(input: { data: ProviderData; idempotencyKey: string }): Promise<{ data: ProviderData }>;
	/** The provider's current view of a session. */
	retrieve(input: { data: ProviderData }): Promise<SessionResult & { amount: number }>;
	/** Verifies a webhook on its raw body; throws WebhookSignatureError when forged, stale or unsigned. */
	parseWebhook(rawBody: string, headers: Headers): ProviderWebhookEvent;
}

/** Thrown by capture/refund for an amount above the limit; the admin shows the message. */
export class PaymentAmountError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PaymentAmountError';
	}
}

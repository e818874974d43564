import { CommerceError } from '../../core/errors.ts';
import { publicOrigin } from '../../http/public-origin.ts';
import { readBodyText } from '../../http/request.ts';
import { json, methodNotAllowed } from '../../http/respond.ts';
import { countWebhookFailure } from '../../metrics/registry.ts';
import { getRuntime } from '../../runtime/instance.ts';
import { type EndpointContext, registerFastRoute } from '../../server/fast-routes.ts';
import { handlePaymentWebhook } from '../../services/checkout/payment-webhook.ts';

/** Why a delivery was refused, by the status the handler chose (commerce_webhook_failures_total{reason}). */
const WEBHOOK_REASONS: Record<number, string> = {
	400: 'invalid_signature',
	404: 'not_configured',
	409: 'unknown_payment',
};

/** Every other method (GET, TRACE, PUT, …): 405 with `Allow: POST`, in the Store error body. */
export const ALL = (): Response => methodNotAllowed(['POST']);

// POST <stripeWebhookPath>: Stripe events, verified on the exact raw body (parsing first would break the signature).
export const POST = async ({ request }: EndpointContext): Promise<Response> => {
	let raw: string;
	try {
		raw = await readBodyText(request, 256 * 1024);
	} catch (error) {
		if (error instanceof CommerceError && error.kind === 'too_large') {
			countWebhookFailure('stripe', 'payload_too_large');
			return json({ received: false, message: error.message }, 413);
		}
		throw error;
	}
	const runtime = await getRuntime();
	const outcome = await handlePaymentWebhook(
		{
			db: runtime.db,
			options: runtime.options,
			payments: runtime.payments,
			outbox: runtime.outbox,
			secret: runtime.secret,
		},
		'stripe',
		raw,
		request.headers,
		publicOrigin(runtime.options, new URL(request.url)),
	).catch((error: unknown) => {
		countWebhookFailure('stripe', 'processing_error');
		throw error;
	});
	if (outcome.status >= 400)
		countWebhookFailure('stripe', WEBHOOK_REASONS[outcome.status] ?? `status_${outcome.status}`);
	return json(outcome.body, outcome.status);
};

// `commerce serve` calls these without Astro's pipeline (server/fast-routes.ts).
registerFastRoute('stripeWebhook', { ALL, POST });

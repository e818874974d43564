/**
 * Payment providers: the interface, the built-in providers, and the registry the runtime builds from the
 * environment. The offline `test` and `manual` providers are always present; `stripe` only when all its keys are set.
 */
import { createManualProvider } from './manual-provider.ts';
import type { PaymentProvider } from './provider.ts';
import type { StripeProviderConfig } from './stripe-provider.ts';
import { createTestProvider } from './test-provider.ts';

export { createManualProvider, type ManualPaymentData } from './manual-provider.ts';
export * from './provider.ts';
// Types only: the provider (and with it the Stripe SDK, ~15 MB of a server's memory) loads when Stripe is configured.
export type { StripePaymentData, StripeProviderConfig } from './stripe-provider.ts';
export {
	cardBrand,
	createTestProvider,
	passesLuhn,
	type TestCardBrand,
	type TestCardOutcome,
	type TestPaymentData,
	type TestProviderOptions,
} from './test-provider.ts';

const STRIPE_KEYS = ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;

/** Each key's expected prefix: a swapped pair would send the secret key to browsers. */
const STRIPE_PREFIXES: Record<(typeof STRIPE_KEYS)[number], string[]> = {
	STRIPE_SECRET_KEY: ['sk_', 'rk_'],
	STRIPE_PUBLISHABLE_KEY: ['pk_'],
	STRIPE_WEBHOOK_SECRET: ['whsec_'],
};

/** The Stripe keys from the environment, `null` when none is set; throws when only some are, or one looks wrong. */
function stripeKeys(env: NodeJS.ProcessEnv): Record<(typeof STRIPE_KEYS)[number], string> | null {
	const value = (name: (typeof STRIPE_KEYS)[number]) => env[name]?.trim() ?? '';
	const missing = STRIPE_KEYS.filter((name) => !value(name));
	if (missing.length === STRIPE_KEYS.length) return null;
	if (missing.length) {
		throw new Error(
			`Stripe is partly configured: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set. Set all of ${STRIPE_KEYS.join(', ')} to enable Stripe, or none to use only the test provider.`,
		);
	}
	for (const name of STRIPE_KEYS) {
		const prefixes = STRIPE_PREFIXES[name];
		if (!prefixes.some((prefix) => value(name).startsWith(prefix))) {
			throw new Error(
				`${name} should start with ${prefixes.join(' or ')}. Copy it again from the Stripe dashboard (Developers → API keys / Webhooks).`,
			);
		}
	}
	return {
		STRIPE_SECRET_KEY: value('STRIPE_SECRET_KEY'),
		STRIPE_PUBLISHABLE_KEY: value('STRIPE_PUBLISHABLE_KEY'),
		STRIPE_WEBHOOK_SECRET: value('STRIPE_WEBHOOK_SECRET'),
	};
}

/** Parses `STRIPE_API_BASE` (e.g. `http://127.0.0.1:12111`), which points the SDK at a local fake. */
function stripeApi(base: string | undefined): StripeProviderConfig['api'] {
	if (!base?.trim()) return undefined;
	let url: URL;
	try {
		url = new URL(base.trim());
	} catch {
		throw new Error(
			`STRIPE_API_BASE is not a URL: "${base}". Use e.g. http://127.0.0.1:12111, or unset it to talk to Stripe.`,
		);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new Error(`STRIPE_API_BASE must be an http or https URL, not "${base}".`);
	}
	const protocol = url.protocol === 'http:' ? 'http' : 'https';
	return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

/**
 * Builds the providers for this process: `test` (simulated cards), `manual` (Medusa's offline provider: pay later,
 * the merchant captures) and, when STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET are all set,
 * `stripe`.
 * Rejects when only some of the Stripe keys are set, so a half-configured deploy fails at start, not at checkout.
 * The Stripe provider's module, and with it the SDK, is imported only then: a shop without Stripe keys never loads it.
 * Awaited before the runtime serves, so every provider method, the synchronous `parseWebhook` included, finds the SDK
 * loaded (a provider that loaded it in the background refused early or bad signatures with 500 instead of 400).
 */
export async function createPaymentProviders(
	env: NodeJS.ProcessEnv,
	opts: { captureMethod: 'automatic' | 'manual' },
): Promise<Map<string, PaymentProvider>> {
	const providers = new Map<string, PaymentProvider>([
		['test', createTestProvider({ captureMethod: opts.captureMethod })],
		['manual', createManualProvider()],
	]);
	const keys = stripeKeys(env);
	if (keys) {
		const api = stripeApi(env.STRIPE_API_BASE);
		const { createStripeProvider } = await import('./stripe-provider.ts');
		providers.set(
			'stripe',
			createStripeProvider({
				secretKey: keys.STRIPE_SECRET_KEY,
				webhookSecret: keys.STRIPE_WEBHOOK_SECRET,
				captureMethod: opts.captureMethod,
				...(api ? { api } : {}),
			}),
		);
	}
	return providers;
}

/** The publishable key the browser's Stripe.js needs, or `null` when Stripe is not configured. */
export function stripePublishableKey(env: NodeJS.ProcessEnv): string | null {
	return stripeKeys(env)?.STRIPE_PUBLISHABLE_KEY ?? null;
}

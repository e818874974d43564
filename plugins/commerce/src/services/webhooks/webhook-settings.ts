import type { ResolvedOptions } from '../../options.ts';

/** How webhooks behave on this server: the `webhooks` option with the environment's overrides. */
export interface WebhookSettings {
	/** Deliver to loopback and private addresses (local development, tests). Never in production: SSRF. */
	allowPrivate: boolean;
	/** One attempt fails after this long without a complete answer. */
	timeoutMs: number;
	/** The unit of the retry schedule (5 s → 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
	retryBaseMs: number;
	/** An endpoint that failed every attempt for this long is disabled, with a notice in the admin. */
	disableAfterMs: number;
	/** After a secret rotation, the old secret keeps signing (as a second signature) for this long. */
	rotationOverlapMs: number;
}

const DAY = 86_400_000;

const msFrom = (value: string | undefined, min: number, max: number) => {
	const n = Number(value);
	return value && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};

/**
 * `COMMERCE_WEBHOOKS_ALLOW_PRIVATE=1` allows private addresses; `COMMERCE_WEBHOOKS_RETRY_BASE_MS` and
 * `COMMERCE_WEBHOOKS_DISABLE_AFTER_MS` shorten the schedule (tests, drills).
 */
export function webhookSettings(options: ResolvedOptions, env: NodeJS.ProcessEnv = process.env): WebhookSettings {
	return {
		allowPrivate: options.webhooks.allowPrivate || env.COMMERCE_WEBHOOKS_ALLOW_PRIVATE === '1',
		timeoutMs: options.webhooks.timeoutMs,
		retryBaseMs: msFrom(env.COMMERCE_WEBHOOKS_RETRY_BASE_MS, 10, 60_000) ?? 5_000,
		disableAfterMs: msFrom(env.COMMERCE_WEBHOOKS_DISABLE_AFTER_MS, 100, 30 * DAY) ?? 5 * DAY,
		rotationOverlapMs: DAY,
	};
}

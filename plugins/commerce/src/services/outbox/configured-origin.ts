import type { ResolvedOptions } from '../../options.ts';

/**
 * The origin of links in emails rendered without a request (scheduled passes, outbox deliveries):
 * `COMMERCE_PUBLIC_URL`, else the `siteUrl` option, else Astro's `site`; null when none is set.
 */
export function configuredOrigin(
	options: Pick<ResolvedOptions, 'siteUrl' | 'site'>,
	env: NodeJS.ProcessEnv = process.env,
): string | null {
	const configured = env.COMMERCE_PUBLIC_URL?.trim() || options.siteUrl || options.site;
	return configured ? new URL(configured).origin : null;
}

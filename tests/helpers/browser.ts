import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Where browser tests save screenshots: `tests/output/screenshots/` (git-ignored), so a test run never rewrites a
 * tracked file. `npm run docs:screenshots` sets DOCS_SCREENSHOTS=1 to refresh the README's pictures in `docs/screenshots/`.
 */
export const SCREENSHOTS = resolve(
	import.meta.dirname,
	'../..',
	process.env.DOCS_SCREENSHOTS === '1' ? 'docs/screenshots' : join('tests', 'output', 'screenshots'),
);

/** Debian's Chromium; never a downloaded browser. CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the networking flags Chromium keeps dialling Google's hosts, which this machine's closed network refuses.
const ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** The two widths layout tests run at: a phone (390 px, touch) and a laptop (1366 px). Spread into `newContext`. */
export const VIEWPORTS = [
	{ name: 'phone (390 px)', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
	{ name: 'desktop (1366 px)', viewport: { width: 1366, height: 900 } },
] as const;

export async function launchBrowser(): Promise<Browser> {
	if (!existsSync(CHROMIUM_PATH))
		throw new Error(
			`No Chromium at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (npm test does it when it can).`,
		);
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}

/** Collects console errors and failed requests of a page, so a CSP violation or a missing asset fails the test. */
export function watchForErrors(page: Page): string[] {
	const problems: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') problems.push(`console: ${message.text()}`);
	});
	page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
	page.on('requestfailed', (request) => {
		// ERR_ABORTED is the browser cancelling a request (e.g. the favicon) because the test navigated on.
		const reason = request.failure()?.errorText ?? '';
		if (!reason.includes('ERR_ABORTED')) problems.push(`requestfailed: ${request.url()} ${reason}`);
	});
	page.on('response', (response) => {
		if (response.status() >= 400) problems.push(`http ${response.status()}: ${response.url()}`);
	});
	return problems;
}

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite, repoRoot, startServer, type TestServer } from '../helpers/server.ts';

const fixtures = join(repoRoot, 'tests/fixtures');
let server: TestServer | undefined;
afterAll(() => server?.stop());

describe('installing the plugin into another Astro site', () => {
	it('blank-site: a site that only adds commerce() builds and serves /store/health', async () => {
		const root = join(fixtures, 'blank-site');
		const build = await buildSite(root);
		expect(build.code, build.output).toBe(0);
		server = await startServer({ root });
		const response = await fetch(`${server.url}/store/health`);
		expect(response.status).toBe(200);
		const body = await response.json();
		expect(body).toMatchObject({
			status: 'ok',
			database: { status: 'ok', pending: 0 },
			catalog: { products: 0, variants: 0 },
		});
		const page = await fetch(`${server.url}/`);
		expect(page.status).toBe(200);
		// The site's own page gets the relaxed policy (its third-party content keeps working); the plugin's routes the strict one.
		expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
		expect(page.headers.get('content-security-policy')).not.toContain('default-src');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
	});

	it('broken-product: a malformed product file fails the build naming the file and the field', async () => {
		const build = await buildSite(join(fixtures, 'broken-product'));
		expect(build.code).not.toBe(0);
		expect(build.output).toContain('content/products/bad-mug.md');
		expect(build.output).toContain('variants.0.prices.usd');
		expect(build.output).toContain('more decimals than USD allows (2)');
	});
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, watchForErrors } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// What a crawler and a link preview read, from the built demo in Chromium: sitemap, robots.txt, canonical links,
// OpenGraph and Twitter tags with absolute URLs, product JSON-LD with one offer per variant, noindex on private pages.

let server: TestServer;
let browser: Browser;
/** The configured `site` the build used (SITE_URL, else the demo's http://localhost:4321). */
const SITE = new URL(process.env.SITE_URL ?? 'http://localhost:4321');

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

async function open(path: string): Promise<{ page: Page; problems: string[] }> {
	const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
	const problems = watchForErrors(page);
	await page.goto(`${server.url}${path}`);
	return { page, problems };
}

const meta = (page: Page, selector: string) => page.locator(selector).getAttribute('content');
const isAbsolute = (url: string | null | undefined) => !!url && new URL(url).origin === SITE.origin;

interface Offer {
	'@type': string;
	sku: string;
	price: string;
	priceCurrency: string;
	availability: string;
	url: string;
}

describe('search engines and link previews', () => {
	it('publishes robots.txt and a sitemap listing products and categories, without private pages', async () => {
		const robots = await fetch(`${server.url}/robots.txt`);
		expect(robots.status).toBe(200);
		const text = await robots.text();
		expect(text).toMatch(/^User-agent: \*$/m);
		expect(text).toMatch(/^Disallow: \/admin\/$/m);
		const sitemapUrl = /^Sitemap: (\S+)$/m.exec(text)?.[1];
		expect(sitemapUrl).toBe(new URL('/sitemap.xml', SITE).href);

		const index = await (await fetch(`${server.url}/sitemap.xml`)).text();
		const urls = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]!);
		expect(urls.length).toBeGreaterThan(0);
		const pages: string[] = [];
		for (const url of urls) {
			expect(isAbsolute(url)).toBe(true);
			const part = await (await fetch(`${server.url}${new URL(url).pathname}`)).text();
			pages.push(...[...part.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]!));
		}
		expect(pages).toContain(new URL('/products/classic-hoodie/', SITE).href);
		expect(pages).toContain(new URL('/products/snowflake-mug/', SITE).href);
		expect(pages).toContain(new URL('/categories/apparel/', SITE).href);
		expect(pages).toContain(new URL('/', SITE).href);
		expect(pages.filter((url) => /\/(cart|checkout|account|order|admin)\//.test(url))).toEqual([]);
	});

	it('gives a product page canonical, OpenGraph and Twitter tags with absolute URLs', async () => {
		const { page, problems } = await open('/products/classic-hoodie/');
		const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
		expect(canonical).toBe(new URL('/products/classic-hoodie/', SITE).href);
		await expect(meta(page, 'meta[property="og:url"]')).resolves.toBe(canonical);
		await expect(meta(page, 'meta[property="og:type"]')).resolves.toBe('product');
		await expect(meta(page, 'meta[property="og:title"]')).resolves.toMatch(/Frostburg Classic Hoodie/);
		await expect(meta(page, 'meta[property="og:description"]')).resolves.toBeTruthy();
		const image = await meta(page, 'meta[property="og:image"]');
		// A PNG, not the SVG: social sites refuse SVG previews (built by src/pages/og/[name].png.ts).
		expect(image).toBe(new URL('/og/classic-hoodie.png', SITE).href);
		await expect(meta(page, 'meta[property="og:image:type"]')).resolves.toBe('image/png');
		await expect(meta(page, 'meta[name="twitter:card"]')).resolves.toBe('summary_large_image');
		await expect(meta(page, 'meta[name="twitter:image"]')).resolves.toBe(image);
		// The image exists on the server (the path part of the absolute URL).
		const png = await fetch(`${server.url}${new URL(image!).pathname}`);
		expect(png.status).toBe(200);
		expect(png.headers.get('content-type')).toBe('image/png');
		const bytes = new Uint8Array(await png.arrayBuffer());
		// The PNG signature, then the IHDR chunk's width and height (big-endian): 1200×630, the size previews expect.
		expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		const ihdr = new DataView(bytes.buffer, 16, 8);
		expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([1200, 630]);
		await expect(page.locator('meta[name="robots"]').count()).resolves.toBe(0);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('describes a product with variants as a ProductGroup with one offer per variant', async () => {
		const { page } = await open('/products/classic-hoodie/');
		const data = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
		expect(data['@type']).toBe('ProductGroup');
		expect(data.variesBy).toEqual(['https://schema.org/size']);
		expect(isAbsolute(data.url)).toBe(true);
		for (const image of data.image) expect(isAbsolute(image)).toBe(true);
		const variants = data.hasVariant as { sku: string; size: string; offers: Offer }[];
		expect(variants.map((variant) => variant.sku)).toEqual([
			'FB-HOOD-NAVY-S',
			'FB-HOOD-NAVY-M',
			'FB-HOOD-NAVY-L',
			'FB-HOOD-NAVY-XL',
		]);
		for (const variant of variants) {
			expect(variant.offers).toMatchObject({
				'@type': 'Offer',
				sku: variant.sku,
				price: '39.99',
				priceCurrency: 'USD',
			});
			expect(isAbsolute(variant.offers.url)).toBe(true);
		}
		expect(variants.map((variant) => variant.offers.availability.replace('https://schema.org/', ''))).toEqual([
			'InStock',
			'InStock',
			'InStock',
			'OutOfStock',
		]);
		await page.close();
	});

	it('describes a single-variant product as a Product with its offer', async () => {
		const { page } = await open('/products/snowflake-mug/');
		const data = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
		expect(data['@type']).toBe('Product');
		expect(data.name).toBe('Snowflake Ceramic Mug');
		expect(data.offers).toMatchObject({ '@type': 'Offer', sku: data.sku, priceCurrency: 'USD' });
		expect(data.offers.price).toMatch(/^\d+\.\d\d$/);
		expect(isAbsolute(data.offers.url)).toBe(true);
		await page.close();
	});

	it('keeps cart, checkout and account pages out of search results, and lists the home page', async () => {
		for (const path of ['/cart/', '/checkout/', '/account/login/', '/account/orders/', '/order/lookup/']) {
			const { page } = await open(path);
			await expect(meta(page, 'meta[name="robots"]'), path).resolves.toMatch(/noindex/);
			await page.close();
		}
		const { page } = await open('/');
		await expect(page.locator('meta[name="robots"]').count()).resolves.toBe(0);
		await expect(page.locator('link[rel="canonical"]').getAttribute('href')).resolves.toBe(new URL('/', SITE).href);
		await page.close();
	});
});

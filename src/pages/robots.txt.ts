import type { APIRoute } from 'astro';

// Crawlers may read every public page. The admin and the Store API are not pages; the shopper's own pages (cart,
// checkout, account, orders) stay crawlable so search engines see their `noindex` and drop them.
export const GET: APIRoute = ({ site }) => {
	const sitemap = new URL('/sitemap.xml', site).href;
	return new Response(`User-agent: *\nDisallow: /admin/\nDisallow: /store/\nAllow: /\n\nSitemap: ${sitemap}\n`, {
		headers: { 'content-type': 'text/plain; charset=utf-8' },
	});
};

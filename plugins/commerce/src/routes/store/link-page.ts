import { escapeHtml } from '../../email/index.ts';

/**
 * A minimal HTML page for links opened from an email in a browser (confirm an alert, unsubscribe, a link that no
 * longer works): a title, one sentence and a way back to the shop. Never cached.
 */
export const linkPage = (title: string, text: string, status = 200, home = '/') =>
	new Response(
		`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="${escapeHtml(home)}">Back to the shop</a></p></body></html>`,
		{ status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } },
	);

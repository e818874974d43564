/** Image formats Gmail, Outlook (desktop and web) and Apple Mail all show; SVG, WebP and AVIF are not among them. */
const EMAIL_SAFE = /\.(png|jpe?g|gif)$/i;

/** True when a mail client can show the image at `src` (judged by its file extension, query and hash ignored). */
export function isEmailSafeImage(src: string): boolean {
	return EMAIL_SAFE.test(src.split(/[?#]/)[0] ?? '');
}

/**
 * The absolute URL an email shows for a product image: the image itself when it is PNG, JPEG or GIF, else its PNG
 * rendition drawn at build (`renditions`, source → rendition path), else null — no image rather than one Gmail and
 * Outlook leave blank. `origin` is the shop's public origin (a mail client has no page to resolve a path against).
 */
export function emailImageUrl(
	src: string | null | undefined,
	origin: string,
	renditions: Readonly<Record<string, string>> = {},
): string | null {
	if (!src) return null;
	const shown = isEmailSafeImage(src) ? src : renditions[src];
	return shown ? new URL(shown, `${origin}/`).href : null;
}

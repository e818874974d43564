import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CatalogProduct } from './content/product-schema.ts';
import { isEmailSafeImage } from './email/images.ts';

// Email renditions of product images, made at build end (`astro:build:done`). Gmail and Outlook show PNG, JPEG and
// GIF but not SVG (nor WebP/AVIF in Outlook): as Shopify's CDN serves a raster size of every product image to its
// order emails, the build draws a PNG of each site-local image in another format, beside it in the client output,
// with sharp — the site's own copy (Astro's image service installs it), never a download. Without sharp those images
// are left out of emails (the line keeps its name); raster images need no rendition.

/** Source path → rendition path of every image drawn, written beside the server build and read by the runtime. */
export const EMAIL_IMAGES_FILE = 'commerce-email-images.json';

/** Width and height of a rendition: twice the 56 px an email shows, for high-density screens. */
const SIZE = 112;

/** The part of sharp's API used here (typed locally: sharp is the site's optional dependency, not ours). */
export type Sharp = (
	input: Buffer,
	options: { density: number },
) => {
	resize(
		width: number,
		height: number,
		options: { fit: 'contain'; background: { r: number; g: number; b: number; alpha: number } },
	): { png(options: { compressionLevel: number; palette: boolean }): { toBuffer(): Promise<Buffer> } };
};

/** What `writeEmailImages` did, for the build log. */
export interface EmailImagesResult {
	/** Source path → rendition path (site-absolute, e.g. `/images/products/mug.svg` → `/images/products/mug.email.png`). */
	renditions: Record<string, string>;
	/** Site-local images in a format mail clients do not show, left out of emails because sharp is not installed. */
	skipped: string[];
}

/** Where the rendition of a site-local image lands: beside it, `<name>.email.png`. */
export function renditionPath(src: string): string {
	return src.replace(/(\.[^./]+)?$/, '.email.png');
}

/** sharp from the site's dependencies, or null when the site has none. */
function loadSharp(root: string): Sharp | null {
	try {
		return createRequire(join(root, 'package.json'))('sharp') as Sharp;
	} catch {
		return null;
	}
}

/**
 * Draws a PNG rendition of every site-local product image (`/…`, copied from `public/` into `clientDir`) that mail
 * clients would not show, and writes the source → rendition map into `serverDir`. Remote images (`https://…`) and
 * raster ones are used by emails as they are.
 */
export async function writeEmailImages(
	catalog: CatalogProduct[],
	dirs: { root: string; clientDir: string; serverDir: string },
	sharp: Sharp | null = loadSharp(dirs.root),
): Promise<EmailImagesResult> {
	const sources = new Set(
		catalog.flatMap((product) => product.images.map((image) => image.src)).filter((src) => src.startsWith('/')),
	);
	const result: EmailImagesResult = { renditions: {}, skipped: [] };
	for (const src of sources) {
		if (isEmailSafeImage(src)) continue;
		if (!sharp) {
			result.skipped.push(src);
			continue;
		}
		// A path that names no file in the build is not served either: nothing to draw.
		const file = join(dirs.clientDir, decodeURIComponent(src.split(/[?#]/)[0]));
		if (!existsSync(file)) continue;
		const target = renditionPath(src.split(/[?#]/)[0]);
		const out = join(dirs.clientDir, decodeURIComponent(target));
		mkdirSync(dirname(out), { recursive: true });
		// density: an SVG is drawn at 144 dpi before the resize, so its lines stay sharp at 112 px.
		const png = await sharp(readFileSync(file), { density: 144 })
			.resize(SIZE, SIZE, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 0 } })
			.png({ compressionLevel: 9, palette: true })
			.toBuffer();
		writeFileSync(out, png);
		result.renditions[src] = target;
	}
	writeFileSync(join(dirs.serverDir, EMAIL_IMAGES_FILE), JSON.stringify(result.renditions));
	return result;
}

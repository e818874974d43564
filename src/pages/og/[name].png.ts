import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { APIRoute, GetStaticPaths } from 'astro';
import sharp from 'sharp';

// Social sites (Facebook, X, LinkedIn, Slack) refuse SVG previews, so every product picture also exists as a
// 1200×630 PNG, drawn at build time from its SVG by sharp (libvips; installed from npm with its own prebuilt
// library, no download at build time). Base.astro points og:image and twitter:image here.

// The build runs at the project root; import.meta.url would point into the bundled output instead.
const PRODUCT_IMAGES = join(process.cwd(), 'public/images/products');
const WIDTH = 1200;
const HEIGHT = 630;
/** The card behind the picture: the pictures' own pale background, so the product sits centred on one colour. */
const BACKGROUND = '#eef2f8';

export const getStaticPaths = (async () => {
	const files = await readdir(PRODUCT_IMAGES);
	return files.filter((file) => file.endsWith('.svg')).map((file) => ({ params: { name: file.slice(0, -4) } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
	const svg = await readFile(join(PRODUCT_IMAGES, `${params.name}.svg`));
	const picture = await sharp(svg, { density: 144 }).resize(HEIGHT, HEIGHT, { fit: 'contain' }).png().toBuffer();
	const png = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: BACKGROUND } })
		.composite([{ input: picture, gravity: 'centre' }])
		// Full colour, not a quantised palette: palette PNGs were half the size (14 vs 29 KB) but quantising took ~200 ms
		// per image, half of prerendering a 1,000-product site (system_design.md §5).
		.png({ compressionLevel: 9, palette: false })
		.toBuffer();
	return new Response(new Uint8Array(png), { headers: { 'content-type': 'image/png' } });
};

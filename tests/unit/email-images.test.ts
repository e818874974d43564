import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../../plugins/commerce/src/content/product-schema.ts';
import { emailImageUrl } from '../../plugins/commerce/src/email/index.ts';
import { EMAIL_IMAGES_FILE, type Sharp, writeEmailImages } from '../../plugins/commerce/src/email-images.ts';

// Email images (issue 13): mail clients show PNG, JPEG and GIF, not SVG. The build draws a PNG of each site-local
// image in another format with the site's sharp; emails use it, the image itself when raster, else no image.

const ORIGIN = 'https://shop.example';
const sharp = createRequire(import.meta.url)('sharp') as Sharp;
const SVG =
	'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#14213d"/></svg>';

describe('emailImageUrl', () => {
	it('keeps raster images, swaps others for their rendition, and leaves out what has none', () => {
		const renditions = { '/images/mug.svg': '/images/mug.email.png' };
		expect(emailImageUrl('/images/mug.jpg', ORIGIN)).toBe('https://shop.example/images/mug.jpg');
		expect(emailImageUrl('/images/mug.PNG?v=2', ORIGIN)).toBe('https://shop.example/images/mug.PNG?v=2');
		expect(emailImageUrl('https://cdn.example/mug.jpeg', ORIGIN)).toBe('https://cdn.example/mug.jpeg');
		expect(emailImageUrl('/images/mug.svg', ORIGIN, renditions)).toBe('https://shop.example/images/mug.email.png');
		expect(emailImageUrl('/images/cap.svg', ORIGIN, renditions)).toBeNull();
		expect(emailImageUrl('/images/cap.webp', ORIGIN)).toBeNull();
		expect(emailImageUrl('https://cdn.example/cap.svg', ORIGIN)).toBeNull();
		expect(emailImageUrl(null, ORIGIN)).toBeNull();
	});
});

describe('writeEmailImages', () => {
	let dir: string;
	const product = (srcs: string[]) => ({ images: srcs.map((src) => ({ src, alt: 'x' })) }) as unknown as CatalogProduct;
	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), 'frostbuy-email-images-'));
		await mkdir(join(dir, 'client/images'), { recursive: true });
		await mkdir(join(dir, 'server'));
		await writeFile(join(dir, 'client/images/mug.svg'), SVG);
	});
	afterEach(() => rm(dir, { recursive: true, force: true }));
	const dirs = () => ({ root: dir, clientDir: join(dir, 'client'), serverDir: join(dir, 'server') });

	it('draws a 112 px PNG beside each SVG and maps it; raster and remote images need none', async () => {
		const result = await writeEmailImages(
			[product(['/images/mug.svg', '/images/mug.jpg', 'https://cdn.example/cap.svg'])],
			dirs(),
			sharp,
		);
		expect(result).toEqual({ renditions: { '/images/mug.svg': '/images/mug.email.png' }, skipped: [] });
		const png = await readFile(join(dir, 'client/images/mug.email.png'));
		const meta = await (sharp as unknown as (input: Buffer) => { metadata(): Promise<Record<string, unknown>> })(
			png,
		).metadata();
		expect(meta).toMatchObject({ format: 'png', width: 112, height: 112 });
		expect(JSON.parse(await readFile(join(dir, 'server', EMAIL_IMAGES_FILE), 'utf8'))).toEqual(result.renditions);
	});

	it('without sharp names the images it left out and maps nothing', async () => {
		const result = await writeEmailImages([product(['/images/mug.svg', '/images/mug.png'])], dirs(), null);
		expect(result).toEqual({ renditions: {}, skipped: ['/images/mug.svg'] });
		expect(JSON.parse(await readFile(join(dir, 'server', EMAIL_IMAGES_FILE), 'utf8'))).toEqual({});
	});
});

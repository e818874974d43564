import { expect } from 'vitest';
import type { ReceivedMessage } from './smtp.ts';

/**
 * Expects the footer every email carries, from the demo's astro.config.mjs (storeAddress, supportEmail, supportUrl
 * made absolute on the server's public origin), in both the text and the HTML part as the SMTP server received them,
 * and the shop's colour in the HTML header.
 */
export function expectShopFooter(mail: ReceivedMessage, origin: string): void {
	for (const part of [mail.text, mail.html]) {
		expect(part).toContain('101 Braddock Road');
		expect(part).toContain('Frostburg, MD 21532');
		expect(part).toContain('help@frostbuy.local');
		expect(part).toContain(`${origin}/contact/`);
	}
	expect(mail.html).toContain('background:#14213d');
	expect(mail.headers['content-type']).toMatch(/multipart\/alternative/);
}
